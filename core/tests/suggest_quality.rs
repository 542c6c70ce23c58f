//! Measured quality of the suggestion rules against hand-annotated gold data
//! (`core/tests/gold/gold.jsonl`, annotated by `docs/GUIDELINES.md` before the rules
//! were written).
//!
//! Matching: a suggestion matches a gold span of the same label when their overlap is
//! at least half of their union (intersection over union ≥ 0.5). Matching is one to
//! one: suggestions are taken in document order, and each takes the unmatched gold
//! span it overlaps most. Precision is matched suggestions over suggestions; recall is
//! matched gold spans over gold spans. A rule's precision counts its own suggestions;
//! its recall share is the gold spans of its label that it matched. Speaker accuracy
//! counts matched quotes whose gold speaker is known: the suggested speaker must
//! overlap the gold one.
//!
//! Run with `cargo test -p marginalia-core --test suggest_quality -- --nocapture` to
//! see the table. Each figure must stay at or above the floor below (the figure this
//! version reached, floored to two decimals).

use marginalia_core::suggest::{suggest, Suggestion, RULES};
use marginalia_core::{Document, Unit};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;

const GOLD: &str = include_str!("gold/gold.jsonl");
const SEED: &str = include_str!("../../corpus/seed-article.txt");
const BBC: &str = include_str!("../../corpus/bbc-news.jsonl");

/// (label, precision floor, recall floor)
const LABEL_FLOORS: &[(&str, f64, f64)] = &[
    ("boilerplate", 1.00, 1.00),
    ("quote", 1.00, 0.97),
    ("fact", 0.96, 0.98),
];

/// (rule, precision floor, floor of its share of its label's gold). The gold set has
/// no cross-document repeats and no subscription or copyright notice, so
/// `boilerplate.shared` and `boilerplate.notice` are measured by their own tests
/// (suggest_rules.rs), not here.
const RULE_FLOORS: &[(&str, f64, f64)] = &[
    ("boilerplate.repeated", 1.00, 0.25),
    ("boilerplate.cookie", 1.00, 0.25),
    ("boilerplate.caption", 1.00, 0.12),
    ("boilerplate.credit", 1.00, 0.25),
    ("boilerplate.section", 1.00, 0.12),
    ("quote.quoted", 1.00, 0.75),
    ("quote.continued", 1.00, 0.22),
    ("fact.figure", 0.96, 0.98),
];

const SPEAKER_FLOOR: f64 = 0.88;

#[derive(Deserialize)]
struct GoldDoc {
    id: String,
    text: String,
    spans: Vec<GoldSpan>,
}

#[derive(Deserialize)]
struct GoldSpan {
    start: usize,
    end: usize,
    label: String,
    text: String,
    speaker_start: Option<usize>,
    speaker_end: Option<usize>,
    speaker: Option<String>,
}

fn gold() -> Vec<GoldDoc> {
    GOLD.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("gold line"))
        .collect()
}

/// Code-point offsets to UTF-8 byte offsets.
fn bytes(doc: &Document, cp: usize) -> usize {
    doc.locate(Unit::CodePoint, cp)
        .expect("offset in text")
        .utf8
}

struct Gold {
    label: String,
    range: Range<usize>,
    speaker: Option<Range<usize>>,
}

fn gold_in_bytes(g: &GoldDoc, doc: &Document) -> Vec<Gold> {
    g.spans
        .iter()
        .map(|s| Gold {
            label: s.label.clone(),
            range: bytes(doc, s.start)..bytes(doc, s.end),
            speaker: s
                .speaker_start
                .zip(s.speaker_end)
                .map(|(a, b)| bytes(doc, a)..bytes(doc, b)),
        })
        .collect()
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

fn iou(a: &Range<usize>, b: &Range<usize>) -> f64 {
    let inter = overlap(a, b);
    let union = a.end.max(b.end) - a.start.min(b.start);
    inter as f64 / union as f64
}

#[derive(Default, Clone, Copy)]
struct Tally {
    suggested: usize,
    matched_suggestions: usize,
    gold: usize,
    matched_gold: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        if self.suggested == 0 {
            1.0
        } else {
            self.matched_suggestions as f64 / self.suggested as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.matched_gold as f64 / self.gold as f64
        }
    }
}

struct Report {
    labels: BTreeMap<String, Tally>,
    rules: BTreeMap<&'static str, Tally>,
    speakers_known: usize,
    speakers_right: usize,
    misses: Vec<String>,
}

