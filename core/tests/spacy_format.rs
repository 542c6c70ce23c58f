//! spaCy / Prodigy JSONL: golden files, exact round trips, token alignment checked the
//! way a Python reader would (code-point slicing), and import errors.

mod common;

use common::*;
use marginalia_core::formats::{spacy, Place};
use marginalia_core::{Editor, LabelSet};
use proptest::prelude::*;
use serde_json::Value;

#[test]
fn golden_files() {
    let labels = LabelSet::default();
    let eds = [seed(), edge()];
    for ed in &eds {
        let one = std::slice::from_ref(ed);
        let file = spacy::export(&input(&labels, one), ed.document().name());
        golden(&format!("spacy/{}", file.name), &file.bytes);
    }
    let file = spacy::export(&input(&labels, &eds), "project");
    assert_eq!(file.name, "project.jsonl");
    assert_eq!(file.mime, "application/jsonl");
    golden("spacy/project.jsonl", &file.bytes);
}

/// Checks one exported task as a Python reader would: every token's and span's text is
/// `text[start:end]` in code points, the tokens with their `ws` rebuild the text, and
/// every span starts at its `token_start`'s start and ends at its `token_end`'s end.
fn check_task(task: &Value) {
    let text: Vec<char> = task["text"].as_str().unwrap().chars().collect();
    let slice = |v: &Value| -> String {
        let (a, b) = (
            v["start"].as_u64().unwrap() as usize,
            v["end"].as_u64().unwrap() as usize,
        );
        text[a..b].iter().collect()
    };
    let tokens = task["tokens"].as_array().unwrap();
    let mut rebuilt = String::new();
    for (i, t) in tokens.iter().enumerate() {
        assert_eq!(t["id"].as_u64(), Some(i as u64));
        assert_eq!(slice(t), t["text"].as_str().unwrap(), "token {i}");
        rebuilt.push_str(t["text"].as_str().unwrap());
        if t["ws"].as_bool().unwrap() {
            rebuilt.push(' ');
        }
    }
    assert_eq!(rebuilt, text.iter().collect::<String>());
    for s in task["spans"].as_array().unwrap() {
        assert_eq!(slice(s), s["text"].as_str().unwrap());
        let first = &tokens[s["token_start"].as_u64().unwrap() as usize];
        let last = &tokens[s["token_end"].as_u64().unwrap() as usize];
        assert_eq!(first["start"], s["start"], "span {s}");
        assert_eq!(last["end"], s["end"], "span {s} (token_end is inclusive)");
    }
}

fn round_trip(eds: &[Editor]) {
    let labels = LabelSet::default();
    let input = input(&labels, eds);
    let file = spacy::export(&input, "p");
    let jsonl = std::str::from_utf8(&file.bytes).unwrap();
    for line in jsonl.lines() {
        check_task(&serde_json::from_str(line).unwrap());
    }
    let back = spacy::parse("p.jsonl", jsonl);
    assert_restored(eds, &back, Carries::Everything);
}

#[test]
fn corpus_round_trips_exactly() {
    round_trip(&[seed(), edge()]);
}

proptest! {
    #[test]
    fn random_documents_round_trip_and_align(a in arb_editor(), b in arb_editor()) {
        round_trip(&[a, b]);
    }
}

/// The edge document's task as a JSON value, for tests to break.
fn edge_task() -> Value {
    let labels = LabelSet::default();
    let eds = [edge()];
    let file = spacy::export(&input(&labels, &eds), "e");
    serde_json::from_slice(&file.bytes).unwrap()
}

fn messages(file: &str, tasks: &[Value]) -> Vec<String> {
    let text: String = tasks.iter().map(|t| format!("{t}\n")).collect();
    let import = spacy::parse(file, &text);
    assert!(import.docs.is_empty(), "{:?}", import.docs);
    import.errors.iter().map(ToString::to_string).collect()
}

#[test]
fn a_prodigy_record_without_tokens_or_meta_imports_with_any_case_of_label() {
    let line = r#"{"text":"Peskov said 😀 the visit was “being prepared”.\nMore.","spans":[{"start":0,"end":11,"label":"QUOTE"},{"start":14,"end":45,"label":"Fact"},{"start":46,"end":51,"label":"CLAIM","answer":"accept"}],"answer":"accept"}"#;
    let import = spacy::parse("prodigy.jsonl", &format!("{line}\n\n"));
    assert_eq!(import.errors, []);
    let doc = &import.docs[0];
    assert_eq!(doc.name, "Peskov said 😀 the visit was “being prepared”.");
    assert_eq!(doc.id, None);
    let got: Vec<(&str, &str)> = doc
        .spans
        .iter()
        .map(|s| (s.label.as_str(), &doc.text[s.start..s.end]))
        .collect();
    assert_eq!(
        got,
        [
            ("quote", "Peskov said"),
            ("fact", "the visit was “being prepared”."),
            ("CLAIM", "More.")
        ]
    );
    assert_eq!(
        import.unknown_labels(&LabelSet::default()),
        ["CLAIM".to_owned()].into()
    );
    // A JSON array of tasks is read too, counting records.
    let array = spacy::parse("tasks.json", &format!("[{line}, {{}}]"));
    assert_eq!(array.docs.len(), 1);
    assert_eq!(
        array.errors[0].to_string(),
        "tasks.json, record 2, field \"text\": is missing"
    );
}

