//! W3C Web Annotation JSON-LD: golden files, exact round trips through the embedded
//! texts, re-anchoring by quote in a changed text, the body and container shapes of
//! other tools, and import errors.

mod common;

use common::*;
use marginalia_core::formats::{w3c, Import, Place};
use marginalia_core::{Document, Editor, LabelSet};
use proptest::prelude::*;
use serde_json::{json, Value};

fn export(eds: &[Editor], name: &str) -> String {
    let labels = LabelSet::default();
    let file = w3c::export(&input(&labels, eds), name);
    assert_eq!(file.name, format!("{name}.jsonld"));
    assert_eq!(file.mime, "application/ld+json");
    String::from_utf8(file.bytes).unwrap()
}

fn messages(import: &Import) -> Vec<String> {
    import.errors.iter().map(ToString::to_string).collect()
}

/// (label, text) of each span of each document.
fn tagged(import: &Import) -> Vec<Vec<(String, String)>> {
    import
        .docs
        .iter()
        .map(|d| {
            d.spans
                .iter()
                .map(|s| (s.label.clone(), d.text[s.start..s.end].to_owned()))
                .collect()
        })
        .collect()
}

fn expected_tags(ed: &Editor) -> Vec<(String, String)> {
    span_tuples(ed)
        .into_iter()
        .map(|(l, _, _, t)| (l, t))
        .collect()
}

#[test]
fn golden_files() {
    golden(
        "w3c/seed-article.jsonld",
        export(&[seed()], "seed-article").as_bytes(),
    );
    golden(
        "w3c/unicode-edge.jsonld",
        export(&[edge()], "unicode-edge").as_bytes(),
    );
    golden(
        "w3c/project.jsonld",
        export(&[seed(), edge()], "project").as_bytes(),
    );
}

