//! Quote rules: direct quotations and their speakers.
//!
//! One pass over each paragraph's quotation marks finds every quoted stretch; one pass
//! over each sentence's words (outside quotations) finds the attribution cues
//! ([`ATTRIBUTION_WORDS`]). A stretch is then:
//!
//! - **quoted** when its sentences hold a cue, or a colon stands just before it
//!   (`said: "…"`);
//! - **continued** when it has no cue of its own but opens its sentence right after a
//!   sentence holding a quoted or continued stretch (the next paragraph of a quote, or
//!   the next quoted sentence after `"…," he said.`);
//! - otherwise **unattributed**, and not suggested: scare quotes, names, titles.
//!
//! Single quotation marks are not read: apostrophes make them ambiguous, and quotes
//! within quotes belong to the outer quote.

use super::patterns::*;
use super::text::{words, Word};
use super::{Context, Found, Paragraph};
use std::ops::Range;

/// The longest name read, in words: every walk over words is bounded, so each cue
/// costs a constant.
const MAX_NAME_WORDS: usize = 8;

/// How far back a participle's subject is looked for, in words.
const SUBJECT_WINDOW: usize = 30;

/// How a quoted stretch stands in its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Quoted,
    Continued,
    Unattributed,
}

/// A stretch of text between quotation marks (marks included). `closed` is false when
/// the paragraph, or the next opening mark, came before a closing mark (a quote that
/// continues in the next paragraph).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    pub range: Range<usize>,
    pub closed: bool,
    pub kind: Kind,
    pub speaker: Option<Range<usize>>,
}

pub(super) fn quoted(ctx: &Context<'_>) -> Vec<Found> {
    of_kind(ctx, Kind::Quoted)
}

pub(super) fn continued(ctx: &Context<'_>) -> Vec<Found> {
    of_kind(ctx, Kind::Continued)
}

