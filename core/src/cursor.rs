//! The keyboard focus: a stretch of text (a sentence, at first) that the user moves by
//! sentence or paragraph and grows or shrinks by a word, then tags with a label key.
//! Every move looks only at the paragraphs it passes, never the whole document.

use crate::segment::{self, sentences_in};
use crate::Document;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Where a move takes the focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    NextSentence,
    PreviousSentence,
    NextParagraph,
    PreviousParagraph,
}

/// How the focus changes size, a word at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resize {
    GrowEnd,
    ShrinkEnd,
    GrowStart,
    ShrinkStart,
}

/// Index of the paragraph holding byte `at`.
fn paragraph_index(doc: &Document, at: usize) -> usize {
    doc.paragraphs()
        .partition_point(|p| p.start <= at)
        .saturating_sub(1)
}

/// The focus after `step` from `focus` (or from the start of the text when there is
/// none). `None` when there is nowhere to go: the focus stays.
pub fn step(doc: &Document, focus: Option<&Range<usize>>, step: Move) -> Option<Range<usize>> {
    let text = doc.text();
    let paragraphs = doc.paragraphs();
    match (step, focus) {
        (Move::NextSentence | Move::NextParagraph, None) => {
            first_after(doc, 0, step == Move::NextSentence)
        }
        (Move::PreviousSentence | Move::PreviousParagraph, None) => None,
        (Move::NextSentence, Some(f)) => first_after(doc, f.end, true),
        (Move::PreviousSentence, Some(f)) => {
            let mut i = paragraph_index(doc, f.start);
            loop {
                if let Some(s) = sentences_in(text, paragraphs[i].clone())
                    .into_iter()
                    .rev()
                    .find(|s| s.start < f.start)
                {
                    return Some(s);
                }
                i = i.checked_sub(1)?;
            }
        }
        (Move::NextParagraph, Some(f)) => {
            let i = paragraph_index(doc, f.start);
            paragraphs[i + 1..].iter().find_map(|p| doc.trim(p.clone()))
        }
        (Move::PreviousParagraph, Some(f)) => {
            let i = paragraph_index(doc, f.start);
            let own = doc.trim(paragraphs[i].clone());
            match own {
                // Inside a paragraph: to its start first.
                Some(p) if p.start < f.start => Some(p),
                _ => paragraphs[..i]
                    .iter()
                    .rev()
                    .find_map(|p| doc.trim(p.clone())),
            }
        }
    }
}

/// The first sentence (or paragraph) starting at or after byte `from`.
fn first_after(doc: &Document, from: usize, sentence: bool) -> Option<Range<usize>> {
    let paragraphs = doc.paragraphs();
    let first = paragraph_index(doc, from.min(doc.text().len()));
    for p in &paragraphs[first..] {
        if sentence {
            if let Some(s) = sentences_in(doc.text(), p.clone())
                .into_iter()
                .find(|s| s.start >= from)
            {
                return Some(s);
            }
        } else if let Some(t) = doc.trim(p.clone()).filter(|t| t.start >= from) {
            return Some(t);
        }
    }
    None
}

/// The word boundaries (UAX #29) of the paragraph around `at`, as starts and ends of
/// words (segments with a letter or digit).
fn words_around(doc: &Document, at: usize) -> Vec<Range<usize>> {
    let para = segment::paragraph_at(doc, at);
    doc.text()[para.clone()]
        .split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
        .map(|(i, w)| para.start + i..para.start + i + w.len())
        .collect()
}

