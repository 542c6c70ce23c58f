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

pub use quote::{Kind as QuoteKind, Quotation};
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
    let mut counter = RepeatCounter::default();
    for doc in docs {
        counter.add(doc.text());
    }
    counter.finish(min_docs)
}

/// Counts paragraphs across documents one text at a time, for a project read document
/// by document ([`repeated_across`] for documents in hand).
///
/// ```
/// use marginalia_core::suggest::{paragraph_hash, RepeatCounter};
/// let banner = "We use cookies to improve your experience on our website.";
/// let mut counter = RepeatCounter::default();
/// for story in ["Markets fell.", "Rates rose.", "Oil slid."] {
///     counter.add(&format!("{story}\n{banner}"));
/// }
/// let repeats = counter.finish(3);
/// assert_eq!(repeats.get(&paragraph_hash(banner).unwrap()), Some(&3));
/// assert_eq!(repeats.len(), 1);
/// ```
#[derive(Debug, Default)]
pub struct RepeatCounter {
    counts: Repeats,
    seen: HashSet<u64>,
}

impl RepeatCounter {
    /// Counts the paragraphs of one document.
    pub fn add(&mut self, text: &str) {
        self.seen.clear();
        for p in crate::document::paragraph_ranges(text) {
            if let Some(hash) = paragraph_hash(&text[p]) {
                if self.seen.insert(hash) {
                    *self.counts.entry(hash).or_insert(0) += 1;
                }
            }
        }
    }

