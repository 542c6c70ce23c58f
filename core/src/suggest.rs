//! Suggestions: spans the core proposes for the user to accept or reject, found by
//! simple, explainable rules.
//!
//! Every rule is listed once in [`RULES`] with its name (`"boilerplate.caption"`), the
//! label it suggests, its confidence, and the function that finds its spans. Every word
//! list the rules use lives in [`patterns`]. `docs/SUGGESTIONS.md` describes each rule,
//! its cost and its measured precision and recall.
//!
//! ## Cost
//!
//! A document is read once into a [`Context`]: its non-empty paragraphs, their
//! sentences (UAX #29, linear per paragraph), and its quotations with their
//! attributions (one pass over the quotation marks, one over the words of each
//! sentence). Every rule then reads each paragraph or sentence a bounded number of
//! times, so the whole cost is linear in the text (plus `O(q log q)` to sort and merge
//! `q` suggestions). No rule compares a paragraph with every other one: repeats are
//! found through a hash map.
//!
//! ## Overlaps
//!
//! The rules' spans are gathered, sorted by start, and then:
//!
//! 1. Suggestions of the **same label** that overlap are merged into one covering their
//!    union. It keeps the rule, confidence and speaker of the rule listed first in
//!    [`RULES`] among them (so a duplicated cookie banner is `boilerplate.repeated`).
//! 2. A `quote` or `fact` suggestion that overlaps a `boilerplate` suggestion is
//!    dropped: text that is not the article's content holds no facts or quotes.
//!
//! Quotes may lie inside facts: different labels are never merged.

mod boilerplate;
mod fact;
pub mod patterns;
mod quote;
mod text;

use crate::segment::sentences_in;
use crate::{Document, LabelId};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

pub use text::paragraph_hash;

/// How sure a rule is. Facts are suggested with [`Confidence::Low`]: whether a
/// sentence's figure is a checkable claim needs a reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    High,
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Low => "low",
        }
    }
}

/// A span the core proposes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Suggestion {
    /// The rule that found it (`"quote.quoted"`); an accepted span records it as
    /// `suggestion:<rule>`.
    pub rule: &'static str,
    /// `fact`, `quote` or `boilerplate`.
    pub label: LabelId,
    /// UTF-8 byte offsets, on character boundaries, with no whitespace at either end.
    pub start: usize,
    pub end: usize,
    pub confidence: Confidence,
    /// For quotes: where the speaker's name (or "the firm", "a spokesman") is in the
    /// text, when it was found.
    pub speaker: Option<Range<usize>>,
}

impl Suggestion {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Paragraph hashes (see [`paragraph_hash`]) and the number of documents each occurs
/// in, as [`repeated_across`] counts them.
pub type Repeats = HashMap<u64, usize>;

/// A span a rule found, before the engine names its rule and label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub speaker: Option<Range<usize>>,
}

impl From<Range<usize>> for Found {
    fn from(range: Range<usize>) -> Self {
        Found {
            range,
            speaker: None,
        }
    }
}

