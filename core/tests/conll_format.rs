//! CoNLL BIO: golden files, and a reader that checks, on the corpus and on random
//! documents, that every token slices the text in code points, that every
//! non-whitespace character is in exactly one token, and that each label's B-/I- tags
//! give back exactly that label's outermost spans.

mod common;

use common::*;
use marginalia_core::formats::conll;
use marginalia_core::{Document, Editor, Label, LabelId, LabelSet, Timestamp};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[test]
fn golden_files() {
    let labels = LabelSet::default();
    let eds = [seed(), edge()];
    for ed in &eds {
        let one = std::slice::from_ref(ed);
        let file = conll::export(&input(&labels, one), ed.document().name());
        golden(&format!("conll/{}", file.name), &file.bytes);
    }
    let file = conll::export(&input(&labels, &eds), "project");
    assert_eq!(file.name, "project.conll");
    assert_eq!(file.mime, "text/plain");
    golden("conll/project.conll", &file.bytes);
}

/// One token line.
#[derive(Debug)]
struct Row {
    token: String,
    start: usize,
    end: usize,
    tags: Vec<String>,
}

/// One sentence block.
#[derive(Debug)]
struct Sentence {
    doc_id: String,
    sent_id: String,
    text: String,
    rows: Vec<Row>,
}

/// Reads a CoNLL file as a user's script would: the header's column names, then blocks
/// of comment lines and tab-separated token lines, each ended by a blank line.
fn read(file: &str) -> (Vec<String>, Vec<Sentence>) {
    let mut lines = file.split('\n');
    let header = lines.next().unwrap();
    let columns: Vec<String> = header
        .strip_prefix("# global.columns = ")
        .unwrap()
        .split(' ')
        .map(str::to_owned)
        .collect();
    assert_eq!(columns[..3], ["TOKEN", "START", "END"]);
    let mut out = Vec::new();
    let mut comments: BTreeMap<String, String> = BTreeMap::new();
    let mut rows = Vec::new();
    for line in lines {
        if line.is_empty() {
            if comments.is_empty() && rows.is_empty() {
                continue;
            }
            out.push(Sentence {
                doc_id: comments.remove("doc_id").unwrap(),
                sent_id: comments.remove("sent_id").unwrap(),
                text: comments.remove("text").unwrap(),
                rows: std::mem::take(&mut rows),
            });
            assert!(comments.is_empty());
        } else if let Some(c) = line.strip_prefix("# ") {
            let (k, v) = c.split_once(" = ").unwrap();
            comments.insert(k.to_owned(), v.to_owned());
        } else {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), columns.len(), "{line:?}");
            rows.push(Row {
                token: cells[0].to_owned(),
                start: cells[1].parse().unwrap(),
                end: cells[2].parse().unwrap(),
                tags: cells[3..].iter().map(|s| (*s).to_owned()).collect(),
            });
        }
    }
    assert!(
        rows.is_empty() && comments.is_empty(),
        "the file ends with a blank line"
    );
    (columns[3..].to_vec(), out)
}

/// Each label's outermost spans in code points, worked out here from the spans: in
/// order of start (longest first), a span is kept unless it overlaps a kept one.
fn expected_spans(ed: &Editor, label: &str) -> Vec<(usize, usize)> {
    let doc = ed.document();
    let mut spans: Vec<_> = ed
        .spans()
        .iter()
        .filter(|s| s.label.as_str() == label)
        .map(|s| (s.start, s.end))
        .collect();
    spans.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        if kept.last().is_none_or(|&(_, ke)| ke <= s) {
            kept.push((s, e));
        }
    }
    kept.into_iter()
        .map(|(s, e)| (doc.counts_at(s).code_points, doc.counts_at(e).code_points))
        .collect()
}

/// Checks an export of `eds` against their documents and spans.
fn check(eds: &[Editor]) {
    let labels = LabelSet::default();
    let file = conll::export(&input(&labels, eds), "p");
    let file = String::from_utf8(file.bytes).unwrap();
    let (columns, sentences) = read(&file);
    assert_eq!(columns, ["fact", "quote", "boilerplate"]);
    for ed in eds {
        let doc = ed.document();
        let chars: Vec<char> = doc.text().chars().collect();
        let mine: Vec<&Sentence> = sentences.iter().filter(|s| s.doc_id == doc.id()).collect();
        let mut covered = vec![false; chars.len()];
        let mut tags: Vec<Vec<(usize, usize)>> = vec![Vec::new(); columns.len()];
        for (i, s) in mine.iter().enumerate() {
            assert_eq!(s.sent_id, format!("{}-{i}", doc.id()));
            assert!(!s.text.contains(['\n', '\r']));
            let (first, last) = (s.rows.first().unwrap(), s.rows.last().unwrap());
            let slice: String = chars[first.start..last.end].iter().collect();
            assert_eq!(
                slice, s.text,
                "the sentence runs from its first to its last token"
            );
            for row in &s.rows {
                let token: String = chars[row.start..row.end].iter().collect();
                assert_eq!(token, row.token);
                assert!(!token.chars().any(char::is_whitespace), "{token:?}");
                for c in &mut covered[row.start..row.end] {
                    assert!(!*c, "characters are in one token only");
                    *c = true;
                }
                for (k, tag) in row.tags.iter().enumerate() {
                    let label = &columns[k];
                    if tag == "O" {
                        continue;
                    } else if tag == &format!("B-{label}") {
                        tags[k].push((row.start, row.end));
                    } else {
                        assert_eq!(tag, &format!("I-{label}"));
                        tags[k].last_mut().expect("I- follows B- or I-").1 = row.end;
                    }
                }
            }
        }
        for (i, c) in chars.iter().enumerate() {
            assert_eq!(covered[i], !c.is_whitespace(), "character {i} {c:?}");
        }
        for (k, label) in columns.iter().enumerate() {
            assert_eq!(tags[k], expected_spans(ed, label), "label {label}");
        }
    }
}

