//! Label Studio JSON tasks: golden files, exact round trips, the labelling config, older
//! (UTF-16) files, predictions, and import errors.

mod common;

use common::*;
use marginalia_core::formats::{label_studio, Place};
use marginalia_core::{Editor, LabelSet};
use proptest::prelude::*;
use serde_json::{json, Value};

fn export(eds: &[Editor], name: &str) -> String {
    let labels = LabelSet::default();
    let file = label_studio::export(&input(&labels, eds), name);
    assert_eq!(file.name, format!("{name}.json"));
    assert_eq!(file.mime, "application/json");
    String::from_utf8(file.bytes).unwrap()
}

#[test]
fn golden_files() {
    golden(
        "label_studio/seed-article.json",
        export(&[seed()], "seed-article").as_bytes(),
    );
    golden(
        "label_studio/unicode-edge.json",
        export(&[edge()], "unicode-edge").as_bytes(),
    );
    golden(
        "label_studio/project.json",
        export(&[seed(), edge()], "project").as_bytes(),
    );
    golden(
        "label_studio/labeling-config.xml",
        label_studio::labeling_config(&LabelSet::default()).as_bytes(),
    );
}

/// Every result's `value.text` is the task text sliced by code points, as Python does.
#[test]
fn results_quote_the_text_at_code_point_offsets() {
    let tasks: Value = serde_json::from_str(&export(&[seed(), edge()], "p")).unwrap();
    let mut count = 0;
    for task in tasks.as_array().unwrap() {
        let chars: Vec<char> = task["data"]["text"].as_str().unwrap().chars().collect();
        for result in task["annotations"][0]["result"].as_array().unwrap() {
            let v = &result["value"];
            let (s, e) = (
                v["start"].as_u64().unwrap() as usize,
                v["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                chars[s..e].iter().collect::<String>(),
                v["text"].as_str().unwrap()
            );
            count += 1;
        }
    }
    assert_eq!(count, 15);
}

fn spans_of(ed: &Editor) -> Vec<(String, String, usize, usize)> {
    ed.spans()
        .iter()
        .map(|s| (s.id.0.clone(), s.label.0.clone(), s.start, s.end))
        .collect()
}

fn round_trip(eds: &[Editor]) {
    let back = label_studio::parse("p.json", &export(eds, "p"));
    assert_restored(eds, &back, Carries::Identity);
    for (ed, doc) in eds.iter().zip(&back.docs) {
        let spans: Vec<_> = doc
            .spans
            .iter()
            .map(|s| (s.id.clone().unwrap(), s.label.clone(), s.start, s.end))
            .collect();
        assert_eq!(spans, spans_of(ed), "span ids come back too");
    }
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
fn a_single_task_and_other_text_fields_are_read() {
    let task = json!({
        "id": 7,
        "data": {"content": "Hi 😀 Bob", "lang": "en"},
        "annotations": [{
            "result": [
                {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
                 "value": {"start": 5, "end": 8, "text": "Bob", "labels": ["PER", "NAME"]}},
                {"id": "c1", "type": "choices", "value": {"choices": ["ok"]}}
            ],
            "created_at": "2021-08-23T12:19:18.905800Z"
        }]
    });
    let import = label_studio::parse("one.json", &task.to_string());
    assert_eq!(import.errors, []);
    let doc = &import.docs[0];
    assert_eq!(doc.text, "Hi 😀 Bob");
    assert_eq!(doc.name, "one task 7");
    assert_eq!(
        doc.meta,
        Some(json!({"task_id": 7, "text_field": "content"}))
    );
    let spans: Vec<_> = doc
        .spans
        .iter()
        .map(|s| (s.id.as_deref(), s.label.as_str(), &doc.text[s.start..s.end]))
        .collect();
    // One span per label; the second keeps no id, since ids must be unique.
    assert_eq!(spans, [(Some("r1"), "PER", "Bob"), (None, "NAME", "Bob")]);
    assert_eq!(
        doc.spans[0].created,
        Some(marginalia_core::Timestamp(1_629_721_158_905))
    );
}

#[test]
fn predictions_are_read_only_without_annotations() {
    let result = |label: &str| json!([{"type": "labels", "value": {"start": 0, "end": 2, "text": "Hi", "labels": [label]}}]);
    let tasks = json!([
        {"data": {"text": "Hi there"}, "predictions": [{"result": result("model")}]},
        {"data": {"text": "Hi there"}, "annotations": [{"result": result("human")}],
         "predictions": [{"result": result("model")}]},
        {"data": {"text": "Hi there"}, "annotations": [{"was_cancelled": true, "result": []}],
         "predictions": [{"result": result("model")}]},
    ]);
    let import = label_studio::parse("p.json", &tasks.to_string());
    assert_eq!(import.errors, []);
    let labels: Vec<Vec<&str>> = import
        .docs
        .iter()
        .map(|d| d.spans.iter().map(|s| s.label.as_str()).collect())
        .collect();
    assert_eq!(labels, [vec!["model"], vec!["human"], vec!["model"]]);
    assert_eq!(import.docs[0].meta, Some(json!({"from": "predictions"})));
}

#[test]
fn two_annotators_on_the_same_text_make_one_span() {
    let result = json!([{"type": "labels", "value": {"start": 0, "end": 2, "labels": ["X"]}}]);
    let task =
        json!({"data": {"text": "Hi"}, "annotations": [{"result": result}, {"result": result}]});
    let import = label_studio::parse("t.json", &task.to_string());
    assert_eq!(import.docs[0].spans.len(), 1);
}

/// Before 2022 Label Studio wrote UTF-16 offsets; the quoted text shows which reading
/// is meant, so such a result is taken at its UTF-16 reading and counted in `meta`.
#[test]
fn older_utf16_offsets_are_recognised_by_their_text() {
    // HumanSignal/label-studio#1347: "💩This is an annotation." with "annotation" at
    // 13..23 (UTF-16); in code points it is 12..22.
    let task = json!([{"data": {"text": "💩This is an annotation."}, "annotations": [{"result": [
        {"type": "labels", "value": {"start": 13, "end": 23, "text": "annotation", "labels": ["A"]}},
        {"type": "labels", "value": {"start": 12, "end": 22, "text": "annotation", "labels": ["B"]}}
    ]}]}]);
    let import = label_studio::parse("old.json", &task.to_string());
    assert_eq!(import.errors, []);
    let doc = &import.docs[0];
    for s in &doc.spans {
        assert_eq!(&doc.text[s.start..s.end], "annotation");
    }
    assert_eq!(doc.meta, Some(json!({"utf16_offsets": 1})));
}

#[test]
fn errors_name_the_record_field_and_problem() {
    let good = export(&[seed(), edge()], "p");
    let msgs = |input: &str| -> Vec<String> {
        label_studio::parse("p.json", input)
            .errors
            .iter()
            .map(ToString::to_string)
            .collect()
    };

    // Not JSON at all.
    let bad = msgs("[{\"data\": ");
    assert_eq!(bad.len(), 1);
    assert_eq!(
        bad,
        ["p.json: not valid JSON (EOF while parsing a value at line 1 column 10)"]
    );

    // An offset past the end of the text: only that task is left out.
    let mut tasks: Value = serde_json::from_str(&good).unwrap();
    tasks[1]["annotations"][0]["result"][2]["value"]["end"] = json!(9999);
    let import = label_studio::parse("p.json", &tasks.to_string());
    assert_eq!(import.docs.len(), 1);
    assert_eq!(import.errors[0].place, Place::Record(2));
    assert_eq!(
        import.errors[0].to_string(),
        "p.json, record 2, field \"[1].annotations[0].result[2].value.end\": offset 9999 is past the end of the text (513 code points)"
    );

    // Text that does not match its offsets (in either unit).
    let mut tasks: Value = serde_json::from_str(&good).unwrap();
    tasks[0]["annotations"][0]["result"][1]["value"]["text"] = json!("Something else");
    assert_eq!(
        msgs(&tasks.to_string()),
        ["p.json, record 1, field \"[0].annotations[0].result[1].value.text\": the span's text \"Something else\" is not the document's text at its offsets (\"\\\"Such a visit is being prepared, prepar…\")"]
    );

    // Missing fields, several in one task: all are reported.
    let mut tasks: Value = serde_json::from_str(&good).unwrap();
    tasks[1]["annotations"][0]["result"][0]["value"]
        .as_object_mut()
        .unwrap()
        .remove("start");
    tasks[1]["annotations"][0]["result"][3]["value"]["labels"] = json!([]);
    assert_eq!(
        msgs(&tasks.to_string()),
        [
            "p.json, record 2, field \"[1].annotations[0].result[0].value.start\": is missing",
            "p.json, record 2, field \"[1].annotations[0].result[3].value.labels\": is empty: the result has no label",
        ]
    );
    let mut tasks: Value = serde_json::from_str(&good).unwrap();
    tasks[0].as_object_mut().unwrap().remove("data");
    assert_eq!(
        msgs(&tasks.to_string()),
        ["p.json, record 1, field \"[0].data\": is missing"]
    );

    // A changed text, and Label Studio's JSON-MIN export.
    let tampered = good.replacen("Baghaei", "Baghai", 1);
    assert_eq!(
        msgs(&tampered),
        ["p.json, record 2, field \"[1].data.meta.sha256\": does not match data.text: the text was changed after export"]
    );
    let min = json!([{"id": 1, "text": "Hi", "label": [{"start": 0, "end": 2, "text": "Hi", "labels": ["X"]}]}]);
    assert_eq!(
        msgs(&min.to_string()),
        ["p.json, record 1, field \"[0].data\": is missing: this looks like Label Studio's \"JSON-MIN\" export, which Marginalia does not read; export the project as \"JSON\" instead"]
    );
    assert_eq!(msgs("[]"), ["p.json: the file holds no tasks"]);
    assert_eq!(
        msgs("3"),
        ["p.json: is not a Label Studio task or an array of tasks"]
    );
    assert_eq!(
        msgs(r#"{"data": {"n": 1}}"#),
        ["p.json, record 1, field \"data.text\": is missing, and data has no other string field to read the text from"]
    );
}
