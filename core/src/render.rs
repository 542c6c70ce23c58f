//! What the view draws: the text split into paragraphs, and each paragraph into
//! segments at every span boundary, each segment knowing the spans that cover it.
//!
//! Offsets here are UTF-16 code units, because the view hands them to the DOM, which
//! counts in UTF-16; each paragraph's views carry their own start so the browser layer
//! can map a DOM position back to the document exactly.

use crate::{Editor, LabelId, Span, SpanId};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use unicode_segmentation::UnicodeSegmentation;

/// A span's part in one segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Layer {
    pub span: SpanId,
    pub label: LabelId,
    /// The label's name, shown as a badge where the span starts.
    pub label_name: String,
    /// The label's position in the label set, for its line style.
    pub label_index: usize,
    /// The label's colour (CSS).
    pub color: String,
    /// The span's track: spans that overlap get different tracks, and a span keeps its
    /// track along its whole length, so nested and overlapping spans stay distinct.
    pub track: usize,
    /// Whether the span starts at this segment's start.
    pub starts: bool,
    /// Whether the span ends at this segment's end.
    pub ends: bool,
}

/// A run of text covered by the same spans.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Segment {
    /// Offset of the segment in the document, UTF-16 units.
    pub start_utf16: usize,
    pub text: String,
    /// The spans covering it, by track (outermost first).
    pub layers: Vec<Layer>,
}

/// One paragraph (line) of the document. Which span is selected is not part of it:
/// the view marks the selected span without re-rendering, so that a selection the user
/// is making in the paragraph is never destroyed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    pub index: usize,
    /// Where the paragraph starts and ends in the document (UTF-16 units, without its
    /// line break).
    pub start_utf16: usize,
    pub end_utf16: usize,
    pub segments: Vec<Segment>,
    /// Changes whenever anything drawn in the paragraph changes: a keyed list
    /// re-renders only the paragraphs whose key changed.
    pub key: u64,
}

