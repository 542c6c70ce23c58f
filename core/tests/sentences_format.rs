//! The sentence dataset: golden files (JSONL and CSV), the half-coverage rule worked
//! out by hand, CSV quoting, and, on random documents, offsets that slice in code
//! points and UTF-16 and labels that follow the rule.

mod common;

use common::*;
use marginalia_core::formats::sentences;
use marginalia_core::{Document, Editor, LabelId, LabelSet, Timestamp};
use proptest::prelude::*;
use serde_json::Value;

#[test]
fn golden_files() {
    let labels = LabelSet::default();
    let eds = [seed(), edge()];
    for ed in &eds {
        let one = std::slice::from_ref(ed);
        let input = input(&labels, one);
        for file in [
            sentences::export_jsonl(&input, ed.document().name()),
            sentences::export_csv(&input, ed.document().name()),
        ] {
            golden(&format!("sentences/{}", file.name), &file.bytes);
        }
    }
    let input = input(&labels, &eds);
    let jsonl = sentences::export_jsonl(&input, "project");
    assert_eq!(
        (jsonl.name.as_str(), jsonl.mime),
        ("project.sentences.jsonl", "application/jsonl")
    );
    golden("sentences/project.sentences.jsonl", &jsonl.bytes);
    let csv = sentences::export_csv(&input, "project");
    assert_eq!(
        (csv.name.as_str(), csv.mime),
        ("project.sentences.csv", "text/csv")
    );
    golden("sentences/project.sentences.csv", &csv.bytes);
}

fn tagged(name: &str, text: &str, tags: &[(&str, &str)]) -> Editor {
    let mut ed = Editor::new(Document::new(name, text), LabelSet::default());
    for (label, quote) in tags {
        let start = text.find(quote).unwrap();
        ed.tag(
            &LabelId((*label).into()),
            start..start + quote.len(),
            Timestamp(1),
        )
        .unwrap();
    }
    ed
}