fn evaluate() -> Report {
    let mut report = Report {
        labels: BTreeMap::new(),
        rules: BTreeMap::new(),
        speakers_known: 0,
        speakers_right: 0,
        misses: Vec::new(),
    };
    for rule in RULES {
        report.rules.insert(rule.name, Tally::default());
    }
    for g in gold() {
        let doc = Document::new(&g.id, g.text.clone());
        let golds = gold_in_bytes(&g, &doc);
        let suggestions: Vec<Suggestion> = suggest(&doc);
        let mut taken = vec![false; golds.len()];
        for s in &golds {
            report.labels.entry(s.label.clone()).or_default().gold += 1;
        }
        for s in &suggestions {
            let label = s.label.as_str().to_owned();
            let best = golds
                .iter()
                .enumerate()
                .filter(|(i, x)| !taken[*i] && x.label == label)
                .map(|(i, x)| (i, iou(&x.range, &s.range())))
                .filter(|(_, v)| *v >= 0.5)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            let t = report.labels.entry(label.clone()).or_default();
            t.suggested += 1;
            let r = report.rules.get_mut(s.rule).expect("rule in RULES");
            r.suggested += 1;
            match best {
                Some((i, _)) => {
                    taken[i] = true;
                    t.matched_suggestions += 1;
                    t.matched_gold += 1;
                    r.matched_suggestions += 1;
                    r.matched_gold += 1;
                    if let Some(gs) = &golds[i].speaker {
                        report.speakers_known += 1;
                        if s.speaker.as_ref().is_some_and(|ss| overlap(ss, gs) > 0) {
                            report.speakers_right += 1;
                        } else {
                            report.misses.push(format!(
                                "{}: speaker of {:?}: want {:?}, got {:?}",
                                g.id,
                                &doc.text()[s.range()],
                                &doc.text()[gs.clone()],
                                s.speaker.as_ref().map(|r| &doc.text()[r.clone()])
                            ));
                        }
                    }
                }
                None => report.misses.push(format!(
                    "{}: false {} ({}): {:?}",
                    g.id,
                    label,
                    s.rule,
                    &doc.text()[s.range()]
                )),
            }
        }
        for (i, x) in golds.iter().enumerate() {
            if !taken[i] {
                report.misses.push(format!(
                    "{}: missed {}: {:?}",
                    g.id,
                    x.label,
                    &doc.text()[x.range.clone()]
                ));
            }
        }
    }
    for rule in RULES {
        let gold = report.labels.get(rule.label).map_or(0, |t| t.gold);
        if let Some(r) = report.rules.get_mut(rule.name) {
            r.gold = gold;
        }
    }
    report
}

fn print(report: &Report) {
    println!();
    println!("| label | suggested | gold | matched | precision | recall |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (label, t) in &report.labels {
        println!(
            "| {label} | {} | {} | {} | {:.3} | {:.3} |",
            t.suggested,
            t.gold,
            t.matched_gold,
            t.precision(),
            t.recall()
        );
    }
    println!();
    println!("| rule | suggested | matched | precision | share of its label's gold |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for rule in RULES {
        let t = report.rules[rule.name];
        println!(
            "| {} | {} | {} | {:.3} | {:.3} |",
            rule.name,
            t.suggested,
            t.matched_suggestions,
            t.precision(),
            t.recall()
        );
    }
    println!();
    println!(
        "speaker accuracy: {}/{} = {:.3}",
        report.speakers_right,
        report.speakers_known,
        report.speakers_right as f64 / report.speakers_known.max(1) as f64
    );
    if std::env::var_os("SUGGEST_MISSES").is_some() {
        for m in &report.misses {
            println!("{m}");
        }
    }
}

#[test]
fn precision_and_recall_stay_above_their_floors() {
    let report = evaluate();
    print(&report);
    for &(label, p, r) in LABEL_FLOORS {
        let t = report.labels[label];
        assert!(
            t.precision() >= p,
            "{label} precision {:.3} < {p}",
            t.precision()
        );
        assert!(t.recall() >= r, "{label} recall {:.3} < {r}", t.recall());
    }
    for &(rule, p, r) in RULE_FLOORS {
        let t = report.rules[rule];
        assert!(
            t.precision() >= p,
            "{rule} precision {:.3} < {p}",
            t.precision()
        );
        assert!(t.recall() >= r, "{rule} share {:.3} < {r}", t.recall());
    }
    let speakers = report.speakers_right as f64 / report.speakers_known.max(1) as f64;
    assert!(
        speakers >= SPEAKER_FLOOR,
        "speaker accuracy {speakers:.3} < {SPEAKER_FLOOR}"
    );
}

/// Every gold span's offsets (code points) slice its recorded text, and every gold
/// document is the corpus text it names.
#[test]
fn gold_spans_slice_their_text() {
    let corpus: BTreeMap<String, String> = BBC
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_owned(),
                v["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let docs = gold();
    assert!(
        docs.len() >= 21,
        "the seed article and at least 20 BBC articles"
    );
    for g in &docs {
        let source = if g.id == "seed-article" {
            SEED
        } else {
            &corpus[&g.id]
        };
        assert_eq!(g.text, source, "{} is not the corpus text", g.id);
        let chars: Vec<char> = g.text.chars().collect();
        for s in &g.spans {
            let sliced: String = chars[s.start..s.end].iter().collect();
            assert_eq!(sliced, s.text, "{} {}..{}", g.id, s.start, s.end);
            assert_eq!(sliced.trim(), sliced, "{}: span not trimmed", g.id);
            assert!(["fact", "quote", "boilerplate"].contains(&s.label.as_str()));
            if let (Some(a), Some(b), Some(name)) = (s.speaker_start, s.speaker_end, &s.speaker) {
                let who: String = chars[a..b].iter().collect();
                assert_eq!(&who, name, "{} speaker", g.id);
            }
        }
    }
    let bbc = docs.iter().filter(|d| d.id != "seed-article").count();
    assert!(bbc >= 20);
}
