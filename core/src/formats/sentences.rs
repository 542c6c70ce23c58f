//! A sentence dataset for claim detection (`docs/formats/sentences.md`): one row per
//! sentence of every document, with its offsets, its text, the labels it gets and how
//! much of it each label covers. As JSONL or as CSV (RFC 4180). Export only.
//!
//! The rule: a sentence gets label L when the spans of label L together cover at least
//! half of the sentence's non-whitespace characters (code points). `coverage` is that
//! covered fraction for every label, rounded half up to 3 decimals; the label is
//! decided on the exact fraction, not the rounded one.

use super::conll::label_columns;
use super::{DocView, ExportInput, OutputFile};
use crate::segment;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::ops::Range;

/// One sentence of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SentenceRow {
    pub doc_id: String,
    pub doc_name: String,
    /// The sentence's index in its document, from 0.
    pub sentence: usize,
    /// Code points from the start of the document.
    pub start: usize,
    pub end: usize,
    /// UTF-16 code units from the start of the document.
    pub start_utf16: usize,
    pub end_utf16: usize,
    pub text: String,
    /// The labels the sentence gets, in label-set order.
    pub labels: Vec<String>,
    /// Per label (every label, in label-set order): the covered fraction in
    /// thousandths (500 = 0.5).
    pub coverage: Coverage,
}

/// Covered fractions in thousandths, per label, in column order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Coverage(pub Vec<(String, u32)>);

impl Serialize for Coverage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (label, k) in &self.0 {
            map.serialize_entry(label, &(f64::from(*k) / 1000.0))?;
        }
        map.end()
    }
}

/// The number of non-whitespace characters in `text`.
fn solid(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// `covered / total` in thousandths, rounded half up, with integers only.
fn thousandths(covered: usize, total: usize) -> u32 {
    if total == 0 {
        return 0;
    }
    let (c, t) = (covered as u128, total as u128);
    u32::try_from((2000 * c + t) / (2 * t)).unwrap_or(1000)
}

/// The union of the spans of `label`, as sorted, disjoint byte ranges.
fn union(view: &DocView<'_>, label: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = view
        .spans
        .iter()
        .filter(|s| s.label.as_str() == label)
        .map(|s| s.range())
        .collect();
    crate::sort::sort_by_key(&mut ranges, |r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Every sentence of every document, with its labels and coverage, and the label
/// columns (the label set's labels, then any other label the spans use).
pub fn rows(input: &ExportInput<'_>) -> (Vec<String>, Vec<SentenceRow>) {
    let labels = label_columns(input);
    let mut out = Vec::new();
    for view in &input.docs {
        let doc = view.doc;
        let text = doc.text();
        let unions: Vec<Vec<Range<usize>>> = labels.iter().map(|l| union(view, l)).collect();
        for (i, s) in segment::sentences(doc).into_iter().enumerate() {
            let total = solid(&text[s.clone()]);
            let mut coverage = Vec::with_capacity(labels.len());
            let mut got = Vec::new();
            for (label, ranges) in labels.iter().zip(&unions) {
                let first = ranges.partition_point(|r| r.end <= s.start);
                let covered: usize = ranges[first..]
                    .iter()
                    .take_while(|r| r.start < s.end)
                    .map(|r| solid(&text[r.start.max(s.start)..r.end.min(s.end)]))
                    .sum();
                if covered > 0 && 2 * covered >= total {
                    got.push(label.clone());
                }
                coverage.push((label.clone(), thousandths(covered, total)));
            }
            let (a, b) = (doc.counts_at(s.start), doc.counts_at(s.end));
            out.push(SentenceRow {
                doc_id: doc.id().to_owned(),
                doc_name: doc.name().to_owned(),
                sentence: i,
                start: a.code_points,
                end: b.code_points,
                start_utf16: a.utf16,
                end_utf16: b.utf16,
                text: text[s].to_owned(),
                labels: got,
                coverage: Coverage(coverage),
            });
        }
    }
    (labels, out)
}

/// `<name>.sentences.jsonl`: one JSON object per sentence.
pub fn export_jsonl(input: &ExportInput<'_>, name: &str) -> OutputFile {
    let mut out = String::new();
    for row in rows(input).1 {
        out.push_str(&serde_json::to_string(&row).unwrap_or_default());
        out.push('\n');
    }
    OutputFile::text(
        crate::input::file_name(name, "sentences.jsonl"),
        "application/jsonl",
        out,
    )
}

/// A CSV field, quoted (RFC 4180) when it holds a comma, a quote, CR or LF.
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn csv_line(out: &mut String, fields: &[String]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    out.push_str(&line.join(","));
    out.push_str("\r\n");
}

/// `<name>.sentences.csv`: a header row, then one row per sentence; labels joined with
/// `|`, one `coverage_<label>` column per label with three decimals.
pub fn export_csv(input: &ExportInput<'_>, name: &str) -> OutputFile {
    let (labels, rows) = rows(input);
    let mut out = String::new();
    let mut header: Vec<String> = [
        "doc_id",
        "doc_name",
        "sentence",
        "start",
        "end",
        "start_utf16",
        "end_utf16",
        "text",
        "labels",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(labels.iter().map(|l| format!("coverage_{l}")));
    csv_line(&mut out, &header);
    for row in rows {
        let mut fields = vec![
            row.doc_id,
            row.doc_name,
            row.sentence.to_string(),
            row.start.to_string(),
            row.end.to_string(),
            row.start_utf16.to_string(),
            row.end_utf16.to_string(),
            row.text,
            row.labels.join("|"),
        ];
        fields.extend(
            row.coverage
                .0
                .iter()
                .map(|(_, k)| format!("{}.{:03}", k / 1000, k % 1000)),
        );
        csv_line(&mut out, &fields);
    }
    OutputFile::text(
        crate::input::file_name(name, "sentences.csv"),
        "text/csv",
        out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_rounds_half_up_with_integers() {
        assert_eq!(thousandths(1, 2), 500);
        assert_eq!(thousandths(1, 3), 333);
        assert_eq!(thousandths(2, 3), 667);
        assert_eq!(thousandths(1, 8), 125);
        assert_eq!(thousandths(1, 2000), 1); // 0.0005 rounds up
        assert_eq!(thousandths(999, 2000), 500); // shown as 0.500, yet under half
        assert_eq!(thousandths(0, 7), 0);
        assert_eq!(thousandths(7, 7), 1000);
        assert_eq!(thousandths(0, 0), 0);
    }

    #[test]
    fn solid_counts_code_points_that_are_not_whitespace() {
        assert_eq!(solid("a b\u{a0}c\t👨‍👩‍👧"), 8);
    }
}
