//! Shared fixtures for the format tests: the corpus documents with a fixed set of spans
//! (nested, overlapping, across line breaks, after emoji), golden-file comparison, and a
//! proptest strategy for random texts with random overlapping spans.
#![allow(dead_code)]

use marginalia_core::formats::{DocView, ExportInput};
use marginalia_core::{Document, Editor, LabelId, LabelSet, Span, Timestamp};
use proptest::prelude::*;
use std::path::PathBuf;

pub const SEED: &str = include_str!("../../../corpus/seed-article.txt");
pub const EDGE: &str = include_str!("../../../corpus/unicode-edge.txt");

/// A fixed export time: 2026-11-28T22:31:04.120Z.
pub const NOW: Timestamp = Timestamp(1_795_905_064_120);

/// A document with spans tagged on the given quotes: (label, first words, last words).
/// A span runs from the first occurrence of `from` to the end of the next `to`.
pub fn annotate(name: &str, text: &str, tags: &[(&str, &str, &str)]) -> Editor {
    let mut ed = Editor::new(Document::new(name, text), LabelSet::default());
    for (i, (label, from, to)) in tags.iter().enumerate() {
        let start = text
            .find(from)
            .unwrap_or_else(|| panic!("{from:?} in {name}"));
        let end = start
            + text[start..]
                .find(to)
                .unwrap_or_else(|| panic!("{to:?} in {name}"))
            + to.len();
        ed.tag(
            &LabelId((*label).into()),
            start..end,
            Timestamp(NOW.0 - 60_000 + i as i64 * 1000),
        )
        .unwrap();
    }
    ed
}

/// The seed article: a nested quote in a fact, an overlapping fact, a caption, cookies.
pub fn seed() -> Editor {
    annotate(
        "seed-article",
        SEED,
        &[
            (
                "boilerplate",
                "Iranian President Masoud Pezeshkian, Reuters",
                "Shemetov",
            ),
            ("fact", "\"Such a visit", "about the matter."),
            ("quote", "\"Such a visit", "underway,\""),
            ("quote", "Peskov told reporters", "daily briefing"),
            ("fact", "Moscow signed a similar", "in June."),
            ("boilerplate", "Editing by", "Osborn"),
            (
                "boilerplate",
                "To make this website",
                "browser preferences.",
            ),
        ],
    )
}

/// unicode-edge.txt: spans after the emoji, the ZWJ family, the combining accent, the
/// flag, across CRLFs.
pub fn edge() -> Editor {
    annotate(
        "unicode-edge",
        EDGE,
        &[
            ("quote", "“We are ready.”", "”"),
            ("fact", "Families", "outside."),
            ("fact", "Inflation reached", "November"),
            ("quote", "Families", "Beijing"),
            ("fact", "Markets fell", "2.1%."),
            ("boilerplate", "cafe\u{301}", "early"),
            ("boilerplate", "Photo:", "Staff"),
            ("boilerplate", "©", "📧"),
        ],
    )
}

pub fn view(ed: &Editor) -> DocView<'_> {
    DocView {
        doc: ed.document(),
        spans: ed.spans(),
    }
}

/// An export of these editors' documents (they share the default label set).
pub fn input<'a>(labels: &'a LabelSet, eds: &'a [Editor]) -> ExportInput<'a> {
    ExportInput {
        labels,
        docs: eds.iter().map(view).collect(),
        now: NOW,
    }
}

/// Compares `actual` with the golden file `core/tests/golden/<name>`. With
/// `UPDATE_GOLDEN=1` the file is (re)written instead; review the diff before committing.
pub fn golden(name: &str, actual: &[u8]) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}: run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs from the golden file.\n--- expected\n{}\n--- actual\n{}",
            name,
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual)
        );
    }
}

/// Random texts with astral characters, combining marks, CRLF, tabs, RTL and CJK, and
/// random (overlapping, nested) spans on them, tagged with the default labels.
pub fn arb_editor() -> impl Strategy<Value = Editor> {
    let text = proptest::collection::vec(
        prop_oneof![
            4 => "[a-zA-Z]{1,8}",
            2 => Just(" ".to_owned()),
            1 => prop_oneof![
                Just("\r\n".to_owned()),
                Just("\n".to_owned()),
                Just("\t".to_owned()),
                Just("😀".to_owned()),
                Just("👨‍👩‍👧".to_owned()),
                Just("e\u{301}".to_owned()),
                Just("سلام".to_owned()),
                Just("中文".to_owned()),
                Just("\u{a0}".to_owned()),
                Just("\u{200b}".to_owned()),
                Just("“".to_owned()),
                Just("”".to_owned()),
                Just(".".to_owned()),
                Just("48.6%".to_owned()),
                Just("🇮🇷".to_owned()),
            ],
        ],
        1..40,
    )
    .prop_map(|parts| parts.concat());
    (
        text,
        proptest::collection::vec((0.0f64..1.0, 0.0f64..1.0, 0usize..3), 0..8),
    )
        .prop_map(|(text, picks)| {
            let mut ed = Editor::new(Document::new("random", text.clone()), LabelSet::default());
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let labels = ["fact", "quote", "boilerplate"];
            for (i, (a, b, l)) in picks.into_iter().enumerate() {
                let pick = |f: f64| bounds[((bounds.len() - 1) as f64 * f) as usize];
                let (s, e) = (pick(a.min(b)), pick(a.max(b)));
                let _ = ed.tag(
                    &LabelId(labels[l].into()),
                    s..e,
                    Timestamp(1_000 + i as i64),
                );
            }
            ed
        })
}

/// The spans of an editor as (label, start, end, text) in UTF-8 bytes.
pub fn span_tuples(ed: &Editor) -> Vec<(String, usize, usize, String)> {
    ed.spans()
        .iter()
        .map(|s: &Span| {
            (
                s.label.0.clone(),
                s.start,
                s.end,
                ed.document().text()[s.range()].to_owned(),
            )
        })
        .collect()
}

/// What an import must give back of a document.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Carries {
    /// Text, name, id, and every span's id, label, offsets and times.
    Everything,
    /// Text, name, id, and every span's label and offsets.
    Identity,
}

/// Asserts that `back` (the import of an export of `eds`) restored them, as far as the
/// format carries data: no errors, one document per editor, exact texts and spans.
pub fn assert_restored(eds: &[Editor], back: &marginalia_core::formats::Import, carries: Carries) {
    assert_eq!(back.errors, []);
    assert_eq!(back.docs.len(), eds.len());
    for (ed, doc) in eds.iter().zip(&back.docs) {
        assert_eq!(doc.text, ed.document().text());
        let got: Vec<_> = doc
            .spans
            .iter()
            .map(|s| (s.label.clone(), s.start, s.end))
            .collect();
        let want: Vec<_> = ed
            .spans()
            .iter()
            .map(|s| (s.label.0.clone(), s.start, s.end))
            .collect();
        assert_eq!(got, want);
        assert_eq!(doc.name, ed.document().name());
        assert_eq!(doc.id.as_deref(), Some(ed.document().id()));
        if carries == Carries::Everything {
            let got: Vec<_> = doc
                .spans
                .iter()
                .map(|s| (s.id.clone(), s.created, s.modified))
                .collect();
            let want: Vec<_> = ed
                .spans()
                .iter()
                .map(|s| (Some(s.id.0.clone()), Some(s.created), Some(s.modified)))
                .collect();
            assert_eq!(got, want);
        }
    }
}
