//! The suggestion rules as users meet them: the seed article's duplicated paragraphs,
//! cookie text, caption, credits, section name and quotes are found; ordinary articles
//! raise no boilerplate alarm; a banner pasted into several articles is found across
//! them; a megabyte of text is processed in one pass.

use marginalia_core::suggest::{
    paragraph_hash, repeated_across, suggest, suggest_with_corpus, Confidence, Suggestion, RULES,
};
use marginalia_core::Document;
use std::time::Instant;

const SEED: &str = include_str!("../../corpus/seed-article.txt");
const BBC: &str = include_str!("../../corpus/bbc-news.jsonl");

fn bbc() -> Vec<Document> {
    BBC.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Document::with_id(
                v["id"].as_str().unwrap(),
                v["id"].as_str().unwrap(),
                v["text"].as_str().unwrap(),
            )
        })
        .collect()
}

fn article(id: &str) -> Document {
    bbc().into_iter().find(|d| d.id() == id).expect(id)
}

fn texts<'a>(doc: &'a Document, found: &[Suggestion], label: &str) -> Vec<(&'static str, &'a str)> {
    found
        .iter()
        .filter(|s| s.label.as_str() == label)
        .map(|s| (s.rule, &doc.text()[s.range()]))
        .collect()
}

#[test]
fn the_seed_articles_boilerplate_is_found() {
    let doc = Document::new("seed", SEED);
    let found = suggest(&doc);
    let boiler = texts(&doc, &found, "boilerplate");
    let visit = "A visit to Russia by Iranian President Masoud Pezeshkian is being prepared, but there is no clarity yet on when it will take place, Kremlin spokesman Dmitry Peskov said on Tuesday.";
    let trump = "US President Donald Trump said on Friday that the United States would intervene if Iranian authorities violently crack down on peaceful protesters.";
    assert_eq!(
        boiler,
        [
            ("boilerplate.section", "Iran"),
            (
                "boilerplate.caption",
                "Iranian President Masoud Pezeshkian, Reuters/Maxim Shemetov"
            ),
            ("boilerplate.repeated", visit),
            ("boilerplate.credit", "Editing by Andrew Osborn"),
            ("boilerplate.repeated", trump),
            (
                "boilerplate.cookie",
                "To make this website run properly and to improve your experience, we use cookies. For more detailed information, please check our Cookie Policy."
            ),
            (
                "boilerplate.cookie",
                "Necessary cookies enable core functionality. The website cannot function properly without these cookies, and can only be disabled by changing your browser preferences."
            ),
        ]
    );
    // The first copies of the duplicated paragraphs are content, and stay facts.
    let first_visit = SEED.find(visit).unwrap();
    let second_visit = SEED.rfind(visit).unwrap();
    assert!(first_visit < second_visit);
    assert!(found
        .iter()
        .any(|s| s.label.as_str() == "fact" && s.start == first_visit));
    assert!(!found
        .iter()
        .any(|s| s.label.as_str() == "fact" && s.start == second_visit));
}

#[test]
fn the_seed_articles_quotes_are_found_and_scare_quotes_are_not() {
    let doc = Document::new("seed", SEED);
    let found = suggest(&doc);
    let quotes: Vec<(&str, Option<&str>)> = found
        .iter()
        .filter(|s| s.label.as_str() == "quote")
        .map(|s| {
            (
                &SEED[s.range()],
                s.speaker.as_ref().map(|r| &SEED[r.clone()]),
            )
        })
        .collect();
    assert_eq!(
        quotes,
        [
            (
                "\"Such a visit is being prepared, preparations are underway,\"",
                Some("Peskov")
            ),
            (
                "\"in the near future\"",
                Some("Foreign Minister Sergei Lavrov")
            ),
        ]
    );
    // `a similar "comprehensive" treaty` has no-one saying it: a scare quote.
    assert!(!quotes.iter().any(|(q, _)| q.contains("comprehensive")));
    // The speaker of the first quote is the "Peskov" right after it.
    let q = found.iter().find(|s| s.label.as_str() == "quote").unwrap();
    assert_eq!(q.speaker.clone().unwrap().start, q.end + 1);
}

#[test]
fn facts_are_low_confidence_and_everything_else_high() {
    let doc = Document::new("seed", SEED);
    for s in suggest(&doc) {
        let want = if s.label.as_str() == "fact" {
            Confidence::Low
        } else {
            Confidence::High
        };
        assert_eq!(s.confidence, want, "{}", s.rule);
    }
}