/// A suggestion rule.
pub struct Rule {
    /// `family.name`: the family (`boilerplate`, `quote`, `fact`) is reported apart
    /// in the quality figures.
    pub name: &'static str,
    /// The id of the label it suggests.
    pub label: &'static str,
    pub confidence: Confidence,
    /// What it finds, for people.
    pub description: &'static str,
    /// Its cost in the length of the text `n`.
    pub cost: &'static str,
    pub find: fn(&Context<'_>) -> Vec<Found>,
}

/// Every rule, in order of precedence (see the module notes on overlaps).
pub const RULES: &[Rule] = &[
    Rule {
        name: "boilerplate.repeated",
        label: "boilerplate",
        confidence: Confidence::High,
        description: "second and later copies of a paragraph repeated in the document",
        cost: "O(n): one hash per paragraph, a hash-map look-up, one comparison on a hit",
        find: boilerplate::repeated,
    },
    Rule {
        name: "boilerplate.shared",
        label: "boilerplate",
        confidence: Confidence::High,
        description: "every copy of a paragraph found in many of the project's documents",
        cost: "O(n): one hash per paragraph and a look-up in the project's repeats",
        find: boilerplate::shared,
    },
    Rule {
        name: "boilerplate.cookie",
        label: "boilerplate",
        confidence: Confidence::High,
        description: "cookie and consent banners",
        cost: "O(n · p): each paragraph lower-cased once and searched for p fixed phrases",
        find: boilerplate::cookie,
    },
    Rule {
        name: "boilerplate.notice",
        label: "boilerplate",
        confidence: Confidence::High,
        description: "subscription, newsletter and copyright notices, \"all rights reserved\"",
        cost: "O(n · p): each paragraph lower-cased once and searched for p fixed phrases",
        find: boilerplate::notice,
    },
    Rule {
        name: "boilerplate.caption",
        label: "boilerplate",
        confidence: Confidence::High,
        description: "photo captions and credits (\"…, Reuters/Maxim Shemetov\", \"Photo: AP\")",
        cost: "O(n · p): short paragraphs only, each searched for p agency names and prefixes",
        find: boilerplate::caption,
    },
    Rule {
        name: "boilerplate.credit",
        label: "boilerplate",
        confidence: Confidence::High,
        description:
            "editor, reporter and author credits (\"Editing by …\", a closing author line)",
        cost: "O(n · p): short paragraphs only, each tested against p prefixes",
        find: boilerplate::credit,
    },
    Rule {
        name: "boilerplate.section",
        label: "boilerplate",
        confidence: Confidence::High,
        description: "a lone section name above the headline",
        cost: "O(1): the first two paragraphs only",
        find: boilerplate::section,
    },
    Rule {
        name: "quote.quoted",
        label: "quote",
        confidence: Confidence::High,
        description: "words between quotation marks with an attribution in their sentence",
        cost: "O(n): one pass over the quotation marks, one over each sentence's words",
        find: quote::quoted,
    },
    Rule {
        name: "quote.continued",
        label: "quote",
        confidence: Confidence::High,
        description: "a quotation that opens a sentence right after a quoted sentence",
        cost: "O(n): reads the quotations found for quote.quoted",
        find: quote::continued,
    },
    Rule {
        name: "fact.figure",
        label: "fact",
        confidence: Confidence::Low,
        description: "sentences stating a number, percentage, amount, rank or date",
        cost: "O(n): one pass over each sentence's words",
        find: fact::figure,
    },
];

/// A paragraph of the document: its trimmed range and its sentences.
#[derive(Clone, Debug)]
pub struct Paragraph {
    pub range: Range<usize>,
    /// Indices into [`Context::sentences`].
    pub sentences: Range<usize>,
}

/// What the rules read: the document cut into paragraphs, sentences and quotations
/// once, in linear time.
pub struct Context<'a> {
    pub doc: &'a Document,
    /// Non-empty paragraphs (lines), trimmed, in order.
    pub paragraphs: Vec<Paragraph>,
    /// All sentences, in order, as byte ranges.
    pub sentences: Vec<Range<usize>>,
    /// Every stretch between quotation marks, attributed or not.
    pub quotes: Vec<quote::Quotation>,
    /// Paragraphs repeated across the project, if known.
    pub repeats: Option<&'a Repeats>,
}

impl<'a> Context<'a> {
    pub fn new(doc: &'a Document, repeats: Option<&'a Repeats>) -> Self {
        let text = doc.text();
        let mut paragraphs = Vec::new();
        let mut sentences = Vec::new();
        for p in doc.paragraphs() {
            let Some(range) = doc.trim(p.clone()) else {
                continue;
            };
            let first = sentences.len();
            sentences.extend(sentences_in(text, range.clone()));
            paragraphs.push(Paragraph {
                range,
                sentences: first..sentences.len(),
            });
        }
        let quotes = quote::analyse(text, &paragraphs, &sentences);
        Context {
            doc,
            paragraphs,
            sentences,
            quotes,
            repeats,
        }
    }

    pub fn text(&self) -> &'a str {
        self.doc.text()
    }
}

