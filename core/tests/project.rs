//! Projects as their users meet them: the foundation's saved work opening as a project,
//! a corpus of articles imported and listed from summaries alone, two tabs saving the
//! same document, and backups that restore exactly.

mod common;

use common::*;
use marginalia_core::formats::plain;
use marginalia_core::persist;
use marginalia_core::project::*;
use marginalia_core::{Editor, LabelId, LabelSet, Timestamp};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

/// What the foundation release saved in localStorage (`marginalia.workspace`) for
/// unicode-edge.txt with spans after emoji, across CRLFs, nested and overlapping. Kept
/// as a file, so it stays what the foundation wrote whatever `persist` becomes.
const FOUNDATION_SAVE: &str = include_str!("golden/foundation/marginalia.workspace.json");

const BBC: &str = include_str!("../../corpus/bbc-news.jsonl");

/// The fixture is frozen: it is what the foundation release (0.1.0, before label
/// descriptions and span origins) wrote, and this release still reads it as it is.
#[test]
fn the_fixture_is_foundation_data_that_this_release_reads() {
    assert!(FOUNDATION_SAVE.contains("\"app_version\":\"0.1.0\""));
    assert!(!FOUNDATION_SAVE.contains("description") && !FOUNDATION_SAVE.contains("origin"));
    let restored = persist::decode(FOUNDATION_SAVE).unwrap();
    assert!(restored.set_aside.is_empty());
    assert_eq!(restored.editor.spans(), edge().spans());
}

#[test]
fn the_foundations_saved_work_opens_as_a_project_with_nothing_missing() {
    let later = Timestamp(NOW.0 + 86_400_000);
    let (project, doc, set_aside) = migrate_foundation(FOUNDATION_SAVE, "p-mine", later).unwrap();
    assert_eq!(set_aside, Vec::<String>::new());
    assert_eq!(project.name, "My articles");
    assert_eq!(project.id, "p-mine");
    assert_eq!(doc.project, "p-mine");
    assert_eq!(doc.status, DocStatus::InProgress);

    // Compared as JSON with what the foundation saved: the document's id, name and
    // text, every label, every span with all of its fields, the span counter.
    let saved: Value = serde_json::from_str(FOUNDATION_SAVE).unwrap();
    let stored_doc: Value = serde_json::from_str(&encode_doc(&doc)).unwrap();
    let stored_project: Value = serde_json::from_str(&encode_project(&project)).unwrap();
    for key in ["id", "name", "text"] {
        assert_eq!(stored_doc[key], saved["document"][key], "{key}");
    }
    assert_eq!(stored_doc["text"].as_str(), Some(EDGE));
    // Every label as it was; the default labels gain their guideline descriptions.
    let mut labels = stored_project["labels"].clone();
    for label in labels.as_array_mut().unwrap() {
        let description = label.as_object_mut().unwrap().remove("description");
        assert!(description.is_some_and(|d| !d.as_str().unwrap().is_empty()));
    }
    assert_eq!(labels, saved["labels"]);
    assert_eq!(stored_doc["spans"], saved["spans"]);
    assert_eq!(saved["spans"].as_array().unwrap().len(), 8);
    assert_eq!(stored_doc["next_span"], saved["next_span"]);
    assert_eq!(stored_doc["modified"], saved["saved_at"]);
    let first_span = edge().spans().iter().map(|s| s.created).min().unwrap();
    assert_eq!(doc.created, first_span);
    assert_eq!(project.modified, later);

    // Stored and read back, it opens in the editor as the foundation had it.
    let (doc, set_aside) = decode_doc(&encode_doc(&doc)).unwrap();
    assert!(set_aside.is_empty());
    let project = decode_project(&encode_project(&project)).unwrap();
    let (mut ed, set_aside) = doc.clone().into_editor(project.labels.clone());
    assert!(set_aside.is_empty());
    let before = edge();
    assert_eq!(ed.document(), before.document());
    assert_eq!(ed.spans(), before.spans());
    assert_eq!(ed.labels(), before.labels());
    assert_eq!(span_tuples(&ed), span_tuples(&before));
    // New work goes on with fresh ids.
    let id = ed.tag(&LabelId("fact".into()), 0..6, later).unwrap();
    assert_eq!(id.as_str(), "s9");
    let summary = DocRecord::from_editor(&ed, &doc, later).summary();
    assert_eq!(
        summary.counts,
        BTreeMap::from([
            ("boilerplate".to_owned(), 3),
            ("fact".to_owned(), 4),
            ("quote".to_owned(), 2)
        ])
    );
}

