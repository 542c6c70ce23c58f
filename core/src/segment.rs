//! Word, sentence and token boundaries, from Unicode's text segmentation (UAX #29,
//! through `unicode-segmentation`), so that spans land where annotators mean them.
//!
//! Everything works within one paragraph (line) at a time: no word, sentence or token
//! crosses a line break, and the cost of a lookup is linear in the paragraph, not the
//! document.

use crate::Document;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Abbreviations that do not end a sentence even when a capitalised word follows
/// ("Mr. Peskov", "the U.S. President", "Jan. 6"). Single capital initials ("John F.
/// Kennedy") are handled too. Company suffixes ("Inc.", "Ltd.") are left out on purpose:
/// they end sentences as often as not.
pub const ABBREVIATIONS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Mx.", "Dr.", "Prof.", "Sr.", "Jr.", "St.", "Mt.", "Gen.", "Gov.",
    "Sen.", "Rep.", "Rev.", "Lt.", "Col.", "Sgt.", "Capt.", "Cmdr.", "Adm.", "Maj.", "Pres.",
    "Supt.", "Insp.", "Det.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.",
    "Sept.", "Oct.", "Nov.", "Dec.", "U.S.", "U.K.", "U.N.", "E.U.", "U.S.A.", "No.", "Nos.",
    "vs.", "v.", "e.g.", "i.e.", "approx.", "Fig.", "Ft.", "Ave.",
];

/// Whether a word-boundary segment is a word (it has a letter or a digit), not
/// whitespace or punctuation.
fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

/// The byte range of the paragraph (line, without its line break) that contains
/// `at`. An offset on a line break belongs to the paragraph before it.
pub fn paragraph_at(doc: &Document, at: usize) -> Range<usize> {
    let paragraphs = doc.paragraphs();
    let i = paragraphs
        .partition_point(|p| p.start <= at)
        .saturating_sub(1);
    paragraphs[i].clone()
}

/// The word (UAX #29) that contains the character at byte `at`, if that character is
/// part of a word.
pub fn word_at(doc: &Document, at: usize) -> Option<Range<usize>> {
    let para = paragraph_at(doc, at);
    doc.text()[para.clone()]
        .split_word_bound_indices()
        .map(|(i, w)| (para.start + i, w))
        .find(|(s, w)| *s <= at && at < s + w.len())
        .filter(|(_, w)| is_word(w))
        .map(|(s, w)| s..s + w.len())
}

/// `range` widened to whole words: a start inside a word moves to the word's start, an
/// end inside a word to the word's end. Whitespace at either end is then trimmed.
pub fn snap_to_words(doc: &Document, range: Range<usize>) -> Option<Range<usize>> {
    let text = doc.text();
    let range = doc.trim(range)?;
    let start = word_at(doc, range.start).map_or(range.start, |w| w.start);
    let last = text[..range.end]
        .char_indices()
        .next_back()
        .map_or(0, |(i, _)| i);
    let end = word_at(doc, last).map_or(range.end, |w| w.end.max(range.end));
    doc.trim(start.min(range.start)..end)
}

