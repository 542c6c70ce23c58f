//! Boilerplate rules: text that is not the article's content. Each suggests whole
//! (trimmed) paragraphs.

use super::patterns::*;
use super::text::{ends_like_sentence, has_phrase, normalised, paragraph_hash, words};
use super::{Context, Found};
use std::collections::HashMap;

/// Lines longer than this are prose, never a caption or a credit.
const SHORT_LINE: usize = 300;

/// Second and later copies of a paragraph that occurs more than once in the document
/// (compared normalised: trimmed, whitespace collapsed, case-folded). The first copy is
/// content (see docs/GUIDELINES.md). A hash hit is confirmed by comparing the two
/// paragraphs, so a collision never suggests anything.
pub(super) fn repeated(ctx: &Context<'_>) -> Vec<Found> {
    let text = ctx.text();
    let mut first: HashMap<u64, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, p) in ctx.paragraphs.iter().enumerate() {
        let para = &text[p.range.clone()];
        let Some(hash) = paragraph_hash(para) else {
            continue;
        };
        match first.get(&hash) {
            Some(&j) => {
                let earlier = &text[ctx.paragraphs[j].range.clone()];
                if normalised(earlier).eq(normalised(para)) {
                    out.push(p.range.clone().into());
                }
            }
            None => {
                first.insert(hash, i);
            }
        }
    }
    out
}

/// Every copy of a paragraph that the project's [`super::repeated_across`] counted in
/// many documents.
pub(super) fn shared(ctx: &Context<'_>) -> Vec<Found> {
    let Some(repeats) = ctx.repeats else {
        return Vec::new();
    };
    let text = ctx.text();
    ctx.paragraphs
        .iter()
        .filter(|p| {
            paragraph_hash(&text[p.range.clone()]).is_some_and(|h| repeats.contains_key(&h))
        })
        .map(|p| p.range.clone().into())
        .collect()
}

/// Cookie and consent banners: a paragraph with a phrase of [`COOKIE_STRONG`], or with
/// the word "cookie(s)" and a word of [`COOKIE_CONTEXT`] (website, browser, consent…).
pub(super) fn cookie(ctx: &Context<'_>) -> Vec<Found> {
    paragraphs_where(ctx, |lower, _| {
        COOKIE_STRONG.iter().any(|p| has_phrase(lower, p))
            || ((has_phrase(lower, "cookie") || has_phrase(lower, "cookies"))
                && COOKIE_CONTEXT.iter().any(|p| has_phrase(lower, p)))
    })
}

/// Subscription, newsletter and copyright notices: a phrase of [`NOTICE_PHRASES`], or
/// a short line that starts with a copyright sign ([`COPYRIGHT_STARTS`]) and has a
/// year or "©" in it.
pub(super) fn notice(ctx: &Context<'_>) -> Vec<Found> {
    paragraphs_where(ctx, |lower, original| {
        if NOTICE_PHRASES.iter().any(|p| has_phrase(lower, p)) {
            return true;
        }
        original.len() <= SHORT_LINE
            && COPYRIGHT_STARTS.iter().any(|s| lower.starts_with(s))
            && (lower.contains('©') || has_year(lower))
    })
}

/// Photo captions and credits, in a short line: one that opens with a caption prefix
/// ([`CAPTION_PREFIXES`]: "Photo:", "Picture by"…), or that names an agency of
/// [`PHOTO_AGENCIES`] as a credit: beside a slash ("Reuters/Maxim Shemetov",
/// "Maxim Shemetov/Reuters"), after "via", in brackets at the end, or after the last
/// comma of a line that does not end like a sentence ("Iranian President Masoud
/// Pezeshkian, Reuters").
pub(super) fn caption(ctx: &Context<'_>) -> Vec<Found> {
    paragraphs_where(ctx, |lower, line| {
        if line.len() > SHORT_LINE {
            return false;
        }
        if CAPTION_PREFIXES.iter().any(|p| lower.starts_with(p)) {
            return true;
        }
        let sentence_like = ends_like_sentence(line);
        let tail = line.rsplit(',').next().unwrap_or(line).trim();
        PHOTO_AGENCIES.iter().any(|a| {
            line.match_indices(a).any(|(i, m)| {
                let before = line[..i].chars().next_back();
                let after = line[i + m.len()..].chars().next();
                if before.is_some_and(char::is_alphanumeric)
                    || after.is_some_and(char::is_alphanumeric)
                {
                    return false;
                }
                let at_end = line[i + m.len()..].trim() == ")" && before == Some('(');
                before == Some('/')
                    || after == Some('/')
                    || line[..i].ends_with("via ")
                    || at_end
                    || (!sentence_like
                        && line.contains(',')
                        && tail.starts_with(a)
                        && tail.len() <= a.len() + 40)
            })
        })
    })
}