/// The focus grown or shrunk by one word at one end. Growing stops at the paragraph's
/// edge; shrinking never makes the focus empty. Punctuation right after the last word
/// (a full stop, a closing quote) stays with it.
pub fn resize(doc: &Document, focus: &Range<usize>, how: Resize) -> Range<usize> {
    let text = doc.text();
    let words_end = words_around(doc, focus.end.saturating_sub(1).max(focus.start));
    let words_start = words_around(doc, focus.start);
    let extend_punct = |end: usize| {
        let para_end = segment::paragraph_at(doc, end.saturating_sub(1)).end;
        let tail = &text[end..para_end];
        end + tail.len()
            - tail
                .trim_start_matches(|c: char| !c.is_alphanumeric() && !c.is_whitespace())
                .len()
    };
    let new = match how {
        Resize::GrowEnd => words_end
            .iter()
            .find(|w| w.start >= focus.end)
            .map(|w| focus.start..extend_punct(w.end)),
        // Drop the last word; punctuation right after the new last word stays with it
        // (`"... underway,"`). At least one word is kept.
        Resize::ShrinkEnd => {
            let inside: Vec<_> = words_end
                .iter()
                .filter(|w| w.start >= focus.start && w.start < focus.end)
                .collect();
            (inside.len() >= 2).then(|| focus.start..extend_punct(inside[inside.len() - 2].end))
        }
        Resize::GrowStart => words_start
            .iter()
            .rev()
            .find(|w| w.start < focus.start)
            .map(|w| w.start..focus.end),
        // Drop the first word (and what precedes the next); keep at least one word.
        Resize::ShrinkStart => {
            let inside: Vec<_> = words_start
                .iter()
                .filter(|w| w.start >= focus.start && w.start < focus.end)
                .collect();
            (inside.len() >= 2).then(|| inside[1].start..focus.end)
        }
    };
    new.and_then(|r| doc.trim(r))
        .unwrap_or_else(|| focus.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Title\n\nMr. Peskov said it. \"We are ready,\" he added.\nSecond paragraph here. Last one.\n\nEnd";

    fn s(doc: &Document, r: &Option<Range<usize>>) -> String {
        r.as_ref()
            .map_or("-".into(), |r| doc.text()[r.clone()].to_owned())
    }

    #[test]
    fn moves_by_sentence_and_paragraph() {
        let doc = Document::new("t", TEXT);
        let mut f = step(&doc, None, Move::NextSentence);
        let mut seen = vec![s(&doc, &f)];
        while let Some(next) = step(&doc, f.as_ref(), Move::NextSentence) {
            seen.push(s(&doc, &Some(next.clone())));
            f = Some(next);
        }
        assert_eq!(
            seen,
            [
                "Title",
                "Mr. Peskov said it.",
                "\"We are ready,\" he added.",
                "Second paragraph here.",
                "Last one.",
                "End"
            ]
        );
        let back = step(&doc, f.as_ref(), Move::PreviousSentence);
        assert_eq!(s(&doc, &back), "Last one.");
        let up = step(&doc, back.as_ref(), Move::PreviousParagraph);
        assert_eq!(s(&doc, &up), "Second paragraph here. Last one.");
        let up2 = step(&doc, up.as_ref(), Move::PreviousParagraph);
        assert_eq!(
            s(&doc, &up2),
            "Mr. Peskov said it. \"We are ready,\" he added."
        );
        let down = step(&doc, up2.as_ref(), Move::NextParagraph);
        assert_eq!(s(&doc, &down), "Second paragraph here. Last one.");
        assert_eq!(step(&doc, Some(&(0..5)), Move::PreviousSentence), None);
    }

    #[test]
    fn resizes_by_a_word_keeping_punctuation() {
        let doc = Document::new("t", TEXT);
        let text = doc.text();
        let at = text.find("Mr.").unwrap();
        let f = at..at + "Mr. Peskov said it.".len();
        let shrunk = resize(&doc, &f, Resize::ShrinkEnd);
        assert_eq!(&text[shrunk.clone()], "Mr. Peskov said");
        let grown = resize(&doc, &shrunk, Resize::GrowEnd);
        assert_eq!(&text[grown.clone()], "Mr. Peskov said it.");
        let start = resize(&doc, &grown, Resize::ShrinkStart);
        assert_eq!(&text[start.clone()], "Peskov said it.");
        assert_eq!(
            &text[resize(&doc, &start, Resize::GrowStart)],
            "Mr. Peskov said it."
        );
        // Never empty, never past the paragraph.
        let one = text.find("End").unwrap();
        assert_eq!(
            resize(&doc, &(one..one + 3), Resize::ShrinkEnd),
            one..one + 3
        );
        assert_eq!(resize(&doc, &(one..one + 3), Resize::GrowEnd), one..one + 3);
    }
}