#[test]
fn suggestions_are_trimmed_ordered_deterministic_and_never_overlap_within_a_label() {
    for doc in bbc().iter().take(300).chain([&Document::new("seed", SEED)]) {
        let found = suggest(doc);
        assert_eq!(found, suggest(doc), "deterministic");
        let text = doc.text();
        for s in &found {
            assert!(s.start < s.end);
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            let slice = &text[s.range()];
            assert_eq!(slice.trim(), slice, "{}: trimmed", s.rule);
            assert!(slice.chars().any(|c| !c.is_whitespace()));
            assert!(RULES
                .iter()
                .any(|r| r.name == s.rule && r.label == s.label.as_str()));
            if let Some(sp) = &s.speaker {
                assert!(text.is_char_boundary(sp.start) && text.is_char_boundary(sp.end));
                assert!(sp.start < sp.end);
            }
        }
        for w in found.windows(2) {
            assert!(
                (w[0].start, std::cmp::Reverse(w[0].end))
                    <= (w[1].start, std::cmp::Reverse(w[1].end))
            );
        }
        for label in ["fact", "quote", "boilerplate"] {
            let mine: Vec<_> = found.iter().filter(|s| s.label.as_str() == label).collect();
            for w in mine.windows(2) {
                assert!(w[0].end <= w[1].start, "{label} overlap in {}", doc.id());
            }
        }
        // No fact or quote inside boilerplate.
        for b in found.iter().filter(|s| s.label.as_str() == "boilerplate") {
            assert!(!found
                .iter()
                .any(|s| s.label.as_str() != "boilerplate" && s.start < b.end && b.start < s.end));
        }
    }
}

/// Ordinary news prose raises no boilerplate alarm: across all 1,198 BBC articles the
/// only boilerplate suggestions are the closing author lines ("Bill Thompson is a
/// regular commentator…"), which are boilerplate by the guidelines. Articles about
/// cookies (Oreo), copyright law, subscribers or newsletters, and stories quoting
/// Reuters, are left alone.
#[test]
fn ordinary_articles_raise_no_boilerplate_alarm() {
    let mut credits = 0;
    for doc in bbc() {
        let found = suggest(&doc);
        for s in found.iter().filter(|s| s.label.as_str() == "boilerplate") {
            let line = &doc.text()[s.range()];
            assert_eq!(s.rule, "boilerplate.credit", "{}: {line:?}", doc.id());
            assert!(
                line.contains(" is ") && doc.text().trim_end().ends_with(line),
                "{}: {line:?}",
                doc.id()
            );
            credits += 1;
        }
    }
    assert_eq!(
        credits, 16,
        "the author lines of the BBC technology columns"
    );
    for id in [
        "business/kraft-cuts-snack-ads-for-children",
        "entertainment/beastie-boys-win-sampling-battle",
        "business/wembley-firm-won-t-make-a-profit",
        "business/madagascar-completes-currency-switch",
        "business/fbi-agent-colludes-with-analyst",
    ] {
        let doc = article(id);
        assert!(
            texts(&doc, &suggest(&doc), "boilerplate").is_empty(),
            "{id}"
        );
    }
}