/// Editor, reporter and author credits, in a short line: one that opens with a prefix
/// of [`CREDIT_PREFIXES`] ("Editing by", "Reporting by"); a byline ("By Jane Smith",
/// at most six words); or the last line of the document naming its author's role
/// ("Clark Boyd is technology correspondent for The World…": a capitalised name, "is",
/// and a word of [`AUTHOR_ROLES`] among the first ten words, no quotation marks).
pub(super) fn credit(ctx: &Context<'_>) -> Vec<Found> {
    let text = ctx.text();
    let last = ctx.paragraphs.len().saturating_sub(1);
    let mut out = Vec::new();
    for (i, p) in ctx.paragraphs.iter().enumerate() {
        let line = &text[p.range.clone()];
        if line.len() > SHORT_LINE {
            continue;
        }
        let lower = line.to_lowercase();
        let w = words(text, p.range.clone());
        let prefix = CREDIT_PREFIXES.iter().any(|c| {
            lower.starts_with(c) && lower[c.len()..].starts_with(|ch: char| ch.is_whitespace())
        });
        let byline = w.len() <= 6
            && w.len() >= 3
            && w[0].text == "By"
            && w[1..]
                .iter()
                .all(|x| x.capitalised() || x.is_any(NAME_PARTICLES) || x.is("and"));
        let author = i == last
            && i > 0
            && !line.contains(['"', '“', '”'])
            && w.len() >= 4
            && w[0].capitalised()
            && w[1].capitalised()
            && w.iter().take(4).any(|x| x.text == "is")
            && w.iter().take(10).any(|x| x.is_any(AUTHOR_ROLES));
        if prefix || byline || author {
            out.push(p.range.clone().into());
        }
    }
    out
}

/// A lone section name above the headline: the first paragraph, of at most three
/// capitalised words and no sentence punctuation, that is a known section name
/// ([`SECTION_NAMES`]) or is followed by a second headline-like line (no sentence
/// ending, at most 20 words) — two titles in a row, the first a section.
pub(super) fn section(ctx: &Context<'_>) -> Vec<Found> {
    let text = ctx.text();
    let Some(first) = ctx.paragraphs.first() else {
        return Vec::new();
    };
    let line = &text[first.range.clone()];
    let w = words(text, first.range.clone());
    let lone = !w.is_empty()
        && w.len() <= 3
        && line.len() <= 40
        && !ends_like_sentence(line)
        && !line.contains(['"', '“', '”', ','])
        && w.iter()
            .all(|x| x.capitalised() || x.is("and") || x.is("of"));
    if !lone {
        return Vec::new();
    }
    let known = SECTION_NAMES
        .iter()
        .any(|s| line.trim().eq_ignore_ascii_case(s));
    let headline_follows = ctx.paragraphs.get(1).is_some_and(|p| {
        let next = &text[p.range.clone()];
        !ends_like_sentence(next) && words(text, p.range.clone()).len() <= 20
    }) && ctx.paragraphs.len() > 2;
    if known || headline_follows {
        vec![first.range.clone().into()]
    } else {
        Vec::new()
    }
}

/// The paragraphs for which `test(lower_cased, original)` holds.
fn paragraphs_where(ctx: &Context<'_>, test: impl Fn(&str, &str) -> bool) -> Vec<Found> {
    let text = ctx.text();
    ctx.paragraphs
        .iter()
        .filter(|p| {
            let line = &text[p.range.clone()];
            test(&line.to_lowercase(), line)
        })
        .map(|p| p.range.clone().into())
        .collect()
}

/// Whether the text has a four-digit year (1900–2099) as a word.
fn has_year(lower: &str) -> bool {
    lower
        .split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))
}