/// Positions are code points; the quote and its context are the text around them.
#[test]
fn selectors_agree_with_the_text() {
    let out: Value = serde_json::from_str(&export(&[seed(), edge()], "p")).unwrap();
    let docs = out["marginalia:documents"].as_array().unwrap();
    let items = out["first"]["items"].as_array().unwrap();
    assert_eq!(out["total"], json!(items.len()));
    assert_eq!(items.len(), 15);
    for a in items {
        let source = a["target"]["source"].as_str().unwrap();
        let doc = docs.iter().find(|d| d["id"] == source).unwrap();
        let chars: Vec<char> = doc["value"].as_str().unwrap().chars().collect();
        let [quote, pos] = a["target"]["selector"].as_array().unwrap().as_slice() else {
            panic!()
        };
        let (s, e) = (
            pos["start"].as_u64().unwrap() as usize,
            pos["end"].as_u64().unwrap() as usize,
        );
        let slice = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
        assert_eq!(slice(s, e), quote["exact"].as_str().unwrap());
        assert_eq!(
            slice(s.saturating_sub(32), s),
            quote["prefix"].as_str().unwrap_or("")
        );
        assert_eq!(
            slice(e, (e + 32).min(chars.len())),
            quote["suffix"].as_str().unwrap_or("")
        );
        assert!(a["id"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{source}:s")));
    }
}

fn round_trip(eds: &[Editor]) {
    let back = w3c::parse("p.jsonld", &export(eds, "p"), &[]);
    assert_restored(eds, &back, Carries::Everything);
}

#[test]
fn corpus_round_trips_exactly() {
    round_trip(&[seed(), edge()]);
}

proptest! {
    #[test]
    fn random_documents_round_trip_exactly(a in arb_editor(), b in arb_editor()) {
        // Two documents with the same text have the same id (ids come from the text),
        // and a W3C collection names documents by id: such a pair cannot be told apart.
        prop_assume!(a.document().id() != b.document().id());
        round_trip(&[a, b]);
    }
}

/// Annotations without the texts, anchored in documents the app has.
#[test]
fn annotations_anchor_in_the_apps_documents() {
    let (s, e) = (seed(), edge());
    let out: Value = serde_json::from_str(&export(&[s.clone(), e.clone()], "p")).unwrap();
    let bare = out["first"]["items"].to_string();
    let import = w3c::parse("bare.json", &bare, &[e.document(), s.document()]);
    assert_eq!(import.errors, []);
    // In the order of the app's documents.
    assert_eq!(import.docs[0].id.as_deref(), Some(e.document().id()));
    assert_eq!(tagged(&import), [expected_tags(&e), expected_tags(&s)]);
    // Without them, nothing can be anchored.
    let none = w3c::parse("bare.json", &bare, &[]);
    assert_eq!(none.docs, []);
    assert_eq!(
        messages(&none)[0],
        format!(
            "bare.json, record 1, field \"target.source\": \"urn:marginalia:{}\" is not one of the documents in this file or open in Marginalia",
            s.document().id()
        )
    );
}

/// The text has changed before the spans (an inserted line): every position is off,
/// and each annotation is found again by its quote, prefix and suffix.
#[test]
fn a_shifted_text_is_reanchored_by_quote() {
    for s in [seed(), edge()] {
        let out: Value = serde_json::from_str(&export(std::slice::from_ref(&s), "p")).unwrap();
        let bare = out["first"]["items"].to_string();
        let inserted = "Breaking: an inserted first line 😀.\r\n";
        let shifted_text = format!("{inserted}{}", s.document().text());
        // The same document (same id), edited.
        let same = Document::with_id(s.document().id(), "edited", shifted_text.clone());
        // Another document altogether: the only one, so annotations are found by quote.
        let other = Document::new("pasted", shifted_text);
        for doc in [&same, &other] {
            let import = w3c::parse("a.json", &bare, &[doc]);
            assert_eq!(import.errors, []);
            let got: Vec<_> = import.docs[0]
                .spans
                .iter()
                .map(|sp| {
                    (
                        sp.label.clone(),
                        sp.start - inserted.len(),
                        sp.end - inserted.len(),
                    )
                })
                .collect();
            let want: Vec<_> = s
                .spans()
                .iter()
                .map(|sp| (sp.label.0.clone(), sp.start, sp.end))
                .collect();
            assert_eq!(got, want);
        }
    }
}

#[test]
fn an_ambiguous_quote_needs_its_context() {
    let doc = Document::new("d", "the cat sat, and the cat ran");
    let iri = w3c::doc_iri(doc.id());
    let annotation = |quote: Value| {
        json!([{
            "type": "Annotation",
            "body": "animal",
            "target": {"source": iri, "selector": [
                quote,
                {"type": "TextPositionSelector", "start": 2, "end": 9}
            ]}
        }])
        .to_string()
    };
    let bare = annotation(json!({"type": "TextQuoteSelector", "exact": "the cat"}));
    let import = w3c::parse("a.json", &bare, &[&doc]);
    assert_eq!(
        messages(&import),
        ["a.json, record 1, field \"target.selector[0].exact\": the quote \"the cat\" is in the document's text 2 times and the selector has no prefix or suffix to tell which one is meant"]
    );
    let with_prefix =
        annotation(json!({"type": "TextQuoteSelector", "exact": "the cat", "prefix": "and "}));
    let import = w3c::parse("a.json", &with_prefix, &[&doc]);
    assert_eq!(import.errors, []);
    assert_eq!(import.docs[0].spans[0].start, 17);
    let wrong =
        annotation(json!({"type": "TextQuoteSelector", "exact": "the cat", "suffix": " slept"}));
    assert_eq!(
        messages(&w3c::parse("a.json", &wrong, &[&doc])),
        ["a.json, record 1, field \"target.selector[0].exact\": the quote \"the cat\" is in the document's text (2 times), but never with the selector's prefix and suffix"]
    );
    let same = annotation(json!({"type": "TextQuoteSelector", "exact": "cat", "prefix": "the "}));
    assert_eq!(
        messages(&w3c::parse("a.json", &same, &[&doc])),
        ["a.json, record 1, field \"target.selector[0].exact\": the quote \"cat\" is in the document's text 2 times and its prefix and suffix do not tell which one is meant"]
    );
    let absent = annotation(json!({"type": "TextQuoteSelector", "exact": "the dog"}));
    assert_eq!(
        messages(&w3c::parse("a.json", &absent, &[&doc])),
        ["a.json, record 1, field \"target.selector[0].exact\": the quote \"the dog\" is not in the document's text"]
    );
}

#[test]
fn bodies_and_containers_of_other_tools_are_read() {
    let doc = Document::new("d", "Alpha beta gamma");
    let iri = w3c::doc_iri(doc.id());
    let target = |exact: &str| json!({"source": iri, "selector": {"type": "TextQuoteSelector", "exact": exact}});
    let page = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {"type": "Annotation", "motivation": "tagging", "body": "x", "target": target("Alpha")},
            {"type": "Annotation", "motivation": "commenting",
             "body": [{"type": "TextualBody", "value": "nice", "purpose": "commenting"},
                      {"type": "TextualBody", "value": "y", "purpose": "tagging"},
                      {"id": "http://example.org/z", "purpose": "classifying"}],
             "target": [target("beta")]},
            {"type": "Annotation", "bodyValue": "w", "target": target("gamma")},
        ],
        "next": {"type": "AnnotationPage", "items": [
            {"type": ["Annotation"], "body": {"type": "TextualBody", "value": "v"}, "target": target("gamma")}
        ]}
    });
    let import = w3c::parse("page.json", &page.to_string(), &[&doc]);
    assert_eq!(import.errors, []);
    let t = |l: &str, x: &str| (l.to_owned(), x.to_owned());
    assert_eq!(
        tagged(&import),
        [vec![
            t("x", "Alpha"),
            t("y", "beta"),
            t("http://example.org/z", "beta"),
            t("w", "gamma"),
            t("v", "gamma")
        ]]
    );
    // One annotation on its own, with a position only.
    let one = json!({"type": "Annotation", "body": {"value": "q", "purpose": "tagging"},
                     "target": {"source": iri, "selector": {"type": "TextPositionSelector", "start": 6, "end": 10}}});
    assert_eq!(
        tagged(&w3c::parse("one.json", &one.to_string(), &[&doc])),
        [vec![t("q", "beta")]]
    );
}

