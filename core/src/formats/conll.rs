//! CoNLL-style BIO export (`docs/formats/conll.md`): one token per line, a blank line
//! after every sentence, and one tag column per label, so spans of different labels may
//! overlap freely. Export only: the file keeps no document text between tokens, so it
//! cannot give back the exact article.
//!
//! ```text
//! # global.columns = TOKEN START END fact quote boilerplate
//! # doc_id = doc-…
//! # sent_id = doc-…-0
//! # text = Markets fell 2.1%.
//! Markets→0→7→B-fact→O→O        (→ is a tab)
//! ```
//!
//! Rules: START and END count code points from the start of the document. Tokens are
//! [`segment::tokens`] cut at every span and sentence boundary, then split where
//! whitespace meets other characters; whitespace is not written. In a label's column,
//! of spans of that label that nest or overlap, the outermost (earliest start, then
//! longest) is tagged and the others are dropped. A span that runs on into the next
//! sentence continues with `I-` there.

use super::{ExportInput, OutputFile};
use crate::segment;
use crate::Span;
use std::fmt::Write;
use std::ops::Range;

/// The labels in column order: the label set's order, then any other label the spans
/// use, sorted.
pub(crate) fn label_columns(input: &ExportInput<'_>) -> Vec<String> {
    let mut out: Vec<String> = input.labels.iter().map(|l| l.id.0.clone()).collect();
    let mut extra: Vec<String> = input
        .docs
        .iter()
        .flat_map(|d| d.spans.iter())
        .map(|s| s.label.0.clone())
        .filter(|l| !out.contains(l))
        .collect();
    crate::sort::sort_by(&mut extra, Ord::cmp);
    extra.dedup();
    out.extend(extra);
    out
}

/// A label as it appears in the header and in tags: whitespace and control characters
/// (which would split a column) become `_`.
pub fn column_name(label: &str) -> String {
    label
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The spans of `label` that are tagged in its column: in document order, each one
/// kept unless it overlaps one already kept (so the outermost of nested spans wins,
/// and of two overlapping spans the one that starts first).
pub fn outermost(spans: &[Span], label: &str) -> Vec<Range<usize>> {
    let mut mine: Vec<&Span> = spans.iter().filter(|s| s.label.as_str() == label).collect();
    crate::sort::sort_by(&mut mine, |a, b| a.order_key().cmp(&b.order_key()));
    let mut kept: Vec<Range<usize>> = Vec::new();
    for s in mine {
        if kept.last().is_none_or(|k| k.end <= s.start) {
            kept.push(s.range());
        }
    }
    kept
}

/// The written tokens of a text (UTF-8 byte ranges): [`segment::tokens`] cut at `cuts`,
/// split into runs without whitespace; whitespace is dropped.
pub fn written_tokens(text: &str, cuts: &[usize]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for t in segment::tokens(text, cuts) {
        let mut run: Option<usize> = None;
        for (i, c) in text[t.start..t.end].char_indices() {
            let at = t.start + i;
            match (c.is_whitespace(), run) {
                (true, Some(s)) => {
                    out.push(s..at);
                    run = None;
                }
                (false, None) => run = Some(at),
                _ => {}
            }
        }
        if let Some(s) = run {
            out.push(s..t.end);
        }
    }
    out
}

/// One `.conll` file with every document's sentences.
pub fn export(input: &ExportInput<'_>, name: &str) -> OutputFile {
    let labels = label_columns(input);
    let mut out = String::from("# global.columns = TOKEN START END");
    for l in &labels {
        out.push(' ');
        out.push_str(&column_name(l));
    }
    out.push('\n');
    for view in &input.docs {
        let doc = view.doc;
        let text = doc.text();
        let sentences = segment::sentences(doc);
        let mut cuts: Vec<usize> = view
            .spans
            .iter()
            .flat_map(|s| [s.start, s.end])
            .chain(sentences.iter().flat_map(|s| [s.start, s.end]))
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let tokens = written_tokens(text, &cuts);
        let columns: Vec<(String, Vec<Range<usize>>)> = labels
            .iter()
            .map(|l| (column_name(l), outermost(view.spans, l)))
            .collect();
        // Per column: the next kept span, and whether its B- has been written.
        let mut state: Vec<(usize, bool)> = vec![(0, false); columns.len()];
        let mut next = 0;
        for (i, sentence) in sentences.iter().enumerate() {
            let _ = write!(
                out,
                "# doc_id = {}\n# sent_id = {}-{i}\n# text = {}\n",
                doc.id(),
                doc.id(),
                &text[sentence.clone()]
            );
            while next < tokens.len() && tokens[next].start < sentence.start {
                next += 1;
            }
            while next < tokens.len() && tokens[next].end <= sentence.end {
                let t = tokens[next].clone();
                next += 1;
                let (a, b) = (doc.counts_at(t.start), doc.counts_at(t.end));
                let _ = write!(
                    out,
                    "{}\t{}\t{}",
                    &text[t.clone()],
                    a.code_points,
                    b.code_points
                );
                for ((label, kept), (k, started)) in columns.iter().zip(state.iter_mut()) {
                    while *k < kept.len() && kept[*k].end <= t.start {
                        *k += 1;
                        *started = false;
                    }
                    match kept.get(*k) {
                        Some(span) if span.start <= t.start && t.end <= span.end => {
                            let _ = write!(out, "\t{}-{label}", if *started { 'I' } else { 'B' });
                            *started = true;
                        }
                        _ => out.push_str("\tO"),
                    }
                }
                out.push('\n');
            }
            out.push('\n');
        }
    }
    OutputFile::text(crate::input::file_name(name, "conll"), "text/plain", out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LabelId, SpanId, Timestamp};

    fn span(id: &str, label: &str, start: usize, end: usize) -> Span {
        Span {
            id: SpanId(id.into()),
            label: LabelId(label.into()),
            start,
            end,
            created: Timestamp(0),
            modified: Timestamp(0),
            origin: crate::Origin::manual(),
            details: Default::default(),
        }
    }

    #[test]
    fn the_outermost_span_of_a_label_wins() {
        let spans = [
            span("s1", "fact", 2, 4),   // inside s2
            span("s2", "fact", 0, 10),  // outermost
            span("s3", "fact", 8, 14),  // overlaps s2, starts later: dropped
            span("s4", "fact", 10, 12), // touches s2: kept
            span("s5", "quote", 1, 3),  // another label
        ];
        assert_eq!(outermost(&spans, "fact"), [0..10, 10..12]);
        assert_eq!(outermost(&spans, "quote"), vec![Range { start: 1, end: 3 }]);
        assert_eq!(outermost(&spans, "boilerplate"), []);
    }

    #[test]
    fn written_tokens_hold_no_whitespace() {
        let text = "a \u{301}b\t\u{301}c  d\r\ne";
        let got: Vec<&str> = written_tokens(text, &[])
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, ["a", "\u{301}", "b", "\u{301}", "c", "d", "e"]);
        assert_eq!(column_name("my claim\n"), "my_claim_");
    }
}