#[test]
fn a_sentence_gets_a_label_covering_at_least_half_of_its_characters() {
    // "Ab cd efg." has 8 non-whitespace characters.
    let text = "Ab cd efg. Hi jk. Lm no pq rs.";
    let ed = tagged(
        "rule",
        text,
        &[
            ("fact", "Ab"),           // nested in the next: counted once
            ("fact", "Ab cd"),        // 4 of 8: exactly half, labelled
            ("quote", "Ab c"),        // 3 of 8: not labelled
            ("quote", "cd"),          // overlaps it: together "Ab cd" = 4 of 8, labelled
            ("boilerplate", "k. Lm"), // 2 of "Hijk." (5) = 0.4; 2 of 9 in the next
        ],
    );
    let labels = LabelSet::default();
    let eds = [ed];
    let input = input(&labels, &eds);
    let jsonl = String::from_utf8(sentences::export_jsonl(&input, "r").bytes).unwrap();
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(String, Value, Value)> = rows
        .iter()
        .map(|r| {
            (
                r["text"].as_str().unwrap().to_owned(),
                r["labels"].clone(),
                r["coverage"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "Ab cd efg.".to_owned(),
                serde_json::json!(["fact", "quote"]),
                serde_json::json!({"fact": 0.5, "quote": 0.5, "boilerplate": 0.0})
            ),
            (
                "Hi jk.".to_owned(),
                serde_json::json!([]),
                serde_json::json!({"fact": 0.0, "quote": 0.0, "boilerplate": 0.4})
            ),
            (
                "Lm no pq rs.".to_owned(),
                serde_json::json!([]),
                serde_json::json!({"fact": 0.0, "quote": 0.0, "boilerplate": 0.222})
            ),
        ]
    );
    let id = eds[0].document().id();
    // The coverage object keeps label-set order (not alphabetical).
    assert!(
        jsonl.starts_with(&format!(
            "{{\"doc_id\":\"{id}\",\"doc_name\":\"rule\",\"sentence\":0,\"start\":0,\"end\":10,\"start_utf16\":0,\"end_utf16\":10,\"text\":\"Ab cd efg.\",\"labels\":[\"fact\",\"quote\"],\"coverage\":{{\"fact\":0.5,\"quote\":0.5,\"boilerplate\":0.0}}}}\n"
        )),
        "{jsonl}"
    );
    let csv = String::from_utf8(sentences::export_csv(&input, "r").bytes).unwrap();
    assert_eq!(
        csv,
        format!(
            "doc_id,doc_name,sentence,start,end,start_utf16,end_utf16,text,labels,coverage_fact,coverage_quote,coverage_boilerplate\r\n\
             {id},rule,0,0,10,0,10,Ab cd efg.,fact|quote,0.500,0.500,0.000\r\n\
             {id},rule,1,11,17,11,17,Hi jk.,,0.000,0.000,0.400\r\n\
             {id},rule,2,18,30,18,30,Lm no pq rs.,,0.000,0.000,0.222\r\n"
        )
    );
}

#[test]
fn csv_quotes_fields_with_commas_quotes_and_line_breaks() {
    let ed = tagged(
        "Peskov, \"Kremlin\"\nnotes",
        "He said, \"No.\" 😀 Then left.",
        &[("quote", "said, \"No.\"")],
    );
    let labels = LabelSet::default();
    let eds = [ed];
    let csv = String::from_utf8(sentences::export_csv(&input(&labels, &eds), "q").bytes).unwrap();
    let id = eds[0].document().id();
    assert_eq!(
        csv.split("\r\n").nth(1).unwrap(),
        format!("{id},\"Peskov, \"\"Kremlin\"\"\nnotes\",0,0,14,0,14,\"He said, \"\"No.\"\"\",quote,0.000,0.833,0.000")
    );
    assert_eq!(
        csv.split("\r\n").nth(2).unwrap(),
        format!("{id},\"Peskov, \"\"Kremlin\"\"\nnotes\",1,15,27,15,28,😀 Then left.,,0.000,0.000,0.000")
    );
    assert_eq!(sentences::csv_field("plain text"), "plain text");
    assert_eq!(sentences::csv_field("a\rb"), "\"a\rb\"");
}

/// Every row of a JSONL export checked against the documents: the text slices in code
/// points and in UTF-16, and the labels follow the rule, worked out again here.
fn check(eds: &[Editor]) {
    let labels = LabelSet::default();
    let input = input(&labels, eds);
    let jsonl = String::from_utf8(sentences::export_jsonl(&input, "p").bytes).unwrap();
    let csv = String::from_utf8(sentences::export_csv(&input, "p").bytes).unwrap();
    let rows: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // One CSV record per JSONL row, plus the header (names have no line breaks here).
    assert_eq!(csv.split("\r\n").count(), rows.len() + 2);
    for ed in eds {
        let doc = ed.document();
        let chars: Vec<char> = doc.text().chars().collect();
        let utf16: Vec<u16> = doc.text().encode_utf16().collect();
        let mine: Vec<&Value> = rows.iter().filter(|r| r["doc_id"] == doc.id()).collect();
        for (i, r) in mine.iter().enumerate() {
            let at = |k: &str| r[k].as_u64().unwrap() as usize;
            assert_eq!(at("sentence"), i);
            let text = r["text"].as_str().unwrap();
            assert_eq!(
                chars[at("start")..at("end")].iter().collect::<String>(),
                text
            );
            assert_eq!(
                String::from_utf16(&utf16[at("start_utf16")..at("end_utf16")]).unwrap(),
                text
            );
            for label in ["fact", "quote", "boilerplate"] {
                let mut inside = vec![false; chars.len()];
                for s in ed.spans().iter().filter(|s| s.label.as_str() == label) {
                    let (a, b) = (
                        doc.counts_at(s.start).code_points,
                        doc.counts_at(s.end).code_points,
                    );
                    inside[a..b].iter_mut().for_each(|c| *c = true);
                }
                let solid: Vec<usize> = (at("start")..at("end"))
                    .filter(|&k| !chars[k].is_whitespace())
                    .collect();
                let covered = solid.iter().filter(|&&k| inside[k]).count();
                let labelled = r["labels"].as_array().unwrap().iter().any(|l| l == label);
                assert_eq!(
                    labelled,
                    covered > 0 && 2 * covered >= solid.len(),
                    "{label} in {r}"
                );
                let fraction = r["coverage"][label].as_f64().unwrap();
                let exact = covered as f64 / solid.len() as f64;
                assert!(
                    (fraction - exact).abs() <= 0.0005 + 1e-12,
                    "{fraction} {exact}"
                );
            }
        }
    }
}

#[test]
fn corpus_rows_slice_and_follow_the_rule() {
    check(&[seed(), edge()]);
}

proptest! {
    #[test]
    fn random_rows_slice_and_follow_the_rule(a in arb_editor(), b in arb_editor()) {
        check(&[a, b]);
    }
}
