//! What the view draws: the text split into paragraphs, and each paragraph into
//! segments at every span boundary, each segment knowing the spans that cover it.
//!
//! Offsets here are UTF-16 code units, because the view hands them to the DOM, which
//! counts in UTF-16; each paragraph's views carry their own start so the browser layer
//! can map a DOM position back to the document exactly.

use crate::{Editor, LabelId, Span, SpanId};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;
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

/// The paragraphs numbered `which` (those the view draws), sharing the paragraphs of
/// `previous` (what an earlier call returned, in order; `&[]` builds them all) whose key
/// is unchanged: after an edit, only the paragraphs it touched are built again (their
/// segments' text and layers), and the rest of the drawn window is the same `Arc`s,
/// which the view compares by pointer. The work is in proportion to those paragraphs
/// and the spans over them, not to the document: the spans over a paragraph come from
/// the editor's interval index.
pub fn paragraphs_reusing(
    editor: &Editor,
    which: Range<usize>,
    previous: &[Arc<Paragraph>],
) -> Vec<Arc<Paragraph>> {
    let doc = editor.document();
    let spans = editor.spans();
    let tracks = tracks(spans);
    let labels = editor.labels();
    let all = doc.paragraphs();
    let which = which.start.min(all.len())..which.end.min(all.len());

    let mut out = Vec::with_capacity(which.len());
    for (index, para) in all[which.clone()].iter().enumerate() {
        let index = which.start + index;
        let active = editor.span_index().overlapping(para.clone());
        let start_utf16 = doc.counts_at(para.start).utf16;
        let end_utf16 = doc.counts_at(para.end).utf16;
        // Everything the paragraph draws: its text and place and, for each span over
        // it, what its layers show. Hashed without building the segments, which only a
        // new key needs. The text itself, not the document's id: an id given by a file
        // (or kept by an import of the same article corrected) is not the text's hash.
        let mut h = DefaultHasher::new();
        (&doc.text()[para.clone()], index, start_utf16, end_utf16).hash(&mut h);
        for &i in &active {
            let s = &spans[i];
            (s.start, s.end, &s.id, &s.label, tracks[i]).hash(&mut h);
            labels.name_of(&s.label).hash(&mut h);
            labels.position(&s.label).hash(&mut h);
            labels.get(&s.label).map(|l| l.color.as_str()).hash(&mut h);
        }
        let key = h.finish();
        let kept = previous
            .binary_search_by_key(&index, |p| p.index)
            .ok()
            .map(|at| &previous[at])
            .filter(|p| p.key == key);
        if let Some(p) = kept {
            out.push(Arc::clone(p));
            continue;
        }
        let mut cuts: Vec<usize> = vec![para.start, para.end];
        for s in active.iter().map(|&i| &spans[i]) {
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
                .map(|&i| (&spans[i], tracks[i]))
                .filter(|(s, _)| s.start <= a && s.end >= b)
                .map(|(s, track)| Layer {
                    span: s.id.clone(),
                    label: s.label.clone(),
                    label_name: labels.name_of(&s.label).to_owned(),
                    label_index: labels.position(&s.label).unwrap_or(usize::MAX),
                    color: labels
                        .get(&s.label)
                        .map_or_else(String::new, |l| l.color.clone()),
                    track,
                    starts: s.start == a,
                    ends: s.end == b,
                })
                .collect();
            layers.sort_unstable_by_key(|l| l.track);
            segments.push(Segment {
                start_utf16: doc.counts_at(a).utf16,
                text: doc.text()[a..b].to_owned(),
                layers,
            });
        }
        out.push(Arc::new(Paragraph {
            index,
            start_utf16,
            end_utf16,
            segments,
            key,
        }));
    }
    out
}