#[test]
fn a_banner_pasted_into_five_articles_is_found_across_them() {
    let banner =
        "Sign up for our Business Daily briefing: the day's top stories, straight to your inbox.";
    let ids = [
        "business/1m-payoff-for-former-shell-boss",
        "entertainment/baywatch-dubbed-worst-tv-import",
        "tech/ibm-puts-cash-behind-linux-push",
        "tech/junk-e-mails-on-relentless-rise",
        "entertainment/byrds-producer-melcher-dies-at-62",
    ];
    let corpus = bbc();
    let mut docs: Vec<Document> = corpus.iter().take(40).cloned().collect();
    for (i, id) in ids.iter().enumerate() {
        let doc = corpus.iter().find(|d| d.id() == *id).unwrap();
        // Pasted in different places, with different spacing and case.
        let pasted = if i % 2 == 0 {
            format!("{}\n\n{banner}\n", doc.text())
        } else {
            format!(
                "  {}  \n{}",
                banner.to_uppercase().replace(' ', "  "),
                doc.text()
            )
        };
        docs.push(Document::new(*id, pasted));
    }
    let refs: Vec<&Document> = docs.iter().collect();
    let repeats = repeated_across(&refs, 5);
    let hash = paragraph_hash(banner).unwrap();
    assert_eq!(repeats.get(&hash), Some(&5));
    // Nothing of the ordinary articles recurs five times.
    assert_eq!(repeats.len(), 1, "{repeats:?}");
    for doc in &docs[40..] {
        let found = suggest_with_corpus(doc, &repeats);
        let boiler: Vec<_> = found
            .iter()
            .filter(|s| s.label.as_str() == "boilerplate")
            .collect();
        assert_eq!(boiler.len(), 1, "{}", doc.id());
        // The notice rule also knows this banner; the shared rule comes first.
        assert_eq!(boiler[0].rule, "boilerplate.shared");
        let line = doc.text()[boiler[0].range()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(line.to_lowercase().contains("business daily briefing"));
    }
    // Without the project's repeats, the shared rule says nothing.
    let plain = suggest(&docs[40]);
    assert!(!plain.iter().any(|s| s.rule == "boilerplate.shared"));
    // A paragraph in fewer documents than asked is not a repeat.
    assert!(repeated_across(&refs, 6).is_empty());
}

/// One megabyte of text, built by repeating BBC articles (so that every later copy of
/// a paragraph is `boilerplate.repeated`), is processed in one pass. The time is
/// printed, not asserted; quadratic behaviour would show as minutes, not milliseconds.
#[test]
fn a_megabyte_is_processed_in_linear_time() {
    let corpus = bbc();
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 1_000_000 {
        text.push_str(corpus[i % 60].text());
        text.push('\n');
        i += 1;
    }
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let half = text[..cut].to_owned();
    let big = Document::new("big", text.clone());
    let small = Document::new("half", half);
    let t = Instant::now();
    let found_small = suggest(&small);
    let small_time = t.elapsed();
    let t = Instant::now();
    let found = suggest(&big);
    let big_time = t.elapsed();
    println!(
        "suggest: {} bytes in {:?} ({} suggestions); {} bytes in {:?} ({} suggestions)",
        small.text().len(),
        small_time,
        found_small.len(),
        big.text().len(),
        big_time,
        found.len()
    );
    assert!(found.iter().any(|s| s.rule == "boilerplate.repeated"));
    assert!(found.len() > found_small.len());
}

/// Worst cases for the quote and fact rules: one endless sentence full of quotations
/// and attribution verbs, and one endless run of capitalised words. Both are read in
/// one pass (the time is printed, not asserted).
#[test]
fn pathological_lines_stay_linear() {
    let quotes = "\"Yes,\" said Ann Lee, saying \"no\" and \"maybe\" to 3 people, ".repeat(4000);
    let names = "Alpha Beta Gamma said ".repeat(10_000);
    for (what, text) in [("quotes", quotes), ("names", names)] {
        let doc = Document::new(what, text);
        let t = Instant::now();
        let found = suggest(&doc);
        println!(
            "{what}: {} bytes in one line, {} suggestions, {:?}",
            doc.text().len(),
            found.len(),
            t.elapsed()
        );
    }
}

/// What the app counts across a project, on a real corpus: in the 1,198 BBC articles
/// the only paragraphs found in 3 or more of them are the columnists' author notes
/// (boilerplate indeed), and nothing of the news prose.
#[test]
fn across_the_bbc_corpus_only_author_notes_repeat() {
    use marginalia_core::suggest::RepeatCounter;
    let docs = bbc();
    let mut counter = RepeatCounter::default();
    for d in &docs {
        counter.add(d.text());
    }
    let repeats = counter.finish(3);
    let mut found: Vec<(usize, String)> = Vec::new();
    for d in &docs {
        for s in suggest_with_corpus(d, &repeats) {
            if s.rule == "boilerplate.shared" {
                let text = d.text()[s.range()].to_owned();
                if !found.iter().any(|(_, t)| *t == text) {
                    found.push((repeats[&paragraph_hash(&text).unwrap()], text));
                }
            }
        }
    }
    found.sort();
    assert_eq!(
        found,
        [
            (3, "Clark Boyd is technology correspondent for The World, a BBC World Service and WGBH-Boston co-production".to_owned()),
            (4, "Clark Boyd is technology correspondent for The World, a BBC World Service and WGBH-Boston co-production.".to_owned()),
            (7, "Bill Thompson is a regular commentator on the BBC World Service programme Go Digital.".to_owned()),
        ]
    );
}
