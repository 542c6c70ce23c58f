//! The fact rule: sentences that state a checkable figure or a dated event.

use super::patterns::*;
use super::text::{ends_like_sentence, words};
use super::{Context, Found};
use std::ops::Range;

/// Headline-like lines (no sentence ending) of at most this many words are not read.
const HEADLINE_WORDS: usize = 15;

/// Sentences with a figure outside quotation marks: an amount or number in digits
/// ("$1m", "£82.7m", "19%", "1,893", "mid-1960s", "22-year-old"), a number word of
/// [`NUMBER_WORDS`] ("three", "one-fifth", "double"), a month or day of [`MONTHS`] and
/// [`DAYS`], or a relative time ("last year", "a week", "ago").
///
/// Left out: headline-like lines; sentences more than half of whose text is quoted (the
/// quote label covers them); numbers that are part of a name, i.e. a plain number right
/// after a capitalised word that is not a month or a day ("Half-Life 2", "Fifa 2005",
/// "Euro 2004"); codes mixing letters and digits ("7E7", "A350", "GT4").
pub(super) fn figure(ctx: &Context<'_>) -> Vec<Found> {
    let text = ctx.text();
    let mut out = Vec::new();
    let mut q = 0;
    for p in &ctx.paragraphs {
        let line = &text[p.range.clone()];
        if !ends_like_sentence(line) && words(text, p.range.clone()).len() <= HEADLINE_WORDS {
            continue;
        }
        for s in &ctx.sentences[p.sentences.clone()] {
            // Quotations overlapping this sentence (they are sorted, as sentences are).
            while q < ctx.quotes.len() && ctx.quotes[q].range.end <= s.start {
                q += 1;
            }
            let inside: Vec<_> = ctx.quotes[q..]
                .iter()
                .take_while(|x| x.range.start < s.end)
                .map(|x| x.range.start.max(s.start)..x.range.end.min(s.end))
                .collect();
            let quoted: usize = inside.iter().map(|r| r.len()).sum();
            // Questions state nothing; mostly quoted sentences are quotes.
            if quoted * 2 > s.len()
                || text[s.clone()]
                    .trim_end_matches(['"', '”', '\'', '’'])
                    .ends_with('?')
            {
                continue;
            }
            if has_figure(text, s.clone(), &inside) {
                out.push(s.clone().into());
            }
        }
    }
    out
}

/// Whether offsets, asked in increasing order, are outside sorted ranges: a cursor, so
/// a sentence is checked in linear time however many quotations it holds.
struct Outside<'a> {
    ranges: &'a [Range<usize>],
    i: usize,
}

impl Outside<'_> {
    fn check(&mut self, at: usize) -> bool {
        while self.i < self.ranges.len() && self.ranges[self.i].end <= at {
            self.i += 1;
        }
        !(self.i < self.ranges.len() && self.ranges[self.i].start <= at)
    }
}

fn has_figure(text: &str, s: Range<usize>, quoted: &[Range<usize>]) -> bool {
    let mut outside = Outside {
        ranges: quoted,
        i: 0,
    };
    // Amounts and numbers, in whitespace-separated tokens.
    let mut prev: Option<&str> = None;
    let mut offset = s.start;
    for raw in text[s.clone()].split(' ') {
        let at = offset;
        offset += raw.len() + 1;
        let token = raw.trim_matches(|c: char| {
            matches!(
                c,
                '(' | ')'
                    | '['
                    | ']'
                    | ','
                    | ';'
                    | ':'
                    | '.'
                    | '!'
                    | '?'
                    | '"'
                    | '“'
                    | '”'
                    | '‘'
                    | '’'
                    | '\''
            )
        });
        if token.is_empty() {
            continue;
        }
        if outside.check(at) && is_amount(token) && !after_name(prev, token) {
            return true;
        }
        prev = Some(token);
    }
    // Number words, dates and relative times.
    let mut outside = Outside {
        ranges: quoted,
        i: 0,
    };
    let ws = words(text, s);
    for (i, w) in ws.iter().enumerate() {
        if !outside.check(w.start) {
            continue;
        }
        let lower = w.text.to_ascii_lowercase();
        let l = lower.as_str();
        // A capitalised number word inside a sentence, or joined to a capitalised word,
        // is part of a name ("Half-Life", "Formula One").
        let named = w.capitalised()
            && (i > 0
                || text[w.end..].starts_with('-')
                    && ws.get(i + 1).is_some_and(|n| n.capitalised()));
        if (NUMBER_WORDS.contains(&l) && !named) || TIME_WORDS_ALONE.contains(&l) {
            return true;
        }
        if w.capitalised() && (MONTHS.contains(&l) || DAYS.contains(&l)) {
            return true;
        }
        if l == "cent" && i > 0 && ws[i - 1].is("per") {
            return true;
        }
        if i > 0 && RELATIVE_TIME_SECOND.contains(&l) && ws[i - 1].is_any(RELATIVE_TIME_FIRST) {
            return true;
        }
    }
    false
}

/// "$1m", "£522,000", "A$4.50", "19%", "2Mbps", "mid-1960s", "12-year", "1,893", but
/// not "7E7", "A350" or "GT4".
fn is_amount(token: &str) -> bool {
    let mut t = token;
    for prefix in ["mid-", "early-", "late-", "pre-", "post-"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest;
        }
    }
    // A currency sign, maybe after up to three capitals ("A$", "US$", "HK$").
    let letters = t.chars().take_while(char::is_ascii_uppercase).count();
    let after_letters = &t[letters..];
    let currency = letters <= 3 && after_letters.starts_with(CURRENCY_SIGNS);
    if currency {
        t = after_letters.trim_start_matches(CURRENCY_SIGNS);
        return t.starts_with(|c: char| c.is_ascii_digit());
    }
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let rest = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    rest.is_empty()
        || rest.starts_with('%')
        || rest.starts_with('-')
        || rest.chars().all(char::is_alphabetic)
}

/// A plain number after a capitalised word that is not a month, a day or a function
/// word: part of a name ("Half-Life 2", "Euro 2004").
fn after_name(prev: Option<&str>, token: &str) -> bool {
    let Some(prev) = prev else {
        return false;
    };
    let plain = token.chars().all(|c| c.is_ascii_digit()) && token.len() <= 4;
    let lower = prev.to_ascii_lowercase();
    plain
        && prev.starts_with(|c: char| c.is_uppercase())
        && !MONTHS.contains(&lower.as_str())
        && !DAYS.contains(&lower.as_str())
        && !NOT_NAMES.contains(&lower.as_str())
        && lower != "may"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_told_from_codes() {
        for yes in [
            "$1m",
            "£522,000",
            "A$4.50",
            "19%",
            "2Mbps",
            "mid-1960s",
            "12-year",
            "1,893",
            "US$200",
            "1800s",
        ] {
            assert!(is_amount(yes), "{yes}");
        }
        for no in ["7E7", "A350", "GT4", "PS2", "x", "-"] {
            assert!(!is_amount(no), "{no}");
        }
        assert!(after_name(Some("Fifa"), "2005"));
        assert!(!after_name(Some("January"), "2004"));
        assert!(!after_name(Some("In"), "1969"));
    }
}
