//! doccano JSONL: golden files, exact round trips in UTF-16 units, the other shapes
//! doccano writes, and import errors.

mod common;

use common::*;
use marginalia_core::formats::{doccano, Place};
use marginalia_core::{Editor, LabelSet};
use proptest::prelude::*;
use serde_json::{json, Value};

fn export(eds: &[Editor], name: &str) -> String {
    let labels = LabelSet::default();
    let file = doccano::export(&input(&labels, eds), name);
    assert_eq!(file.name, format!("{name}.jsonl"));
    assert_eq!(file.mime, "application/jsonl");
    String::from_utf8(file.bytes).unwrap()
}

#[test]
fn golden_files() {
    golden(
        "doccano/seed-article.jsonl",
        export(&[seed()], "seed-article").as_bytes(),
    );
    golden(
        "doccano/unicode-edge.jsonl",
        export(&[edge()], "unicode-edge").as_bytes(),
    );
    golden(
        "doccano/project.jsonl",
        export(&[seed(), edge()], "project").as_bytes(),
    );
}

/// The offsets are JavaScript string indices (UTF-16 code units), as doccano counts.
#[test]
fn offsets_are_utf16_units() {
    let out = export(&[edge()], "e");
    let line: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let units: Vec<u16> = line["text"].as_str().unwrap().encode_utf16().collect();
    let texts: Vec<String> = line["label"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let (s, e) = (
                l[0].as_u64().unwrap() as usize,
                l[1].as_u64().unwrap() as usize,
            );
            String::from_utf16(&units[s..e]).unwrap()
        })
        .collect();
    let expected: Vec<String> = span_tuples(&edge()).into_iter().map(|t| t.3).collect();
    assert_eq!(texts, expected);
    // The first span comes after "😀": 2 UTF-16 units, 1 code point (145 in code points).
    assert_eq!(line["label"][0], json!([146, 161, "quote"]));
}