/// The BBC corpus imported into a project, as the app would: unique ids, import order.
fn bbc_project() -> (Project, Vec<DocRecord>) {
    let project = Project::new("p-bbc", "BBC news", LabelSet::default(), NOW);
    let import = plain::parse_jsonl("bbc-news.jsonl", BBC);
    assert_eq!(import.errors, []);
    let mut ids = HashSet::new();
    let mut docs = Vec::new();
    for (order, imported) in import.docs.into_iter().enumerate() {
        let wanted = imported.id.clone().unwrap_or_default();
        let id = unique_id(&wanted, |id| ids.contains(id));
        ids.insert(id.clone());
        let (doc, _) = DocRecord::from_import(&project, imported, id, order as u64, NOW);
        docs.push(doc);
    }
    (project, docs)
}

#[test]
fn a_corpus_opens_from_small_summaries() {
    let (_, mut docs) = bbc_project();
    assert_eq!(docs.len(), 1198);
    // Some work on a few documents.
    for (i, doc) in docs.iter_mut().enumerate().take(40) {
        let base = doc.clone();
        let (mut ed, _) = base.clone().into_editor(LabelSet::default());
        let end = doc.text.find(' ').unwrap();
        ed.tag(&LabelId("fact".into()), 0..end, NOW).unwrap();
        *doc = DocRecord::from_editor(&ed, &base, NOW);
        if i % 2 == 0 {
            doc.set_status(DocStatus::Done, NOW);
        }
    }
    let stored_docs: Vec<String> = docs.iter().map(encode_doc).collect();
    let stored_summaries: Vec<String> = docs.iter().map(|d| encode_summary(&d.summary())).collect();
    let doc_bytes: usize = stored_docs.iter().map(String::len).sum();
    let summary_bytes: usize = stored_summaries.iter().map(String::len).sum();
    // Opening reads the summaries only: a small fraction of the project.
    assert!(
        summary_bytes * 10 < doc_bytes,
        "{summary_bytes} of {doc_bytes}"
    );
    assert!(summary_bytes / docs.len() < 300);
    let summaries: Vec<DocSummary> = stored_summaries
        .iter()
        .map(|s| decode_summary(s).unwrap())
        .collect();
    assert_eq!(progress(&summaries), (20, 1198));
    // The first unfinished document is the second imported (the first is done).
    assert_eq!(next_unfinished(&summaries, None), Some(docs[1].id.as_str()));
    // Filter by title, open the first match by its id.
    let q = Query {
        title: "SHELL".into(),
        ..Query::default()
    };
    let hits = query(&summaries, &q);
    assert!(!hits.is_empty());
    let wanted = &summaries[hits[0]].id;
    let raw = &stored_docs[docs.iter().position(|d| &d.id == wanted).unwrap()];
    let (doc, set_aside) = decode_doc(raw).unwrap();
    assert!(set_aside.is_empty());
    assert!(text_matches(&doc.name, "shell"));
    // Every stored document reads back exactly.
    for (raw, doc) in stored_docs.iter().zip(&docs) {
        assert_eq!(&decode_doc(raw).unwrap().0, doc);
    }
}