/// Whether a sentence (as UAX #29 found it) ends with an abbreviation or an initial
/// and so must not end there.
fn ends_with_abbreviation(sentence: &str) -> bool {
    let Some(last) = sentence.split_whitespace().next_back() else {
        return false;
    };
    let word = last.trim_start_matches(|c: char| !c.is_alphanumeric());
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

/// The sentences of the paragraph `para`, as byte ranges with whitespace trimmed.
///
/// UAX #29 sentence boundaries, then two repairs: a boundary after an abbreviation or
/// an initial ([`ABBREVIATIONS`]) is dropped, and so is a boundary before a sentence
/// that starts with a lower-case letter (`"Why?" he asked.`).
pub fn sentences_in(text: &str, para: Range<usize>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut pending: Option<Range<usize>> = None;
    for (i, s) in text[para.clone()].split_sentence_bound_indices() {
        let raw = para.start + i..para.start + i + s.len();
        let continues = s.trim_start().starts_with(|c: char| c.is_lowercase());
        let joined = match pending.take() {
            Some(p) => p.start..raw.end,
            // `"Why?" he asked.`: a sentence that starts in lower case continues the last.
            None if continues && !out.is_empty() => {
                let last = out.pop().map_or(raw.start, |l| l.start);
                last..raw.end
            }
            None => raw,
        };
        if ends_with_abbreviation(text[joined.clone()].trim_end()) {
            pending = Some(joined);
        } else {
            out.push(joined);
        }
    }
    out.extend(pending);
    let trimmed: Vec<Range<usize>> = out
        .into_iter()
        .filter_map(|r| {
            let slice = &text[r.clone()];
            let lead = slice.len() - slice.trim_start().len();
            let trail = slice.len() - slice.trim_end().len();
            (r.start + lead < r.end - trail).then(|| r.start + lead..r.end - trail)
        })
        .collect();
    // A "sentence" with no letter or digit (an emoji after a full stop, a lone dash)
    // belongs to the sentence before it, or the one after it at the start.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(trimmed.len());
    let mut orphan: Option<usize> = None;
    for r in trimmed {
        let wordless = !text[r.clone()].chars().any(char::is_alphanumeric);
        match merged.last_mut() {
            Some(last) if wordless => last.end = r.end,
            None if wordless => orphan = Some(orphan.unwrap_or(r.start)),
            _ => merged.push(orphan.take().unwrap_or(r.start)..r.end),
        }
    }
    if let Some(start) = orphan {
        merged.push(start..para_end_of(text, start));
    }
    merged
}

/// The end of the non-whitespace text from `start` to the end of its line.
fn para_end_of(text: &str, start: usize) -> usize {
    let line_end = text[start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| start + i);
    start + text[start..line_end].trim_end().len()
}

/// All sentences of the document, in order. No sentence crosses a line break.
pub fn sentences(doc: &Document) -> Vec<Range<usize>> {
    doc.paragraphs()
        .iter()
        .flat_map(|p| sentences_in(doc.text(), p.clone()))
        .collect()
}

/// The sentence containing byte `at` (or the nearest one before it in its paragraph).
pub fn sentence_at(doc: &Document, at: usize) -> Option<Range<usize>> {
    let para = paragraph_at(doc, at);
    let found = sentences_in(doc.text(), para);
    found
        .iter()
        .find(|s| s.start <= at && at < s.end)
        .or_else(|| found.iter().rev().find(|s| s.start <= at))
        .or(found.first())
        .cloned()
}

/// A token: a UAX #29 word-boundary segment (a word, a number, a punctuation mark, a
/// symbol, or a run of whitespace other than a single space after a token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Whether one space (U+0020) follows the token and belongs to it, as spaCy's
    /// `whitespace_` and Prodigy's `ws` say.
    pub ws: bool,
}

/// The tokens of `text`, cut again at every offset in `cuts` (sorted byte offsets, for
/// example every span's start and end), so that every cut is a token boundary.
///
/// Joining each token's text, plus a space where `ws` is true, gives back the text
/// exactly: whitespace other than one space after a token (line breaks, tabs, runs of
/// spaces) becomes tokens of its own, as spaCy makes them.
pub fn tokens(text: &str, cuts: &[usize]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut next_cut = 0;
    let is_cut = |at: usize| cuts.binary_search(&at).is_ok();
    for (start, segment) in text.split_word_bound_indices() {
        let end = start + segment.len();
        while next_cut < cuts.len() && cuts[next_cut] <= start {
            next_cut += 1;
        }
        let mut piece_start = start;
        let mut pieces = Vec::new();
        while next_cut < cuts.len() && cuts[next_cut] < end {
            if text.is_char_boundary(cuts[next_cut]) && cuts[next_cut] > piece_start {
                pieces.push(piece_start..cuts[next_cut]);
                piece_start = cuts[next_cut];
            }
            next_cut += 1;
        }
        pieces.push(piece_start..end);
        for piece in pieces {
            let s = &text[piece.clone()];
            if s.chars().all(char::is_whitespace) {
                let attach = s.starts_with(' ')
                    && !is_cut(piece.start + 1)
                    && out.last().is_some_and(|t| {
                        !t.ws && t.end == piece.start && !is_whitespace_token(text, t)
                    });
                if attach {
                    if let Some(last) = out.last_mut() {
                        last.ws = true;
                    }
                    if piece.len() > 1 {
                        out.push(Token {
                            start: piece.start + 1,
                            end: piece.end,
                            ws: false,
                        });
                    }
                    continue;
                }
            }
            out.push(Token {
                start: piece.start,
                end: piece.end,
                ws: false,
            });
        }
    }
    out
}