fn round_trip(eds: &[Editor]) {
    let back = doccano::parse("p.jsonl", &export(eds, "p"));
    assert_restored(eds, &back, Carries::Identity);
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
fn other_keys_and_entry_shapes_are_read() {
    let file = [
        json!({"id": 3, "text": "A 😀 B", "labels": [[0, 1, "X"], [5, 6, "Y"]]}),
        json!({"text": "A 😀 B", "entities": [{"start_offset": 2, "end_offset": 4, "label": "E"}]}),
        json!({"id": 15, "text": "EU rejects", "annotations": [{"label": 7, "start_offset": 0, "end_offset": 2, "user": 1}], "meta": {}}),
        json!({"text": "no spans yet", "Comments": ["hm"]}),
        json!({"text": "twice", "label": [[0, 5, "X"], [0, 5, "X"]]}),
    ]
    .map(|v| v.to_string())
    .join("\n");
    let import = doccano::parse("data.jsonl", &file);
    assert_eq!(import.errors, []);
    let got: Vec<(String, Vec<(String, String)>)> = import
        .docs
        .iter()
        .map(|d| {
            (
                d.name.clone(),
                d.spans
                    .iter()
                    .map(|s| (s.label.clone(), d.text[s.start..s.end].to_owned()))
                    .collect(),
            )
        })
        .collect();
    let pair = |l: &str, t: &str| (l.to_owned(), t.to_owned());
    assert_eq!(
        got,
        [
            ("data 3".to_owned(), vec![pair("X", "A"), pair("Y", "B")]),
            ("data line 2".to_owned(), vec![pair("E", "😀")]),
            ("data 15".to_owned(), vec![pair("7", "EU")]),
            ("data line 4".to_owned(), vec![]),
            ("data line 5".to_owned(), vec![pair("X", "twice")]),
        ]
    );
    assert_eq!(import.docs[0].meta, Some(json!({"id": 3})));
    assert_eq!(import.docs[2].meta, Some(json!({"id": 15, "meta": {}})));
    assert_eq!(import.docs[3].meta, Some(json!({"Comments": ["hm"]})));
    // A JSON array of the same records is read too, record by record.
    let array = doccano::parse(
        "a.json",
        r#"[{"text": "ab", "label": [[0, 1, "X"]]}, {"text": 1}]"#,
    );
    assert_eq!(array.docs.len(), 1);
    assert_eq!(array.errors[0].place, Place::Record(2));
}

#[test]
fn errors_name_the_line_field_and_problem() {
    let good = export(&[edge()], "p");
    let msgs = |input: &str| -> Vec<String> {
        doccano::parse("p.jsonl", input)
            .errors
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let line: Value = serde_json::from_str(good.trim_end()).unwrap();
    let with = |key: &str, i: usize, j: usize, v: Value| {
        let mut l = line.clone();
        l[key][i][j] = v;
        l.to_string()
    };

    // A bad JSON line among good ones: only it is left out.
    let file = format!("{good}{{oops\n{good}");
    let import = doccano::parse("p.jsonl", &file);
    assert_eq!(import.docs.len(), 2);
    assert_eq!(import.errors.len(), 1);
    assert_eq!(
        import.errors[0].to_string(),
        "p.jsonl, line 2: not valid JSON (key must be a string at line 1 column 2)"
    );

    // Past the end (the text is 520 UTF-16 units long, 513 code points).
    assert_eq!(
        msgs(&with("label", 2, 1, json!(9999))),
        ["p.jsonl, line 1, field \"label[2][1]\": offset 9999 is past the end of the text (520 UTF-16 code units)"]
    );

    // Inside the surrogate pair of "😀" (UTF-16 units 73 and 74).
    assert_eq!(
        msgs(&with("label", 1, 0, json!(74))),
        ["p.jsonl, line 1, field \"label[1][0]\": offset 74 (UTF-16 code units) falls between the two halves of the surrogate pair of '😀' (U+1F600), inside the character"]
    );

    // Start after end, and a label that is not one.
    assert_eq!(
        msgs(&with("label", 0, 0, json!(170))),
        ["p.jsonl, line 1, field \"label[0][0]\": start 170 is not before end 161"]
    );
    assert_eq!(
        msgs(&with("label", 3, 2, json!(null))),
        ["p.jsonl, line 1, field \"label[3][2]\": is not a label (a non-empty string, or a label number)"]
    );

    // Missing fields.
    assert_eq!(
        msgs(r#"{"label": [[0, 1, "X"]]}"#),
        ["p.jsonl, line 1, field \"text\": is missing"]
    );
    assert_eq!(
        msgs(r#"{"text": "ab", "entities": [{"start_offset": 0, "label": "X"}]}"#),
        ["p.jsonl, line 1, field \"entities[0].end_offset\": is missing"]
    );
    assert_eq!(
        msgs(r#"{"text": "ab", "label": [[0, 1]]}"#),
        ["p.jsonl, line 1, field \"label[0]\": has 2 items, not 3: a span is [start, end, label]"]
    );

    // A changed text; two span keys; a text-classification file.
    assert_eq!(
        msgs(&good.replacen("Baghaei", "Baghai", 1)),
        ["p.jsonl, line 1, field \"meta.sha256\": does not match text: the text was changed after export"]
    );
    assert_eq!(
        msgs(r#"{"text": "ab", "label": [], "entities": []}"#),
        ["p.jsonl, line 1, field \"entities\": is given as well as \"label\": a record's spans must be in one of them"]
    );
    assert_eq!(
        msgs(r#"{"text": "ab", "label": ["positive"]}"#),
        ["p.jsonl, line 1, field \"label[0]\": is the string \"positive\", not a span [start, end, label]: this looks like a doccano text-classification export, which has no spans"]
    );
    assert_eq!(msgs("\n\n"), ["p.jsonl: the file holds no documents"]);
}