#[test]
fn full_text_search_agrees_with_lower_casing_on_english_text() {
    let (_, docs) = bbc_project();
    for needle in [
        "Reuters",
        "PRIME MINISTER",
        "£",
        "chief executive",
        "zzzz",
        "e",
    ] {
        let matcher = TextMatcher::new(needle);
        let lower = needle.to_lowercase();
        for doc in &docs {
            assert_eq!(
                matcher.matches(&doc.text),
                doc.text.to_lowercase().contains(&lower),
                "{needle:?} in {}",
                doc.id
            );
        }
    }
}

/// 20,000 documents: the summaries read and every list built quickly, even in a debug
/// build on a busy machine (the bounds are generous; the times are printed).
#[test]
fn twenty_thousand_documents_list_quickly() {
    let (_, docs) = bbc_project();
    let base: Vec<DocSummary> = docs.iter().map(DocRecord::summary).collect();
    let statuses = DocStatus::ALL;
    let summaries: Vec<DocSummary> = (0..20_000u64)
        .map(|i| {
            let mut s = base[i as usize % base.len()].clone();
            s.id = format!("d{i}");
            s.order = i;
            s.status = statuses[(i % 7 % 4) as usize];
            s.modified = Timestamp(NOW.0 - (i as i64 * 7919) % 1_000_000);
            s.counts.insert("fact".into(), (i % 13) as u32);
            s
        })
        .collect();
    let stored: Vec<String> = summaries.iter().map(encode_summary).collect();
    let total: usize = stored.iter().map(String::len).sum();
    let started = Instant::now();
    let read: Vec<DocSummary> = stored.iter().map(|s| decode_summary(s).unwrap()).collect();
    let decode_time = started.elapsed();
    assert_eq!(read, summaries);
    println!(
        "20,000 summaries: {} KB, read in {decode_time:?}",
        total / 1024
    );
    assert!(total < 6_000_000);

    for sort in [
        Sort::Order,
        Sort::Title,
        Sort::Status,
        Sort::Modified,
        Sort::Spans,
    ] {
        for descending in [false, true] {
            for (status, title) in [(None, ""), (Some(DocStatus::New), ""), (None, "oil")] {
                let q = Query {
                    status,
                    title: title.into(),
                    sort,
                    descending,
                };
                let started = Instant::now();
                let list = query(&read, &q);
                let took = started.elapsed();
                println!("{q:?}: {} in {took:?}", list.len());
                assert!(took.as_secs_f64() < 2.0, "{q:?} took {took:?}");
                // Each list holds exactly the matching documents, each once.
                let expected = read
                    .iter()
                    .filter(|s| status.is_none_or(|st| s.status == st))
                    .filter(|s| text_matches(&s.title, title))
                    .count();
                assert_eq!(list.len(), expected);
                assert_eq!(list.iter().collect::<HashSet<_>>().len(), list.len());
            }
        }
    }
    let started = Instant::now();
    let (done, total) = progress(&read);
    let next = next_unfinished(&read, Some(19_999));
    println!("progress and next unfinished in {:?}", started.elapsed());
    assert_eq!(total, 20_000);
    assert!(done > 0 && done < total);
    assert!(next.is_some());
}

/// IndexedDB as the browser module keeps it: stored strings under `[project, doc]`
/// keys, written by the rule of `check_write` in one transaction.
#[derive(Default)]
struct Store {
    projects: HashMap<String, String>,
    docs: HashMap<(String, String), String>,
    summaries: HashMap<(String, String), String>,
}

impl Store {
    /// Saves `doc` (with the revision its tab loaded) and its summary, and touches the
    /// stored project: the write of one transaction. Returns the revision written, or
    /// the conflict (and writes nothing).
    fn save(&mut self, doc: &DocRecord, now: Timestamp) -> Result<u64, Write> {
        let key = (doc.project.clone(), doc.id.clone());
        let stored = self
            .summaries
            .get(&key)
            .map(|raw| decode_summary(raw).unwrap().revision);
        let write = check_write(doc.revision, stored);
        let revision = write.next_revision(doc.revision).ok_or(write)?;
        let written = DocRecord {
            revision,
            ..doc.clone()
        };
        self.docs.insert(key.clone(), encode_doc(&written));
        self.summaries
            .insert(key, encode_summary(&written.summary()));
        let mut project = decode_project(&self.projects[&doc.project]).unwrap();
        project.modified = project.modified.max(now);
        self.projects
            .insert(project.id.clone(), encode_project(&project));
        Ok(revision)
    }