#[test]
fn corpus_tags_give_back_the_spans() {
    check(&[seed(), edge()]);
}

proptest! {
    #[test]
    fn random_documents_tags_give_back_the_outermost_spans(a in arb_editor(), b in arb_editor()) {
        check(&[a, b]);
    }
}

#[test]
fn nested_spans_of_one_label_keep_the_outermost_and_others_keep_their_column() {
    let text = "Alpha beta gamma delta. Epsilon zeta.";
    let mut ed = Editor::new(Document::new("n", text), LabelSet::default());
    let tag = |ed: &mut Editor, label: &str, from: &str, to: &str| {
        let start = text.find(from).unwrap();
        let end = text.find(to).unwrap() + to.len();
        ed.tag(&LabelId(label.into()), start..end, Timestamp(1))
            .unwrap();
    };
    tag(&mut ed, "fact", "beta", "gamma"); // inside the next one: dropped
    tag(&mut ed, "fact", "Alpha", "delta");
    tag(&mut ed, "fact", "delta", "Epsilon"); // overlaps it, starts later: dropped
    tag(&mut ed, "quote", "gamma", "zeta"); // another label: its own column, across sentences
    let labels = LabelSet::default();
    let eds = [ed];
    let file = String::from_utf8(conll::export(&input(&labels, &eds), "n").bytes).unwrap();
    let id = eds[0].document().id();
    assert_eq!(
        file,
        format!(
            "# global.columns = TOKEN START END fact quote boilerplate\n\
             # doc_id = {id}\n# sent_id = {id}-0\n# text = Alpha beta gamma delta.\n\
             Alpha\t0\t5\tB-fact\tO\tO\n\
             beta\t6\t10\tI-fact\tO\tO\n\
             gamma\t11\t16\tI-fact\tB-quote\tO\n\
             delta\t17\t22\tI-fact\tI-quote\tO\n\
             .\t22\t23\tO\tI-quote\tO\n\
             \n\
             # doc_id = {id}\n# sent_id = {id}-1\n# text = Epsilon zeta.\n\
             Epsilon\t24\t31\tO\tI-quote\tO\n\
             zeta\t32\t36\tO\tI-quote\tO\n\
             .\t36\t37\tO\tO\tO\n\
             \n"
        )
    );
}

#[test]
fn labels_with_spaces_are_written_with_underscores() {
    let mut labels = LabelSet::default();
    labels.0.push(Label {
        id: LabelId("my claim".into()),
        name: "My claim".into(),
        key: "4".into(),
        color: "#000".into(),
        description: String::new(),
    });
    let mut ed = Editor::new(Document::new("l", "One two."), labels.clone());
    ed.tag(&LabelId("my claim".into()), 0..3, Timestamp(1))
        .unwrap();
    let eds = [ed];
    let file = String::from_utf8(conll::export(&input(&labels, &eds), "l").bytes).unwrap();
    assert!(
        file.starts_with("# global.columns = TOKEN START END fact quote boilerplate my_claim\n")
    );
    assert!(file.contains("One\t0\t3\tO\tO\tO\tB-my_claim\n"), "{file}");
}

#[test]
fn a_tab_with_a_combining_mark_never_splits_a_column() {
    // UAX #29 keeps a combining mark with the tab before it: the token is split at the
    // tab so that no written token holds whitespace.
    let text = "Word\t\u{301}next.";
    let ed = Editor::new(Document::new("t", text), LabelSet::default());
    let labels = LabelSet::default();
    let eds = [ed];
    let file = String::from_utf8(conll::export(&input(&labels, &eds), "t").bytes).unwrap();
    let rows: Vec<&str> = file
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert_eq!(
        rows,
        [
            "Word\t0\t4\tO\tO\tO",
            "\u{301}\t5\t6\tO\tO\tO",
            "next\t6\t10\tO\tO\tO",
            ".\t10\t11\tO\tO\tO"
        ]
    );
}
