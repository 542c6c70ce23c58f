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