#[test]
fn errors_name_the_line_field_and_problem() {
    let good = edge_task();
    let good_line = format!("{good}\n");

    // A bad JSON line among good ones: only that line is left out.
    let import = spacy::parse("mixed.jsonl", &format!("{good_line}{{oops\n{good_line}"));
    assert_eq!(import.docs.len(), 2);
    assert_eq!(import.errors.len(), 1);
    assert_eq!(import.errors[0].place, Place::Line(2));
    assert!(
        import.errors[0]
            .to_string()
            .starts_with("mixed.jsonl, line 2: not valid JSON ("),
        "{}",
        import.errors[0]
    );

    // An offset past the end of the text.
    let mut t = good.clone();
    t["spans"][0]["end"] = 9999.into();
    assert_eq!(
        messages("e.jsonl", &[t]),
        ["e.jsonl, line 1, field \"spans[0].end\": offset 9999 is past the end of the text (513 code points)"]
    );

    // A span whose quoted text is not the text at its offsets (start moved by one).
    let mut t = good.clone();
    t["spans"][0]["start"] = 146.into();
    assert_eq!(
        messages("e.jsonl", &[t]),
        [
            "e.jsonl, line 1, field \"spans[0].text\": the span's text \"“We are ready.”\" is not the document's text at its offsets (\"We are ready.”\")"
        ]
    );

    // Without the quoted text, the same shift is caught by the tokens.
    let mut t = good.clone();
    t["spans"][0]["start"] = 146.into();
    t["spans"][0].as_object_mut().unwrap().remove("text");
    assert_eq!(
        messages("e.jsonl", &[t]),
        ["e.jsonl, line 1, field \"spans[0].token_start\": is 29, but token 29 starts at code point 145, not at the span's start 146"]
    );

    // token_end is inclusive: pointing one past the last token is wrong.
    let mut t = good.clone();
    let end = t["spans"][0]["token_end"].as_u64().unwrap();
    t["spans"][0]["token_end"] = (end + 1).into();
    assert_eq!(
        messages("e.jsonl", &[t]),
        [format!("e.jsonl, line 1, field \"spans[0].token_end\": is {}, but token {} ends at code point 166, not at the span's end 160", end + 1, end + 1)]
    );

    // A token index past the list.
    let mut t = good.clone();
    t["spans"][1]["token_start"] = 5000.into();
    let n = t["tokens"].as_array().unwrap().len();
    assert_eq!(
        messages("e.jsonl", &[t]),
        [format!("e.jsonl, line 1, field \"spans[1].token_start\": is 5000, but there are only {n} tokens")]
    );

    // A token whose text is not the text at its offsets, and a wrong token id.
    let mut t = good.clone();
    t["tokens"][0]["text"] = "Teheran".into();
    t["tokens"][2]["id"] = 7.into();
    assert_eq!(
        messages("e.jsonl", &[t]),
        [
            "e.jsonl, line 1, field \"tokens[0].text\": the token's text \"Teheran\" is not the document's text at its offsets (\"Tehran\")",
            "e.jsonl, line 1, field \"tokens[2].id\": is 7, but this is token 2: token ids count from 0 in list order"
        ]
    );

    // A token that says a space follows it when none does.
    let mut t = good.clone();
    t["tokens"][10]["ws"] = true.into();
    assert_eq!(
        messages("e.jsonl", &[t]),
        ["e.jsonl, line 1, field \"tokens[10].ws\": is true, but no space follows the token in the text"]
    );

    // A missing field, a field of the wrong type, an empty span.
    let mut t = good.clone();
    t["spans"][2].as_object_mut().unwrap().remove("label");
    t["spans"][3]["start"] = "167".into();
    t["spans"][4]["end"] = t["spans"][4]["start"].clone();
    assert_eq!(
        messages("e.jsonl", &[t]),
        [
            "e.jsonl, line 1, field \"spans[2].label\": is missing",
            "e.jsonl, line 1, field \"spans[3].start\": is not a non-negative integer",
            "e.jsonl, line 1, field \"spans[4].start\": start 332 is not before end 332",
        ]
    );
    let mut t = good.clone();
    t.as_object_mut().unwrap().remove("text");
    assert_eq!(
        messages("e.jsonl", &[t]),
        ["e.jsonl, line 1, field \"text\": is missing"]
    );

    // The text changed after export, a rejected example, a bad time.
    let mut t = good.clone();
    t["text"] = t["text"]
        .as_str()
        .unwrap()
        .replacen("Tehran", "Tehrun", 1)
        .into();
    let mut r = good.clone();
    r["answer"] = "reject".into();
    let mut time = good.clone();
    time["spans"][0]["created"] = "yesterday".into();
    let m = messages("e.jsonl", &[t, r, time]);
    assert_eq!(
        m[..2],
        [
            "e.jsonl, line 1, field \"meta.sha256\": does not match the text: the text was changed after export",
            "e.jsonl, line 2, field \"answer\": is \"reject\": only accepted examples (\"accept\") are imported",
        ]
    );
    assert!(
        m[2].starts_with(
            "e.jsonl, line 3, field \"spans[0].created\": \"yesterday\" is not an RFC 3339 time"
        ),
        "{m:?}"
    );

    // Nothing at all.
    assert_eq!(
        messages("empty.jsonl", &[]),
        ["empty.jsonl: the file holds no documents"]
    );
}

#[test]
fn labels_match_a_custom_label_set_ignoring_case() {
    let line = r#"{"text":"Claim one. Claim two.","spans":[{"start":0,"end":10,"label":"CLAIM"},{"start":11,"end":21,"label":"Other"}]}"#;
    let mut import = spacy::parse("c.jsonl", line);
    let mut labels = LabelSet::default();
    labels.0[0].id.0 = "claim".into();
    spacy::match_labels(&mut import, &labels);
    let got: Vec<&str> = import.docs[0]
        .spans
        .iter()
        .map(|s| s.label.as_str())
        .collect();
    assert_eq!(got, ["claim", "Other"]);
}