/// The suggestions for one document, in document order (by start, the longer first,
/// then by label and rule): the same document always gives the same list.
pub fn suggest(doc: &Document) -> Vec<Suggestion> {
    run(&Context::new(doc, None))
}

/// [`suggest`], plus every paragraph of `doc` that [`repeated_across`] found in many
/// of the project's documents, as `boilerplate.shared`.
pub fn suggest_with_corpus(doc: &Document, repeats: &Repeats) -> Vec<Suggestion> {
    run(&Context::new(doc, Some(repeats)))
}

/// The paragraphs that occur in at least `min_docs` of `docs` (at least 2), as their
/// [`paragraph_hash`] and the number of documents that have them. A paragraph counts
/// once per document however often it occurs there. Cost: linear in the total text.
pub fn repeated_across(docs: &[&Document], min_docs: usize) -> Repeats {
    let mut counts: Repeats = HashMap::new();
    let mut seen = HashSet::new();
    for doc in docs {
        seen.clear();
        for p in doc.paragraphs() {
            if let Some(hash) = paragraph_hash(&doc.text()[p.clone()]) {
                if seen.insert(hash) {
                    *counts.entry(hash).or_insert(0) += 1;
                }
            }
        }
    }
    counts.retain(|_, n| *n >= min_docs.max(2));
    counts
}

/// The rule named `name`.
pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

fn run(ctx: &Context<'_>) -> Vec<Suggestion> {
    let text = ctx.text();
    // (start, end, rule index, speaker)
    let mut found: Vec<(usize, usize, usize, Option<Range<usize>>)> = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        for f in (rule.find)(ctx) {
            // Trim, and never suggest whitespace or a range off character boundaries.
            let Some(range) = ctx.doc.trim(f.range.clone()) else {
                continue;
            };
            debug_assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
            found.push((range.start, range.end, i, f.speaker));
        }
    }
    found.sort_by(|a, b| {
        (a.0, std::cmp::Reverse(a.1), a.2).cmp(&(b.0, std::cmp::Reverse(b.1), b.2))
    });

    // 1. Merge overlapping suggestions of one label (sorted by start, so the last kept
    //    one of a label is the only one a new one can overlap).
    let mut merged: Vec<(usize, usize, usize, Option<Range<usize>>)> =
        Vec::with_capacity(found.len());
    let mut last_of_label: HashMap<&str, usize> = HashMap::new();
    for (start, end, i, speaker) in found {
        let label = RULES[i].label;
        if let Some(&k) = last_of_label.get(label) {
            let kept = &mut merged[k];
            if start < kept.1 {
                kept.1 = kept.1.max(end);
                if i < kept.2 {
                    kept.2 = i;
                    kept.3 = speaker;
                }
                continue;
            }
        }
        last_of_label.insert(label, merged.len());
        merged.push((start, end, i, speaker));
    }

    // 2. Drop quotes and facts that overlap boilerplate (both lists are sorted by start).
    let boiler: Vec<Range<usize>> = merged
        .iter()
        .filter(|m| RULES[m.2].label == "boilerplate")
        .map(|m| m.0..m.1)
        .collect();
    let overlaps_boilerplate = |start: usize, end: usize| {
        let i = boiler.partition_point(|b| b.end <= start);
        boiler.get(i).is_some_and(|b| b.start < end)
    };
    let mut out: Vec<Suggestion> = merged
        .into_iter()
        .filter(|m| RULES[m.2].label == "boilerplate" || !overlaps_boilerplate(m.0, m.1))
        .map(|(start, end, i, speaker)| Suggestion {
            rule: RULES[i].name,
            label: LabelId(RULES[i].label.to_owned()),
            start,
            end,
            confidence: RULES[i].confidence,
            speaker,
        })
        .collect();
    out.sort_by(|a, b| {
        (a.start, std::cmp::Reverse(a.end), &a.label, a.rule).cmp(&(
            b.start,
            std::cmp::Reverse(b.end),
            &b.label,
            b.rule,
        ))
    });
    out
}
