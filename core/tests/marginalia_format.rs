//! Marginalia JSON and JSONL: golden files, exact round trips, and import errors.

mod common;

use common::*;
use marginalia_core::formats::{marginalia, Place};
use marginalia_core::LabelSet;
use proptest::prelude::*;

#[test]
fn golden_files() {
    let labels = LabelSet::default();
    let eds = [seed(), edge()];
    let input = input(&labels, &eds);
    for view in &input.docs {
        let file = marginalia::export_json(*view, &input);
        golden(&format!("marginalia/{}", file.name), &file.bytes);
    }
    let file = marginalia::export_jsonl(&input, "project");
    assert_eq!(file.name, "project.jsonl");
    golden("marginalia/project.jsonl", &file.bytes);
}

fn round_trip(eds: &[marginalia_core::Editor]) {
    let labels = LabelSet::default();
    let input = input(&labels, eds);
    let jsonl = marginalia::export_jsonl(&input, "p");
    let back = marginalia::parse("p.jsonl", std::str::from_utf8(&jsonl.bytes).unwrap());
    assert_restored(eds, &back, Carries::Everything);
    assert_eq!(back.labels, labels.0, "the label set comes back too");
    // A single document's JSON reads back the same way.
    let json = marginalia::export_json(input.docs[0], &input);
    let one = marginalia::parse("d.json", std::str::from_utf8(&json.bytes).unwrap());
    assert_eq!(one.errors, []);
    assert_eq!(one.docs[0], back.docs[0]);
}

#[test]
fn corpus_round_trips_exactly() {
    round_trip(&[seed(), edge()]);
}

proptest! {
    #[test]
    fn random_documents_round_trip_exactly(a in arb_editor(), b in arb_editor()) {
        round_trip(&[a, b]);
    }
}

#[test]
fn errors_name_the_line_field_and_problem() {
    let labels = LabelSet::default();
    let eds = [edge()];
    let good =
        String::from_utf8(marginalia::export_jsonl(&input(&labels, &eds), "p").bytes).unwrap();
    let shifted = good.replacen("\"start\":167", "\"start\":168", 1);
    let cut = good.replacen("\"end\":193", "\"end\":9999", 1);
    let file = format!("{good}\n{{oops\n{shifted}{cut}");
    let import = marginalia::parse("mixed.jsonl", &file);
    assert_eq!(import.docs.len(), 1, "only the valid line is imported");
    let messages: Vec<String> = import.errors.iter().map(ToString::to_string).collect();
    assert_eq!(import.errors[0].place, Place::Line(3));
    assert!(
        messages[0].starts_with("mixed.jsonl, line 3: not valid JSON"),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("mixed.jsonl, line 4, field \"spans[")
                && m.contains("start_utf16")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("mixed.jsonl, line 5, field \"spans[")
                && m.contains(".end\": offset 9999 is past the end of the text (513 code points)")),
        "{messages:?}"
    );
    let newer = good.replacen("\"format_version\":1", "\"format_version\":9", 1);
    let e = &marginalia::parse("n.jsonl", &newer).errors[0];
    assert_eq!(e.to_string(), "n.jsonl, line 1, field \"format_version\": is 9: written by a newer Marginalia (this one reads up to 1)");
    let tampered = good.replacen("Tehran", "Tehrun", 1);
    assert!(marginalia::parse("t.jsonl", &tampered).errors[0]
        .to_string()
        .contains("document.sha256"));
}

#[test]
fn notes_and_speakers_round_trip_through_an_import() {
    use marginalia_core::{Editor, SpanDetails, Speaker, Timestamp};
    let mut ed = seed();
    let text = ed.document().text().to_owned();
    let at = text.find("Peskov told").unwrap();
    let peskov = ed
        .tag(
            &marginalia_core::LabelId("fact".into()),
            at..at + 6,
            Timestamp(1),
        )
        .unwrap();
    let quote = ed
        .spans()
        .iter()
        .find(|s| s.label.as_str() == "quote")
        .unwrap()
        .id
        .clone();
    let details = SpanDetails {
        note: "said at a daily briefing".into(),
        speaker: Some(Speaker::Span(peskov.clone())),
    };
    ed.set_details(&quote, details, Timestamp(2)).unwrap();
    let labels = LabelSet::default();
    let eds = [ed];
    let file = marginalia::export_jsonl(&input(&labels, &eds), "p");
    let json = String::from_utf8(file.bytes).unwrap();
    assert!(
        json.contains(&format!(
            "\"speaker\":{{\"span\":\"{peskov}\",\"text\":\"Peskov\"}}"
        )),
        "{json}"
    );
    assert!(json.contains("\"note\":\"said at a daily briefing\""));
    // Imported into another editor, the link still names the speaker span.
    let mut import = marginalia::parse("p.jsonl", &json);
    assert_eq!(import.errors, []);
    let doc = import.docs.remove(0);
    let mut target = Editor::new(
        marginalia_core::Document::new("t", "x"),
        LabelSet::default(),
    );
    target.import_document(doc, &[], Timestamp(3));
    let quote_span = target
        .spans()
        .iter()
        .find(|s| s.details.note == "said at a daily briefing")
        .unwrap();
    let Some(Speaker::Span(link)) = &quote_span.details.speaker else {
        panic!("the speaker link survives the import")
    };
    assert_eq!(
        &target.document().text()[target.span(link).unwrap().range()],
        "Peskov"
    );
}