    fn open(&self, project: &str, id: &str) -> DocRecord {
        let raw = &self.docs[&(project.to_owned(), id.to_owned())];
        decode_doc(raw).unwrap().0
    }

    fn summaries(&self, project: &str) -> Vec<DocSummary> {
        let mut list: Vec<DocSummary> = self
            .summaries
            .iter()
            .filter(|((p, _), _)| p == project)
            .map(|(_, raw)| decode_summary(raw).unwrap())
            .collect();
        list.sort_by_key(|s| s.order);
        list
    }
}

/// A tab: the record it loaded (its base) and the editor on it.
struct Tab {
    base: DocRecord,
    editor: Editor,
}

impl Tab {
    fn open(store: &Store, id: &str) -> Tab {
        let base = store.open("p", id);
        let (editor, _) = base.clone().into_editor(LabelSet::default());
        Tab { base, editor }
    }

    fn tag(&mut self, label: &str, quote: &str) {
        let start = self.editor.document().text().find(quote).unwrap();
        self.editor
            .tag(&LabelId(label.into()), start..start + quote.len(), NOW)
            .unwrap();
    }

    fn save(&mut self, store: &mut Store) -> Result<(), Write> {
        let doc = DocRecord::from_editor(&self.editor, &self.base, NOW);
        let revision = store.save(&doc, NOW)?;
        // Only a committed write moves the base.
        self.base = DocRecord { revision, ..doc };
        Ok(())
    }
}

fn store_with_one_article() -> Store {
    let mut store = Store::default();
    let project = Project::new("p", "Corpus", LabelSet::default(), Timestamp(0));
    store.projects.insert("p".into(), encode_project(&project));
    let doc = DocRecord::new(
        "p",
        "d1",
        "Talks",
        "Officials said talks would resume.",
        0,
        Timestamp(0),
    );
    assert_eq!(store.save(&doc, Timestamp(0)), Ok(1));
    store
}

#[test]
fn a_second_tab_never_overwrites_the_first() {
    let mut store = store_with_one_article();
    let mut a = Tab::open(&store, "d1");
    let mut b = Tab::open(&store, "d1");
    a.tag("fact", "Officials said");
    a.save(&mut store).unwrap();
    b.tag("quote", "talks would resume");
    let stored_before = store.docs.clone();
    assert_eq!(b.save(&mut store), Err(Write::Conflict { stored: 2 }));
    // Nothing was written: A's work is what is stored.
    assert_eq!(store.docs, stored_before);
    let stored = store.open("p", "d1");
    assert_eq!(stored.spans.len(), 1);
    assert_eq!(stored.status, DocStatus::InProgress);

    // "Open the other tab's version": B now shows A's work and can go on from it.
    let mut b = Tab::open(&store, "d1");
    assert_eq!(b.editor.spans(), a.editor.spans());
    b.tag("quote", "talks would resume");
    b.save(&mut store).unwrap();
    // Now A is the one behind.
    a.tag("boilerplate", "resume.");
    assert_eq!(a.save(&mut store), Err(Write::Conflict { stored: 3 }));
}

#[test]
fn keep_mine_replaces_the_other_version_after_asking() {
    let mut store = store_with_one_article();
    let mut a = Tab::open(&store, "d1");
    let mut b = Tab::open(&store, "d1");
    a.tag("fact", "Officials said");
    a.save(&mut store).unwrap();
    b.tag("quote", "talks would resume");
    let Err(Write::Conflict { stored }) = b.save(&mut store) else {
        panic!("expected a conflict");
    };
    // "Keep mine": B takes the stored revision as its base and saves again.
    b.base.revision = stored;
    b.save(&mut store).unwrap();
    let now_stored = store.open("p", "d1");
    assert_eq!(now_stored.revision, stored + 1);
    assert_eq!(now_stored.spans, b.editor.spans());
    assert_eq!(store.summaries("p")[0].revision, stored + 1);
}