/// Whether a token is whitespace only.
pub fn is_whitespace_token(text: &str, t: &Token) -> bool {
    text[t.start..t.end].chars().all(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::new("t", text)
    }

    fn slices<'a>(text: &'a str, ranges: &[Range<usize>]) -> Vec<&'a str> {
        ranges.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn snapping_widens_to_whole_words_and_trims() {
        let d = doc("Kremlin spokesman Dmitry Peskov said.");
        let text = d.text();
        // "mlin spokes" -> "Kremlin spokesman"
        let r = snap_to_words(&d, 3..14).unwrap();
        assert_eq!(&text[r], "Kremlin spokesman");
        // Already on word boundaries, with whitespace around: only trimmed.
        let r = snap_to_words(&d, 7..25).unwrap();
        assert_eq!(&text[r], "spokesman Dmitry");
        // Punctuation is not widened into the next word.
        let r = snap_to_words(&d, 27..37).unwrap();
        assert_eq!(&text[r], "Peskov said.");
        assert_eq!(snap_to_words(&d, 7..8), None);
    }

    #[test]
    fn snapping_keeps_graphemes_and_emoji_whole() {
        let d = doc("Café owners (cafe\u{301}) 👨‍👩‍👧 gathered");
        let text = d.text();
        let start = text.find("afe\u{301}").unwrap();
        let r = snap_to_words(&d, start..start + 2).unwrap();
        assert_eq!(&text[r], "cafe\u{301}");
    }

    #[test]
    fn sentences_respect_abbreviations() {
        let text = "Mr. Peskov met U.S. President Donald J. Trump on Jan. 6 in Washington. \
                    It was brief! \"Why?\" he asked.\nNext line, no stop";
        let d = doc(text);
        assert_eq!(
            slices(text, &sentences(&d)),
            [
                "Mr. Peskov met U.S. President Donald J. Trump on Jan. 6 in Washington.",
                "It was brief!",
                "\"Why?\" he asked.",
                "Next line, no stop"
            ]
        );
        // An emoji after a full stop stays with its sentence.
        let d2 = doc("Talks resume. 😀\r\n— 🇮🇷\r\n");
        assert_eq!(
            slices(d2.text(), &sentences(&d2)),
            ["Talks resume. 😀", "— 🇮🇷"]
        );
        let at = text.find("brief").unwrap();
        assert_eq!(&text[sentence_at(&d, at).unwrap()], "It was brief!");
    }

    #[test]
    fn tokens_rebuild_the_text_and_honour_cuts() {
        let text = "He said:  \"We're ready.\"\r\n\tMarkets fell 2.1%. 😀x";
        let cut = text.find("ady").unwrap();
        let toks = tokens(text, &[cut]);
        let rebuilt: String = toks
            .iter()
            .map(|t| format!("{}{}", &text[t.start..t.end], if t.ws { " " } else { "" }))
            .collect();
        assert_eq!(rebuilt, text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert!(words.contains(&"re") && words.contains(&"ady"), "{words:?}");
        assert!(
            words.contains(&"\r\n") && words.contains(&"\t"),
            "{words:?}"
        );
        // Two spaces: one belongs to "said:"… no: ":" then a one-space token.
        assert!(words.windows(2).any(|w| w == [":", " "]), "{words:?}");
        assert!(toks.iter().all(|t| t.start < t.end));
    }
}