    /// The paragraphs found in at least `min_docs` documents (at least 2).
    pub fn finish(mut self, min_docs: usize) -> Repeats {
        self.counts.retain(|_, n| *n >= min_docs.max(2));
        self.counts
    }
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
    crate::sort::sort_by(&mut found, |a, b| {
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
    crate::sort::sort_by(&mut out, |a, b| {
        (a.start, std::cmp::Reverse(a.end), &a.label, a.rule).cmp(&(
            b.start,
            std::cmp::Reverse(b.end),
            &b.label,
            b.rule,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (rule, text) of every suggestion.
    fn found(text: &str) -> Vec<(&'static str, String)> {
        let doc = Document::new("t", text);
        suggest(&doc)
            .into_iter()
            .map(|s| (s.rule, doc.text()[s.range()].to_owned()))
            .collect()
    }

    fn of(text: &str, rule: &str) -> Vec<String> {
        found(text)
            .into_iter()
            .filter(|(r, _)| *r == rule)
            .map(|(_, t)| t)
            .collect()
    }

    const PROSE: &str = "Shares in the firm rose on Monday after it said profits would grow.\n\
        The chief executive, who joined in April, told investors the outlook was good.\n\
        Analysts were cautious about the company's plans for the year ahead.";

    #[test]
    fn rules_are_listed_once_with_known_labels() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        for r in RULES {
            assert!(
                ["fact", "quote", "boilerplate"].contains(&r.label),
                "{}",
                r.name
            );
            assert!(r.name.starts_with(r.label), "{}", r.name);
            assert!(!r.cost.is_empty() && !r.description.is_empty());
        }
        assert!(rule("quote.quoted").is_some() && rule("nope").is_none());
    }

    #[test]
    fn ordinary_prose_gives_no_boilerplate_and_no_quotes() {
        let all = found(PROSE);
        assert!(all.iter().all(|(r, _)| r.starts_with("fact.")), "{all:?}");
        assert!(found("").is_empty());
        assert!(found(" \n\t\n  ").is_empty());
    }

    #[test]
    fn repeated_paragraphs_after_the_first_copy() {
        let text =
            "One paragraph here.\nAnother one.\n  one   PARAGRAPH here. \nOne paragraph here.";
        assert_eq!(
            of(text, "boilerplate.repeated"),
            ["one   PARAGRAPH here.", "One paragraph here."]
        );
        assert!(of(PROSE, "boilerplate.repeated").is_empty());
        // Blank or wordless lines are never repeats.
        assert!(of("--\n\n--\n\n", "boilerplate.repeated").is_empty());
    }

    #[test]
    fn shared_paragraphs_every_copy() {
        let banner = "Follow us on social media for more.";
        let docs: Vec<Document> = (0..3)
            .map(|i| Document::new("d", format!("Story {i} is told here.\n{banner}")))
            .collect();
        let refs: Vec<&Document> = docs.iter().collect();
        let repeats = repeated_across(&refs, 3);
        assert_eq!(repeats.len(), 1);
        let s = suggest_with_corpus(&docs[0], &repeats);
        assert_eq!(s.len(), 1);
        assert_eq!(
            (s[0].rule, &docs[0].text()[s[0].range()]),
            ("boilerplate.shared", banner)
        );
        // `min_docs` below 2 means 2: one document alone repeats nothing.
        assert!(repeated_across(&refs[..1], 0).is_empty());
    }

    #[test]
    fn cookie_banners_but_not_cookies() {
        let text = "We use cookies to improve your experience on our site.\n\
            By continuing to browse you agree to this.\n\
            Kraft will stop advertising Oreo cookies to children under 12.";
        assert_eq!(
            of(text, "boilerplate.cookie"),
            [
                "We use cookies to improve your experience on our site.",
                "By continuing to browse you agree to this."
            ]
        );
    }

    #[test]
    fn notices_but_not_stories_about_copyright_or_subscribers() {
        let text = "© 2024 Example News Ltd. All rights reserved.\n\
            Copyright 2023 Example Media\n\
            Subscribe to our newsletter for the latest headlines.\n\
            Mr Newton said his copyright had been infringed in 1992.\n\
            The firm now has 2.5 million subscribers and a weekly newsletter.";
        assert_eq!(
            of(text, "boilerplate.notice"),
            [
                "© 2024 Example News Ltd. All rights reserved.",
                "Copyright 2023 Example Media",
                "Subscribe to our newsletter for the latest headlines."
            ]
        );
    }

    #[test]
    fn captions_and_photo_credits_but_not_agencies_in_prose() {
        let text = "Iranian President Masoud Pezeshkian, Reuters/Maxim Shemetov\n\
            Photo: Jane Doe\n\
            Rescue workers at the scene (AFP)\n\
            Fans queue outside the stadium. Photograph via Getty Images\n\
            Simon Wheatley, from Goldman Sachs, told Reuters.\n\
            Reuters quoted a central bank official as saying the switch was complete.";
        assert_eq!(
            of(text, "boilerplate.caption"),
            [
                "Iranian President Masoud Pezeshkian, Reuters/Maxim Shemetov",
                "Photo: Jane Doe",
                "Rescue workers at the scene (AFP)",
                "Fans queue outside the stadium. Photograph via Getty Images"
            ]
        );
    }

    #[test]
    fn credits_bylines_and_author_lines() {
        let text = "By Jane Smith\n\
            The talks ended on Friday without a deal, officials said.\n\
            Edited highlights of the speech were broadcast later.\n\
            Reporting by Tom Jones; Editing by Andrew Osborn\n\
            Mr Newton is a critically acclaimed jazz flutist and composer.\n\
            Bill Thompson is a regular commentator on the BBC World Service programme Go Digital.";
        assert_eq!(
            of(text, "boilerplate.credit"),
            [
                "By Jane Smith",
                "Reporting by Tom Jones; Editing by Andrew Osborn",
                "Bill Thompson is a regular commentator on the BBC World Service programme Go Digital."
            ]
        );
        // An author line is only a credit at the end.
        let middle = "Jane Smith is the editor of the paper.\nShe said sales rose 5%.";
        assert!(of(middle, "boilerplate.credit").is_empty());
    }

    #[test]
    fn a_section_name_above_a_headline_but_not_a_short_headline() {
        let text = "Iran\nTrump's warning draws sharp response\nThe body starts here.";
        assert_eq!(of(text, "boilerplate.section"), ["Iran"]);
        assert_eq!(
            of("Business\n\nRates rise.\nMore.", "boilerplate.section"),
            ["Business"]
        );
        // A BBC headline followed by its body: no section.
        assert!(of(
            "Boeing wins order\n\nBoeing has won an order.\nMore.",
            "boilerplate.section"
        )
        .is_empty());
        assert!(of("Halo 2\n\nThe game sold well.", "boilerplate.section").is_empty());
    }

    #[test]
    fn quoted_words_with_an_attribution_and_their_speaker() {
        let text = "“We are ready,” said Duncan Ingram, BT's director.\n\
            The firm's \"comprehensive\" plan has a so-called \"magic circle\".\n\
            Mr Frost added: \"the outlook remains uncertain.\"";
        let doc = Document::new("t", text);
        let s: Vec<(&str, &str, Option<&str>)> = suggest(&doc)
            .iter()
            .filter(|s| s.label.as_str() == "quote")
            .map(|s| {
                (
                    s.rule,
                    &text[s.range()],
                    s.speaker.clone().map(|r| &text[r]),
                )
            })
            .collect();
        assert_eq!(
            s,
            [
                ("quote.quoted", "“We are ready,”", Some("Duncan Ingram")),
                (
                    "quote.quoted",
                    "\"the outlook remains uncertain.\"",
                    Some("Frost")
                ),
            ]
        );
    }

    #[test]
    fn continued_quotes_over_sentences_and_paragraphs() {
        let text = "Brent Bozell, the group's president, said: \"MTV is selling sex to kids.\n\
            \"Its shows are aimed at children.\n\
            \"There's no question about it.\" The group then left.\n\
            \"Unrelated words\" open this line.";
        let doc = Document::new("t", text);
        let s: Vec<(&str, &str, Option<&str>)> = suggest(&doc)
            .iter()
            .filter(|s| s.label.as_str() == "quote")
            .map(|s| {
                (
                    s.rule,
                    &text[s.range()],
                    s.speaker.clone().map(|r| &text[r]),
                )
            })
            .collect();
        assert_eq!(
            s,
            [
                (
                    "quote.quoted",
                    "\"MTV is selling sex to kids.",
                    Some("Brent Bozell")
                ),
                (
                    "quote.continued",
                    "\"Its shows are aimed at children.",
                    Some("Brent Bozell")
                ),
                (
                    "quote.continued",
                    "\"There's no question about it.\"",
                    Some("Brent Bozell")
                ),
            ]
        );
    }

    #[test]
    fn pronoun_speakers_resolve_to_the_last_named_speaker() {
        let text = "Rachel Harvey, the BBC's correspondent, told the programme prices would rise. \
            \"It will be a shock,\" she said.";
        let doc = Document::new("t", text);
        let q = suggest(&doc)
            .into_iter()
            .find(|s| s.label.as_str() == "quote")
            .unwrap();
        assert_eq!(&text[q.speaker.unwrap()], "Rachel Harvey");
    }

    #[test]
    fn facts_state_figures_but_names_codes_questions_and_headlines_do_not() {
        let text = "Boeing sells 50 planes\n\
            Boeing will supply up to 50 of its 7E7 planes for $6bn (£3.1bn). \
            The 7E7 and the A350 compete. Half-Life 2 is a game. \
            Profits fell 33% in 2004. The deal was signed on Tuesday. \
            What would happen with six of them? Sales doubled last year. \
            Two-thirds of staff agreed. Nobody knows why.";
        assert_eq!(
            of(text, "fact.figure"),
            [
                "Boeing will supply up to 50 of its 7E7 planes for $6bn (£3.1bn).",
                "Profits fell 33% in 2004.",
                "The deal was signed on Tuesday.",
                "Sales doubled last year.",
                "Two-thirds of staff agreed."
            ]
        );
        // A sentence that is mostly a quotation is a quote, not a fact.
        let quote = "\"We sold 2m units in the first three months of the year,\" he said.";
        assert!(of(quote, "fact.figure").is_empty());
    }

    #[test]
    fn overlapping_suggestions_of_one_label_merge_under_the_first_rule() {
        let banner = "We use cookies. See our cookie policy.";
        let text = format!("{banner}\nA story of 5 lines.\n{banner}");
        let all = found(&text);
        assert_eq!(
            all,
            [
                ("boilerplate.cookie", banner.to_owned()),
                ("fact.figure", "A story of 5 lines.".to_owned()),
                ("boilerplate.repeated", banner.to_owned()),
            ]
        );
    }
}