/// Each span's track (by position in `spans`, which are in document order): the lowest
/// track free at its start.
fn tracks(spans: &[Span]) -> Vec<usize> {
    let mut ends: Vec<usize> = Vec::new();
    spans
        .iter()
        .map(|s| {
            let track = match ends.iter().position(|&e| e <= s.start) {
                Some(t) => t,
                None => {
                    ends.push(0);
                    ends.len() - 1
                }
            };
            ends[track] = s.end;
            track
        })
        .collect()
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

/// The rows `which` of the annotations list (every span, in document order): only the
/// rows the list draws are computed.
pub fn list(editor: &Editor, which: Range<usize>) -> Vec<ListItem> {
    let text = editor.document().text();
    let spans = editor.spans();
    let which = which.start.min(spans.len())..which.end.min(spans.len());
    spans[which]
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

/// Paragraphs either side of a quote whose spans are offered as its speaker.
pub const SPEAKER_PARAGRAPHS: usize = 2;

/// The spans offered as the speaker of span `id` (a quote): those in its paragraphs and
/// the [`SPEAKER_PARAGRAPHS`] either side (an article names a speaker near the quote),
/// and the span already linked wherever it is, each with a short excerpt. Found
/// through the interval index, so a document of 10,000 spans offers a few dozen.
pub fn speaker_candidates(editor: &Editor, id: &SpanId) -> Vec<(SpanId, String)> {
    let Some(quote) = editor.span(id) else {
        return Vec::new();
    };
    let doc = editor.document();
    let paragraphs = doc.paragraphs();
    let first = paragraphs
        .partition_point(|p| p.end < quote.start)
        .saturating_sub(SPEAKER_PARAGRAPHS);
    let last = (paragraphs.partition_point(|p| p.start < quote.end) + SPEAKER_PARAGRAPHS)
        .min(paragraphs.len());
    let near = match (
        paragraphs.get(first),
        paragraphs.get(last.saturating_sub(1)),
    ) {
        (Some(a), Some(b)) => a.start..b.end.max(a.start + 1),
        _ => 0..0,
    };
    let linked = match &quote.details.speaker {
        Some(crate::Speaker::Span(s)) => Some(s),
        _ => None,
    };
    let spans = editor.spans();
    let mut positions = editor.span_index().overlapping(near);
    if let Some(p) = linked.and_then(|l| editor.position(l)) {
        if let Err(at) = positions.binary_search(&p) {
            positions.insert(at, p);
        }
    }
    positions
        .into_iter()
        .map(|i| &spans[i])
        .filter(|s| &s.id != id)
        .map(|s| (s.id.clone(), excerpt(&doc.text()[s.range()], 40)))
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

    /// The paragraphs numbered `which`, all built afresh.
    fn paragraphs_in(editor: &Editor, which: Range<usize>) -> Vec<Paragraph> {
        paragraphs_reusing(editor, which, &[])
            .into_iter()
            .map(Arc::unwrap_or_clone)
            .collect()
    }

    /// Every paragraph of the editor's document (the view draws a window of them).
    fn paragraphs(editor: &Editor) -> Vec<Paragraph> {
        paragraphs_in(editor, 0..editor.document().paragraphs().len())
    }

    /// A text of `n` lines made by `line`, in an editor with no spans.
    fn lines(n: usize, line: impl Fn(usize) -> String) -> (String, Editor) {
        let text = (0..n).map(line).collect::<Vec<_>>().join("\n");
        let ed = Editor::new(Document::new("t", text.as_str()), LabelSet::default());
        (text, ed)
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
    fn a_window_of_paragraphs_is_drawn_as_in_the_whole() {
        let (text, mut ed) = lines(40, |i| format!("line {i} with words"));
        // A span over many lines, nested ones, and one per line.
        ed.tag(&l("boilerplate"), 0..text.len(), Timestamp(0))
            .unwrap();
        for i in (0..text.len() - 10).step_by(37) {
            let range = ed.document().trim(i..i + 9).unwrap();
            let _ = ed.tag(&l("fact"), range, Timestamp(0));
        }
        let whole = paragraphs(&ed);
        assert_eq!(paragraphs_in(&ed, 12..20), whole[12..20]);
        assert_eq!(paragraphs_in(&ed, 35..99), whole[35..]);
    }

    proptest::proptest! {
        /// After any edits (tags, nested and across lines, relabels, removals, undo and
        /// redo, a label renamed, recoloured or moved, the text replaced under the same
        /// id) and any window, the paragraphs built from the last call's are those built
        /// afresh, and a paragraph whose drawing did not change is the last call's own
        /// (shared, not built again).
        #[test]
        fn reused_paragraphs_are_those_built_afresh(
            ops in proptest::collection::vec((0u8..10, 0usize..400, 1usize..40, 0usize..30), 1..40),
        ) {
            let (text, mut ed) = lines(30, |i| format!("line {i} with some words"));
            let labels = [l("fact"), l("quote"), l("boilerplate")];
            let mut last: Vec<Arc<Paragraph>> = Vec::new();
            for (i, &(op, at, len, first)) in ops.iter().enumerate() {
                let now = Timestamp(i as i64);
                let pick = |ed: &Editor| ed.spans().get(at % ed.spans().len().max(1)).map(|s| s.id.clone());
                match op {
                    0 | 1 => {
                        let end = (at + len).min(text.len());
                        if let Some(range) = ed.document().trim(at.min(end)..end) {
                            let _ = ed.tag(&labels[len % 3], range, now);
                        }
                    }
                    2 => if let Some(id) = pick(&ed) { let _ = ed.relabel(&id, &labels[len % 3], now); },
                    3 => if let Some(id) = pick(&ed) { ed.remove(&id).unwrap() },
                    4 => { ed.undo(); }
                    5 => { ed.redo(); }
                    6 => {
                        // Another text under the same id, with the same line lengths (an
                        // article imported again, corrected): ids are not always hashes.
                        let text = ed.document().text().replace(if at % 2 == 0 { "some" } else { "sums" }, if at % 2 == 0 { "sums" } else { "some" });
                        let imported = crate::formats::ImportedDoc {
                            id: Some(ed.document().id().to_owned()),
                            name: "t".into(),
                            text,
                            meta: None,
                            spans: Vec::new(),
                        };
                        ed.import_document(imported, &[], now);
                    }
                    7 => {
                        // The labels reordered: their line styles follow their places.
                        let mut set = ed.labels().clone();
                        set.0.swap(0, 1 + len % 2);
                        ed.set_labels(set, None, now).unwrap();
                    }
                    8 => {
                        // A note is not drawn: every paragraph stays as it was.
                        if let Some(id) = pick(&ed) {
                            let details = crate::SpanDetails { note: format!("n{i}"), ..Default::default() };
                            ed.set_details(&id, details, now).unwrap();
                            let which = first..first + 1 + len % 12;
                            let again = paragraphs_reusing(&ed, which, &last);
                            for p in &again {
                                if let Some(old) = last.iter().find(|o| o.index == p.index) {
                                    proptest::prop_assert!(Arc::ptr_eq(old, p), "paragraph {} built again for a note", p.index);
                                }
                            }
                        }
                    }
                    _ => {
                        let mut set = ed.labels().clone();
                        let label = &mut set.0[len % 3];
                        if at % 2 == 0 {
                            label.name = format!("{} {i}", label.name);
                        } else {
                            label.color = format!("#{:06x}", i * 997);
                        }
                        ed.set_labels(set, None, now).unwrap();
                    }
                }
                let which = first..first + 1 + len % 12;
                let fresh = paragraphs_in(&ed, which.clone());
                let reused = paragraphs_reusing(&ed, which, &last);
                proptest::prop_assert_eq!(reused.iter().map(|p| (**p).clone()).collect::<Vec<_>>(), fresh);
                for p in &reused {
                    if let Some(old) = last.iter().find(|o| o.index == p.index && **o == *p) {
                        proptest::prop_assert!(Arc::ptr_eq(old, p), "paragraph {} built again", p.index);
                    }
                }
                last = reused;
            }
        }
    }

    #[test]
    fn a_change_builds_only_the_paragraphs_it_touches() {
        let (text, mut ed) = lines(10, |i| format!("line {i} with words"));
        let line = |n: usize| {
            text.match_indices('\n')
                .nth(n - 1)
                .map_or(0, |(at, _)| at + 1)
        };
        let before = paragraphs_reusing(&ed, 0..10, &[]);
        let start = line(4);
        ed.tag(&l("fact"), start..start + 4, Timestamp(0)).unwrap();
        let after = paragraphs_reusing(&ed, 0..10, &before);
        let rebuilt: Vec<usize> = (0..10)
            .filter(|&i| !Arc::ptr_eq(&before[i], &after[i]))
            .collect();
        assert_eq!(rebuilt, [4]);
        assert_eq!(after[4].segments[0].layers[0].label, l("fact"));
        // A renamed label: every paragraph that shows it is drawn again, and only those.
        let mut set = ed.labels().clone();
        set.0[0].name = "Claim".into();
        ed.set_labels(set, None, Timestamp(1)).unwrap();
        let renamed = paragraphs_reusing(&ed, 0..10, &after);
        let rebuilt: Vec<usize> = (0..10)
            .filter(|&i| !Arc::ptr_eq(&after[i], &renamed[i]))
            .collect();
        assert_eq!(rebuilt, [4]);
        assert_eq!(renamed[4].segments[0].layers[0].label_name, "Claim");
    }

    #[test]
    fn speakers_are_offered_from_near_the_quote() {
        let (text, mut ed) = lines(20, |i| format!("Speaker{i} said so."));
        let at = |i: usize| {
            let start = text.find(&format!("Speaker{i} ")).unwrap();
            start..start + format!("Speaker{i}").len()
        };
        let names: Vec<SpanId> = (0..20)
            .map(|i| ed.tag(&l("fact"), at(i), Timestamp(0)).unwrap())
            .collect();
        let quote = ed
            .tag(&l("quote"), at(10).end + 1..at(10).end + 9, Timestamp(0))
            .unwrap();
        let offered = |ed: &Editor| -> Vec<SpanId> {
            speaker_candidates(ed, &quote)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(offered(&ed), names[8..13]);
        // One linked far away is offered too, in document order.
        let mut details = ed.span(&quote).unwrap().details.clone();
        details.speaker = Some(crate::Speaker::Span(names[0].clone()));
        ed.set_details(&quote, details, Timestamp(1)).unwrap();
        let mut expected = vec![names[0].clone()];
        expected.extend_from_slice(&names[8..13]);
        assert_eq!(offered(&ed), expected);
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