fn of_kind(ctx: &Context<'_>, kind: Kind) -> Vec<Found> {
    ctx.quotes
        .iter()
        .filter(|q| q.kind == kind)
        .map(|q| Found {
            range: q.range.clone(),
            speaker: q.speaker.clone(),
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open,
    Close,
    Either,
}

fn is_mark(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„' | '«' | '»')
}

/// Whether a straight mark opens or closes, from its neighbours: an opening mark has
/// space (or a bracket, a dash, the line's start) before it and a word after it.
fn classify(c: char, before: Option<char>, after: Option<char>) -> Mark {
    match c {
        '“' | '„' | '«' => return Mark::Open,
        '”' | '»' => return Mark::Close,
        _ => {}
    }
    let space_before = before
        .is_none_or(|b| b.is_whitespace() || matches!(b, '(' | '[' | '{' | '—' | '–' | '-' | '/'));
    let space_after = after.is_none_or(|a| {
        a.is_whitespace() || matches!(a, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}')
    });
    match (space_before, space_after) {
        (true, false) => Mark::Open,
        (false, true) => Mark::Close,
        _ => Mark::Either,
    }
}

/// The quoted stretches of one paragraph, in order. Linear in the paragraph.
fn stretches(text: &str, para: Range<usize>, out: &mut Vec<(Range<usize>, bool)>) {
    let slice = &text[para.clone()];
    let mut open: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut chars = slice.char_indices().peekable();
    let push = |start: usize, end: usize, closed: bool, out: &mut Vec<(Range<usize>, bool)>| {
        let inner = &slice[start..end];
        let end = start + inner.trim_end().len();
        if slice[start..end].chars().any(char::is_alphanumeric) {
            out.push((para.start + start..para.start + end, closed));
        }
    };
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if is_mark(c) {
            match (open, classify(c, prev, next)) {
                (None, Mark::Open | Mark::Either) => open = Some(i),
                (None, Mark::Close) => {}
                (Some(s), Mark::Close | Mark::Either) => {
                    push(s, i + c.len_utf8(), true, out);
                    open = None;
                }
                (Some(s), Mark::Open) => {
                    push(s, i, false, out);
                    open = Some(i);
                }
            }
        }
        prev = Some(c);
    }
    if let Some(s) = open {
        push(s, slice.len(), false, out);
    }
}

/// An attribution cue outside quotations.
#[derive(Clone, Debug)]
struct Cue {
    /// The cue word (for two-word cues, the last word).
    at: Range<usize>,
    side: Side,
    /// Its sentence.
    sentence: usize,
    /// Index of its word in the sentence's word list.
    word: usize,
}

/// A speaker as found beside a cue: a name, or a pronoun to resolve.
#[derive(Clone, Debug)]
enum Who {
    Name(Range<usize>),
    Pronoun,
}

/// Finds every quoted stretch, whether it is attributed, and its speaker.
pub(crate) fn analyse(
    text: &str,
    paragraphs: &[Paragraph],
    sentences: &[Range<usize>],
) -> Vec<Quotation> {
    let mut raw: Vec<(Range<usize>, bool)> = Vec::new();
    for p in paragraphs {
        stretches(text, p.range.clone(), &mut raw);
    }
    if raw.is_empty() {
        return Vec::new();
    }

    // Words outside quotations, sentence by sentence, and the cues among them.
    let mut sentence_words: Vec<Vec<Word<'_>>> = Vec::with_capacity(sentences.len());
    let mut cues: Vec<Cue> = Vec::new();
    let mut q = 0;
    for (si, s) in sentences.iter().enumerate() {
        let mut kept = Vec::new();
        for w in words(text, s.clone()) {
            while q < raw.len() && raw[q].0.end <= w.start {
                q += 1;
            }
            if q < raw.len() && raw[q].0.start <= w.start {
                continue; // inside a quotation
            }
            kept.push(w);
        }
        for (wi, w) in kept.iter().enumerate() {
            // Part of a compound ("so-called") is no cue.
            let compound = text[..w.start].ends_with('-') || text[w.end..].starts_with('-');
            if compound {
                continue;
            }
            if let Some(&(_, side)) = ATTRIBUTION_WORDS.iter().find(|(c, _)| w.is(c)) {
                cues.push(Cue {
                    at: w.range(),
                    side,
                    sentence: si,
                    word: wi,
                });
            }
            if wi > 0 {
                for &(a, b, side) in ATTRIBUTION_PHRASES {
                    if kept[wi - 1].is(a) && w.is(b) {
                        cues.push(Cue {
                            at: w.range(),
                            side,
                            sentence: si,
                            word: wi,
                        });
                    }
                }
            }
        }
        sentence_words.push(kept);
    }

    // Every cue's speaker, in document order, pronouns resolved to the last named one.
    let mut mentions: Vec<(usize, Range<usize>)> = Vec::new();
    let mut cue_speaker: Vec<(Option<Who>, Option<Who>)> = Vec::with_capacity(cues.len());
    for cue in &cues {
        let ws = &sentence_words[cue.sentence];
        let before = match cue.side {
            Side::After => None,
            Side::Subject => subject(text, ws, cue.word),
            _ => before_verb(text, ws, cue.word),
        };
        let after = match cue.side {
            Side::Either | Side::After => after_verb(text, ws, cue.word),
            _ => None,
        };
        let resolve = |who: Option<Who>, mentions: &[(usize, Range<usize>)]| match who {
            Some(Who::Pronoun) => mentions.last().map(|(_, r)| Who::Name(r.clone())),
            other => other,
        };
        let before = resolve(before, &mentions);
        let after = resolve(after, &mentions);
        let general = match (&after, &before) {
            (Some(Who::Name(r)), _) if text[r.start..].starts_with(char::is_uppercase) => {
                Some(r.clone())
            }
            (_, Some(Who::Name(r))) => Some(r.clone()),
            (Some(Who::Name(r)), _) => Some(r.clone()),
            _ => None,
        };
        if let Some(r) = general {
            mentions.push((cue.at.start, r));
        }
        cue_speaker.push((before, after));
    }

    // Sentence index of every byte offset, through a moving pointer.
    let sentence_of = |at: usize, from: usize| -> usize {
        let mut i = from;
        while i + 1 < sentences.len() && sentences[i].end <= at {
            i += 1;
        }
        i
    };

    let mut out: Vec<Quotation> = Vec::with_capacity(raw.len());
    let mut cursor = 0;
    // The last sentence holding an attributed or continued quote, and its speaker.
    let mut last_quoted: Option<(usize, Option<Range<usize>>)> = None;
    for (range, closed) in raw {
        let first = sentence_of(range.start, cursor);
        let last = sentence_of(range.end.saturating_sub(1), first);
        cursor = first;
        // The two nearest cues on either side within the quote's sentences (a binary
        // search, so many quotes in one long sentence stay cheap), nearest first.
        let at = cues.partition_point(|c| c.at.start < range.start);
        let mut mine: Vec<usize> = (at.saturating_sub(2)..at)
            .filter(|&c| cues[c].sentence >= first)
            .chain((at..cues.len().min(at + 2)).filter(|&c| cues[c].sentence <= last))
            .collect();
        crate::sort::sort_by_key(&mut mine, |&c| distance(&cues[c].at, &range));
        let colon = text[..range.start].trim_end().ends_with(':');
        let before = text[..range.start].trim_end();
        let cut = (0..=before.len().saturating_sub(16))
            .rev()
            .find(|&i| before.is_char_boundary(i))
            .unwrap_or(0);
        let lead = &before[cut..];
        let term = TERM_MARKERS.iter().any(|m| {
            lead.len() >= m.len()
                && lead.is_char_boundary(lead.len() - m.len())
                && lead[lead.len() - m.len()..].eq_ignore_ascii_case(m)
                && !lead[..lead.len() - m.len()].ends_with(char::is_alphanumeric)
        });
        let kind;
        let mut speaker = None;
        if term {
            kind = Kind::Unattributed;
        } else if !mine.is_empty() || colon {
            kind = Kind::Quoted;
            for &c in &mine {
                let (before, after) = &cue_speaker[c];
                let quote_first = range.end <= cues[c].at.start;
                let order = if quote_first {
                    [after, before]
                } else {
                    [before, after]
                };
                if let Some(Who::Name(r)) = order.into_iter().flatten().next() {
                    speaker = Some(r.clone());
                    break;
                }
            }
            if speaker.is_none() {
                // Inherit from an earlier quote of the same sentence, or the last
                // speaker named before it.
                speaker = match &last_quoted {
                    Some((s, sp)) if *s == first => sp.clone(),
                    _ => None,
                }
                .or_else(|| {
                    let i = mentions.partition_point(|(at, _)| *at < range.start);
                    i.checked_sub(1).map(|i| mentions[i].1.clone())
                });
            }
        } else {
            let opens_sentence = sentences.get(first).is_some_and(|s| s.start == range.start);
            match &last_quoted {
                Some((s, sp)) if opens_sentence && first > 0 && *s == first - 1 => {
                    kind = Kind::Continued;
                    speaker = sp.clone();
                }
                _ => kind = Kind::Unattributed,
            }
        }
        if kind != Kind::Unattributed {
            last_quoted = Some((last, speaker.clone()));
        }
        out.push(Quotation {
            range,
            closed,
            kind,
            speaker,
        });
    }
    out
}

fn distance(a: &Range<usize>, b: &Range<usize>) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

/// The text between two words holds nothing but spaces (and apostrophes: "Networks'
/// Sophie").
fn tight(text: &str, a: &Word<'_>, b: &Word<'_>) -> bool {
    text[a.end..b.start]
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '\'' | '’'))
}