#[test]
fn keep_both_saves_mine_as_a_copy() {
    let mut store = store_with_one_article();
    let mut a = Tab::open(&store, "d1");
    let mut b = Tab::open(&store, "d1");
    a.tag("fact", "Officials said");
    a.save(&mut store).unwrap();
    b.tag("quote", "talks would resume");
    assert!(b.save(&mut store).is_err());
    // "Keep both": B's version becomes a new document after the others.
    let summaries = store.summaries("p");
    let mine = DocRecord::from_editor(&b.editor, &b.base, NOW);
    let taken: HashSet<&str> = summaries.iter().map(|s| s.id.as_str()).collect();
    let copy = mine.as_copy(
        unique_id("d1", |id| taken.contains(id)),
        next_order(&summaries),
        NOW,
    );
    assert_eq!(store.save(&copy, NOW), Ok(1));
    let list = store.summaries("p");
    let titles: Vec<&str> = list.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Talks", "Talks (copy)"]);
    assert_eq!(store.open("p", "d1").spans, a.editor.spans());
    assert_eq!(store.open("p", &list[1].id).spans, b.editor.spans());
    // Both documents count as in progress, and the project was touched.
    assert!(list.iter().all(|s| s.status == DocStatus::InProgress));
    assert_eq!(decode_project(&store.projects["p"]).unwrap().modified, NOW);
}

fn project_of(editors: &[Editor], statuses: &[DocStatus]) -> (Project, Vec<DocRecord>) {
    let project = Project::new("p-7", "Random", LabelSet::default(), NOW);
    let docs = editors
        .iter()
        .enumerate()
        .map(|(i, ed)| {
            let base = DocRecord::new("p-7", format!("d{i}"), "random", "", i as u64, NOW);
            let mut doc = DocRecord::from_editor(ed, &base, Timestamp(NOW.0 + i as i64));
            doc.status = statuses[i % statuses.len()];
            doc.revision = i as u64 * 3;
            doc.meta = (i % 2 == 0).then(|| serde_json::json!({"n": i, "src": "🇮🇷"}));
            doc
        })
        .collect();
    (project, docs)
}

proptest! {
    #[test]
    fn a_backup_of_random_documents_restores_exactly(
        editors in proptest::collection::vec(arb_editor(), 0..5),
        statuses in proptest::collection::vec(
            proptest::sample::select(DocStatus::ALL.to_vec()), 1..4),
    ) {
        let (project, docs) = project_of(&editors, &statuses);
        let file = export_backup(&project, &docs);
        let (p, d) = parse_backup("backup.jsonl", &file).unwrap();
        prop_assert_eq!(&p, &project);
        prop_assert_eq!(&d, &docs);
        // Each restored document opens in the editor as it was.
        for (doc, ed) in d.into_iter().zip(&editors) {
            let (opened, set_aside) = doc.into_editor(p.labels.clone());
            prop_assert!(set_aside.is_empty());
            prop_assert_eq!(opened.document().text(), ed.document().text());
            prop_assert_eq!(opened.spans(), ed.spans());
            prop_assert_eq!(span_tuples(&opened), span_tuples(ed));
        }
    }

    #[test]
    fn stored_records_of_random_documents_read_back_exactly(ed in arb_editor()) {
        let (_, docs) = project_of(std::slice::from_ref(&ed), &[DocStatus::InProgress]);
        let doc = &docs[0];
        let (back, set_aside) = decode_doc(&encode_doc(doc)).unwrap();
        prop_assert!(set_aside.is_empty());
        prop_assert_eq!(&back, doc);
        prop_assert_eq!(decode_summary(&encode_summary(&doc.summary())).unwrap(), doc.summary());
        prop_assert_eq!(doc.summary().chars, ed.document().len().code_points as u64);
    }
}