/// The paragraphs of the editor's document with their segments.
pub fn paragraphs(editor: &Editor) -> Vec<Paragraph> {
    let doc = editor.document();
    let text = doc.text();
    let spans = editor.spans();
    let tracks = tracks(spans);
    let labels = editor.labels();

    let mut out = Vec::with_capacity(doc.paragraphs().len());
    let mut active: Vec<&Span> = Vec::new();
    let mut next = 0;
    for (index, para) in doc.paragraphs().iter().enumerate() {
        while next < spans.len() && spans[next].start < para.end {
            active.push(&spans[next]);
            next += 1;
        }
        active.retain(|s| s.end > para.start);
        let mut cuts: Vec<usize> = vec![para.start, para.end];
        for s in &active {
            for at in [s.start, s.end] {
                if para.start < at && at < para.end {
                    cuts.push(at);
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut segments = Vec::with_capacity(cuts.len());
        for w in cuts.windows(2) {
            let (a, b) = (w[0], w[1]);
            let mut layers: Vec<Layer> = active
                .iter()
                .filter(|s| s.start <= a && s.end >= b)
                .map(|s| Layer {
                    span: s.id.clone(),
                    label: s.label.clone(),
                    label_name: labels.name_of(&s.label).to_owned(),
                    label_index: labels.position(&s.label).unwrap_or(usize::MAX),
                    color: labels
                        .get(&s.label)
                        .map_or_else(String::new, |l| l.color.clone()),
                    track: tracks.get(&s.id).copied().unwrap_or(0),
                    starts: s.start == a,
                    ends: s.end == b,
                })
                .collect();
            layers.sort_by_key(|l| l.track);
            segments.push(Segment {
                start_utf16: doc.counts_at(a).utf16,
                text: text[a..b].to_owned(),
                layers,
            });
        }
        let start_utf16 = doc.counts_at(para.start).utf16;
        let end_utf16 = doc.counts_at(para.end).utf16;
        let mut h = DefaultHasher::new();
        (index, start_utf16, end_utf16, &segments).hash(&mut h);
        out.push(Paragraph {
            index,
            start_utf16,
            end_utf16,
            segments,
            key: h.finish(),
        });
    }
    out
}

/// Assigns each span the lowest track free at its start (spans in document order).
fn tracks(spans: &[Span]) -> HashMap<SpanId, usize> {
    let mut ends: Vec<usize> = Vec::new();
    let mut out = HashMap::with_capacity(spans.len());
    for s in spans {
        let track = match ends.iter().position(|&e| e <= s.start) {
            Some(t) => t,
            None => {
                ends.push(0);
                ends.len() - 1
            }
        };
        ends[track] = s.end;
        out.insert(s.id.clone(), track);
    }
    out
}

/// One row of the annotations list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    pub id: SpanId,
    pub label_name: String,
    pub label_index: usize,
    pub color: String,
    /// The span's text, shortened when long.
    pub excerpt: String,
    pub selected: bool,
}

/// Longest excerpt in the annotations list, in user-perceived characters.
pub const EXCERPT_GRAPHEMES: usize = 90;

/// The annotations list, in document order.
pub fn list(editor: &Editor) -> Vec<ListItem> {
    let text = editor.document().text();
    editor
        .spans()
        .iter()
        .map(|s| ListItem {
            id: s.id.clone(),
            label_name: editor.labels().name_of(&s.label).to_owned(),
            label_index: editor.labels().position(&s.label).unwrap_or(usize::MAX),
            color: editor
                .labels()
                .get(&s.label)
                .map_or_else(String::new, |l| l.color.clone()),
            excerpt: excerpt(&text[s.range()], EXCERPT_GRAPHEMES),
            selected: editor.selected() == Some(&s.id),
        })
        .collect()
}

/// A count for people: `0`, `980`, `1.2 K`, `5.2 M`, `10.7 G` (powers of 1,000).
pub fn human_count(n: u64) -> String {
    scaled(n, &["", "K", "M", "G", "T"], "")
}

/// `n` with a comma between thousands: `1,198`, for counts a person reads exactly.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in bytes for people, in decimal units as browsers report quotas:
/// `512 B`, `48.3 kB`, `12.5 MB`, `10.2 GB`.
pub fn human_bytes(n: u64) -> String {
    scaled(n, &["B", "kB", "MB", "GB", "TB"], " B")
}

/// `n` in steps of 1,000 with one decimal and the unit of its step; below 1,000 as it
/// is, followed by `plain`.
fn scaled(n: u64, units: &[&str], plain: &str) -> String {
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < units.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n}{plain}")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// `text` cut to at most `max` grapheme clusters (an emoji family or an accented letter
/// is never split), with "…" where it was cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut graphemes = text.grapheme_indices(true);
    match graphemes.nth(max.saturating_sub(1)) {
        Some(_) if graphemes.next().is_some() => {
            let (cut, _) = text
                .grapheme_indices(true)
                .nth(max - 1)
                .unwrap_or((text.len(), ""));
            format!("{}…", text[..cut].trim_end())
        }
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_and_sizes_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_198), "1,198");
        assert_eq!(thousands(20_000), "20,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(48_300), "48.3 kB");
        assert_eq!(human_bytes(12_500_000), "12.5 MB");
    }

    use super::*;
    use crate::{Document, LabelSet, Timestamp};

    fn l(id: &str) -> LabelId {
        LabelId(id.into())
    }

    fn seg_texts(p: &Paragraph) -> Vec<(&str, Vec<&str>)> {
        p.segments
            .iter()
            .map(|s| {
                (
                    s.text.as_str(),
                    s.layers.iter().map(|l| l.label.as_str()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn segments_split_at_every_boundary_of_nested_spans() {
        let mut ed = Editor::new(
            Document::new("t", "say \"hi there\" now\nnext"),
            LabelSet::default(),
        );
        ed.tag(&l("fact"), 0..18, Timestamp(0)).unwrap();
        ed.tag(&l("quote"), 4..14, Timestamp(0)).unwrap();
        let paras = paragraphs(&ed);
        assert_eq!(paras.len(), 2);
        assert_eq!(
            seg_texts(&paras[0]),
            [
                ("say ", vec!["fact"]),
                ("\"hi there\"", vec!["fact", "quote"]),
                (" now", vec!["fact"])
            ]
        );
        let quote = &paras[0].segments[1].layers[1];
        assert!(quote.starts && quote.ends && quote.track == 1);
        assert_eq!(paras[1].start_utf16, 19);
        assert_eq!(seg_texts(&paras[1]), [("next", vec![])]);
    }

    #[test]
    fn a_span_across_paragraphs_covers_both_and_not_the_line_break() {
        let mut ed = Editor::new(Document::new("t", "one😀\r\n\r\ntwo"), LabelSet::default());
        ed.tag(&l("fact"), 0..14, Timestamp(0)).unwrap();
        let paras = paragraphs(&ed);
        assert_eq!(paras.len(), 3);
        assert_eq!(seg_texts(&paras[0]), [("one😀", vec!["fact"])]);
        assert!(paras[1].segments.is_empty());
        assert_eq!((paras[2].start_utf16, paras[2].end_utf16), (9, 12));
        assert_eq!(seg_texts(&paras[2]), [("two", vec!["fact"])]);
        assert!(paras[0].segments[0].layers[0].starts && !paras[0].segments[0].layers[0].ends);
    }

    #[test]
    fn only_touched_paragraphs_change_key() {
        let mut ed = Editor::new(Document::new("t", "aaa\nbbb\nccc"), LabelSet::default());
        let before = paragraphs(&ed);
        ed.tag(&l("fact"), 4..7, Timestamp(0)).unwrap();
        let after = paragraphs(&ed);
        assert_eq!(before[0].key, after[0].key);
        assert_ne!(before[1].key, after[1].key);
        assert_eq!(before[2].key, after[2].key);
    }

    #[test]
    fn overlapping_spans_keep_their_track_throughout() {
        let mut ed = Editor::new(Document::new("t", "abcdefgh"), LabelSet::default());
        ed.tag(&l("fact"), 0..5, Timestamp(0)).unwrap();
        ed.tag(&l("quote"), 3..8, Timestamp(0)).unwrap();
        let p = &paragraphs(&ed)[0];
        let quote_tracks: Vec<usize> = p
            .segments
            .iter()
            .flat_map(|s| {
                s.layers
                    .iter()
                    .filter(|l| l.label.as_str() == "quote")
                    .map(|l| l.track)
            })
            .collect();
        assert_eq!(quote_tracks, [1, 1]);
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_count(0), "0");
        assert_eq!(human_count(980), "980");
        assert_eq!(human_count(1_234), "1.2 K");
        assert_eq!(human_count(5 * 1024 * 1024), "5.2 M");
        assert_eq!(human_count(10_700_000_000), "10.7 G");
    }

    #[test]
    fn excerpts_never_split_a_grapheme() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("abcdef", 3), "ab…");
        assert_eq!(excerpt("ab👨‍👩‍👧cd", 3), "ab…");
        assert_eq!(excerpt("a👨‍👩‍👧cd", 3), "a👨‍👩‍👧…");
        assert_eq!(excerpt("abc", 3), "abc");
    }
}