/// Whether the gap between two words crosses a quotation or a clause.
fn blocked(text: &str, a: &Word<'_>, b: &Word<'_>) -> bool {
    text[a.end..b.start]
        .chars()
        .any(|c| is_mark(c) || matches!(c, '.' | ';' | '!' | '?' | '(' | ')'))
}

fn has_comma(text: &str, a: &Word<'_>, b: &Word<'_>) -> bool {
    text[a.end..b.start].contains(',')
}

/// The name made of capitalised words (and particles such as "van der") that ends at
/// word `end`, without leading words of [`NOT_NAMES`].
fn name_ending(text: &str, ws: &[Word<'_>], end: usize) -> Option<Range<usize>> {
    if !ws[end].capitalised() {
        return None;
    }
    let mut start = end;
    while start > 0 && end - start < MAX_NAME_WORDS && tight(text, &ws[start - 1], &ws[start]) {
        let w = &ws[start - 1];
        if w.capitalised() || (w.is_any(NAME_PARTICLES) && ws[start].capitalised()) {
            start -= 1;
        } else {
            break;
        }
    }
    while start <= end && ws[start].is_any(NOT_NAMES) {
        start += 1;
    }
    (start <= end).then(|| ws[start].start..ws[end].end)
}

/// The name of capitalised words that starts at word `start`.
fn name_starting(text: &str, ws: &[Word<'_>], start: usize) -> Option<Range<usize>> {
    let mut i = start;
    while i < ws.len()
        && i - start < MAX_NAME_WORDS
        && ws[i].is_any(NOT_NAMES)
        && ws[i].capitalised()
    {
        i += 1;
    }
    if i >= ws.len() || !ws[i].capitalised() {
        return None;
    }
    let first = i;
    while i + 1 < ws.len() && i - first < MAX_NAME_WORDS && tight(text, &ws[i], &ws[i + 1]) {
        let n = &ws[i + 1];
        let particle = n.is_any(NAME_PARTICLES) && ws.get(i + 2).is_some_and(|m| m.capitalised());
        if n.capitalised() || particle {
            i += 1;
        } else {
            break;
        }
    }
    Some(ws[first].start..ws[i].end)
}

/// "a Jive spokeswoman", "the firm": a determiner of [`DETERMINERS`] and up to four
/// more words, stopping at a word of [`SPEAKER_STOPS`] or at punctuation. The range
/// leaves out "a"/"an".
fn described(text: &str, ws: &[Word<'_>], det: usize, limit: usize) -> Option<Range<usize>> {
    let mut end = det;
    while end + 1 < ws.len()
        && end < limit
        && end - det < 4
        && tight(text, &ws[end], &ws[end + 1])
        && !ws[end + 1].is_any(SPEAKER_STOPS)
    {
        end += 1;
    }
    if end == det {
        return None;
    }
    let start = if ws[det].is("a") || ws[det].is("an") {
        det + 1
    } else {
        det
    };
    Some(ws[start].start..ws[end].end)
}

/// The speaker after a cue: "said Duncan Ingram", "said a Japan Airlines spokesman",
/// "according to the magazine", "quoted a central bank official".
fn after_verb(text: &str, ws: &[Word<'_>], cue: usize) -> Option<Who> {
    let next = ws.get(cue + 1)?;
    if blocked(text, &ws[cue], next) || has_comma(text, &ws[cue], next) {
        return None;
    }
    // A pronoun after the verb starts a clause ("says they try"), it is not the speaker.
    if next.is_any(PRONOUNS) {
        return None;
    }
    if next.is_any(DETERMINERS) {
        return described(text, ws, cue + 1, ws.len()).map(Who::Name);
    }
    // The name may follow an honorific ("said Mr Ingram"), no other word.
    let honorific = usize::from(next.is_any(HONORIFICS));
    name_starting(text, ws, cue + 1)
        .filter(|r| r.start == ws[cue + 1 + honorific.min(ws.len() - cue - 2)].start)
        .map(Who::Name)
}

/// The speaker before a cue: "Peskov told", "Sony has said", "a spokesman said",
/// "Simon Wheatley, from Goldman Sachs, told", "Brent Bozell, PTC president … said".
fn before_verb(text: &str, ws: &[Word<'_>], cue: usize) -> Option<Who> {
    let mut i = cue;
    while i > 0 && ws[i - 1].is_any(SKIPPABLE_BEFORE_VERB) && !blocked(text, &ws[i - 1], &ws[i]) {
        i -= 1;
    }
    if i == 0 {
        return None;
    }
    let j = i - 1;
    if blocked(text, &ws[j], &ws[i]) {
        return None;
    }
    if has_comma(text, &ws[j], &ws[i]) {
        // An appositive before the verb: the name stands before the comma that opens it.
        let mut k = j;
        while k > 0 && j - k < 12 {
            if blocked(text, &ws[k - 1], &ws[k]) {
                return None;
            }
            if has_comma(text, &ws[k - 1], &ws[k]) {
                // "The BBC's correspondent in Jakarta, Rachel Harvey, told": the part
                // between the commas is itself the name.
                if let Some(r) = name_ending(text, ws, j).filter(|r| r.start <= ws[k].end) {
                    return Some(Who::Name(r));
                }
                return name_ending(text, ws, k - 1).map(Who::Name);
            }
            k -= 1;
        }
        return None;
    }
    if ws[j].is_any(PRONOUNS) {
        return Some(Who::Pronoun);
    }
    if ws[j].is_any(RELATIVE_PRONOUNS) && j > 0 && !blocked(text, &ws[j - 1], &ws[j]) {
        return name_ending(text, ws, j - 1).map(Who::Name);
    }
    if let Some(r) = name_ending(text, ws, j) {
        return Some(Who::Name(r));
    }
    // A name and the noun it qualifies: "Broadcast magazine said".
    if j > 0 && tight(text, &ws[j - 1], &ws[j]) {
        if let Some(r) = name_ending(text, ws, j - 1) {
            return Some(Who::Name(r.start..ws[j].end));
        }
    }
    // A described speaker: a determiner within four words, no comma between.
    let mut k = j;
    while k > 0
        && j - k < 4
        && !blocked(text, &ws[k - 1], &ws[k])
        && !has_comma(text, &ws[k - 1], &ws[k])
    {
        k -= 1;
        if ws[k].is_any(DETERMINERS) {
            let start = if ws[k].is("a") || ws[k].is("an") {
                k + 1
            } else {
                k
            };
            return Some(Who::Name(ws[start].start..ws[j].end));
        }
    }
    // Words after a name, before the verb ("Brent Bozell, PTC president and
    // conservative activist said"): the name before the nearest comma.
    let mut k = j;
    while k > 0 && j - k < 10 {
        if blocked(text, &ws[k - 1], &ws[k]) {
            return None;
        }
        if has_comma(text, &ws[k - 1], &ws[k]) {
            return name_ending(text, ws, k - 1).map(Who::Name);
        }
        k -= 1;
    }
    None
}

/// The subject of the clause a participle hangs on ("Gore Vidal defended the film,
/// saying"): the first name in the sentence before the cue, looking at most
/// [`SUBJECT_WINDOW`] words back (so that many cues in one long sentence stay linear).
fn subject(text: &str, ws: &[Word<'_>], cue: usize) -> Option<Who> {
    let mut i = cue.saturating_sub(SUBJECT_WINDOW);
    while i < cue {
        if ws[i].is_any(PRONOUNS) {
            return Some(Who::Pronoun);
        }
        if ws[i].capitalised() && !ws[i].is_any(NOT_NAMES) {
            let r = name_starting(text, ws, i)?;
            return Some(Who::Name(r));
        }
        i += 1;
    }
    None
}