#[test]
fn errors_name_the_annotation_field_and_problem() {
    let e = edge();
    let good = export(std::slice::from_ref(&e), "p");
    let msgs = |input: &str| messages(&w3c::parse("p.jsonld", input, &[]));
    let mut file: Value = serde_json::from_str(&good).unwrap();
    let edit = |f: &mut Value, i: usize, path: &[&str], v: Value| {
        let mut at = &mut f["first"]["items"][i];
        for k in path {
            at = match k.parse::<usize>() {
                Ok(n) => &mut at[n],
                Err(_) => &mut at[*k],
            };
        }
        *at = v;
    };

    // Not JSON.
    let bad = msgs("{\"type\": ");
    assert_eq!(
        bad,
        ["p.jsonld: not valid JSON (EOF while parsing a value at line 1 column 9)"]
    );

    // A position past the end with no quote to fall back on; a quote not in the text;
    // a missing target; a body that is a comment. Each annotation is left out alone.
    edit(
        &mut file,
        0,
        &["target", "selector"],
        json!([{"type": "TextPositionSelector", "start": 3, "end": 9999}]),
    );
    edit(
        &mut file,
        1,
        &["target", "selector", "0", "exact"],
        json!("Families gathered inside."),
    );
    file["first"]["items"][2]
        .as_object_mut()
        .unwrap()
        .remove("target");
    edit(&mut file, 3, &["body", "purpose"], json!("commenting"));
    let import = w3c::parse("p.jsonld", &file.to_string(), &[]);
    assert_eq!(
        messages(&import),
        [
            "p.jsonld, record 1, field \"target.selector[0].end\": offset 9999 is past the end of the text (513 code points)",
            "p.jsonld, record 2, field \"target.selector[0].exact\": the quote \"Families gathered inside.\" is not in the document's text",
            "p.jsonld, record 3, field \"target\": is missing",
            "p.jsonld, record 4, field \"body\": has no tagging body: Marginalia reads the label from a body with purpose \"tagging\" or \"classifying\"",
        ]
    );
    assert_eq!(import.errors[0].place, Place::Record(1));
    assert_eq!(
        import.docs[0].spans.len(),
        4,
        "the other annotations are read"
    );

    // A document without its text: annotations on it say so.
    let mut file: Value = serde_json::from_str(&good).unwrap();
    file["marginalia:documents"][0]
        .as_object_mut()
        .unwrap()
        .remove("value");
    let m = msgs(&file.to_string());
    assert_eq!(
        m[0],
        "p.jsonld, field \"marginalia:documents[0].value\": is missing"
    );
    assert_eq!(
        m[1],
        "p.jsonld, record 1, field \"target.source\": is the document marginalia:documents[0], which could not be read"
    );

    // Wrong shapes.
    assert_eq!(
        msgs(r#"{"type": "Thing"}"#),
        ["p.jsonld: is not a W3C Web Annotation, AnnotationPage, AnnotationCollection or array of Annotations"]
    );
    assert_eq!(
        msgs(r#"{"type": "AnnotationCollection", "first": "https://example.org/page1"}"#),
        [
            "p.jsonld, field \"first\": is not an AnnotationPage in this file (a collection published in pages elsewhere must be downloaded page by page)",
            "p.jsonld: the file holds no annotations"
        ]
    );
    assert_eq!(
        msgs(r#"[{"type": "Annotation", "body": "x", "target": "urn:marginalia:doc-1"}]"#),
        ["p.jsonld, record 1, field \"target\": is a whole document, not a stretch of its text: it has no selector"]
    );
}

#[test]
fn notes_and_speakers_are_extra_bodies_and_the_file_still_imports() {
    use marginalia_core::{LabelId, SpanDetails, Speaker};
    let mut ed = seed();
    let text = ed.document().text().to_owned();
    let at = text.find("Peskov told").unwrap();
    let peskov = ed.tag(&LabelId("fact".into()), at..at + 6, NOW).unwrap();
    let quote = ed
        .spans()
        .iter()
        .find(|s| s.label.as_str() == "quote")
        .unwrap()
        .id
        .clone();
    let details = SpanDetails {
        note: "a briefing".into(),
        speaker: Some(Speaker::Span(peskov.clone())),
    };
    ed.set_details(&quote, details, NOW).unwrap();
    let eds = [ed];
    let json = export(&eds, "p");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let items = value["first"]["items"].as_array().unwrap();
    let annotated = items.iter().find(|a| a["body"].is_array()).unwrap();
    let bodies = annotated["body"].as_array().unwrap();
    assert_eq!(bodies[0]["purpose"], "tagging");
    assert_eq!(
        bodies[1],
        serde_json::json!({"type": "TextualBody", "purpose": "commenting", "value": "a briefing"})
    );
    assert_eq!(bodies[2]["purpose"], "linking");
    let target = items
        .iter()
        .find(|a| a["id"] == bodies[2]["source"])
        .expect("links to the speaker's annotation");
    assert_eq!(target["target"]["selector"][0]["exact"], "Peskov");
    let back = w3c::parse("p.jsonld", &json, &[]);
    assert_eq!(back.errors, []);
    assert_eq!(back.docs[0].spans.len(), eds[0].spans().len());
    // The note and the speaker link come back.
    let quote_back = back.docs[0]
        .spans
        .iter()
        .find(|s| s.id.as_deref() == Some(quote.as_str()))
        .unwrap();
    assert_eq!(quote_back.details.note, "a briefing");
    assert_eq!(quote_back.details.speaker, Some(Speaker::Span(peskov)));
}
