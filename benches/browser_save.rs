//! Save benchmark, in the browser (headless Chromium through wasm-bindgen-test): what
//! saving one relabelled span costs in a document of `kb` KB with `spans` spans, the
//! way the app saves (the head and the changed chunk of spans, `DocView::parts` with
//! what is stored) against writing every part (the text and every chunk, as a save did
//! when a document was stored as one record). Prints the time to make the strings, the
//! time from the write's call to its transaction's completion, and the bytes written.
//! A benchmark, not a test: the full size is `#[ignore]`d and run by
//! `scripts/bench-save.sh`; CI runs the small size only to check that it still works.
#![cfg(target_arch = "wasm32")]

use marginalia::browser::db::{Checked, Db};
use marginalia_core::formats::plain;
use marginalia_core::project::{encode_project, encode_summary, DocParts, DocRecord, Project};
use marginalia_core::{segment, Document, LabelId, LabelSet, Origin, Span, SpanId, Timestamp};
use std::ops::Range;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CORPUS: &str = include_str!("../corpus/bbc-news.jsonl");
const RUNS: usize = 15;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The corpus's articles one after another up to `kb` KB, with `spans` spans on
/// words spread evenly, ids `s1` on.
fn record(kb: usize, spans: usize) -> DocRecord {
    let import = plain::parse_jsonl("bbc-news.jsonl", CORPUS);
    let mut text = String::new();
    for d in import.docs.iter().cycle() {
        if text.len() >= kb * 1024 {
            break;
        }
        text.push_str(&d.text);
        text.push_str("\n\n");
    }
    // Words found as the app finds them, at offsets spread over the text.
    let doc = Document::new("Bench", text.as_str());
    let mut words: Vec<Range<usize>> = (0..text.len())
        .step_by((text.len() / (spans * 2)).max(1))
        .filter_map(|at| segment::word_at(&doc, at))
        .collect();
    words.dedup();
    let step = (words.len() / spans).max(1);
    let labels = ["fact", "quote", "boilerplate"];
    let mut rec = DocRecord::new("bench", "doc", "Bench", text, 0, Timestamp(1));
    rec.spans = words
        .iter()
        .step_by(step)
        .take(spans)
        .enumerate()
        .map(|(i, word)| Span {
            id: SpanId(format!("s{}", i + 1)),
            label: LabelId(labels[i % 3].into()),
            start: word.start,
            end: word.end,
            created: Timestamp(1_795_905_064_120),
            modified: Timestamp(1_795_905_064_120),
            origin: Origin::manual(),
            details: Default::default(),
        })
        .collect();
    assert_eq!(rec.spans.len(), spans, "the text has too few words");
    rec.next_span = rec.spans.len() as u64 + 1;
    rec
}

fn bytes(parts: &DocParts) -> usize {
    parts.head.len()
        + parts.text.as_ref().map_or(0, String::len)
        + parts.chunks.iter().map(|(_, c)| c.len()).sum::<usize>()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn run(kb: usize, spans: usize) {
    let db_name = format!("marginalia-save-bench-{}", js_sys::Date::now());
    let db = Db::open_named(&db_name, marginalia::browser::db::DB_VERSION)
        .await
        .unwrap();
    let project = Project::new("bench", "Bench", LabelSet::default(), Timestamp(1));
    let project_json = encode_project(&project);
    let mut stored = record(kb, spans);
    stored.revision = 1;
    db.put_doc(
        "bench",
        "doc",
        stored.view().parts(None),
        &encode_summary(&stored.summary()),
        &project_json,
    )
    .await
    .unwrap();

    let (mut make_whole, mut make_changed, mut write_whole, mut write_changed) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut bytes_whole, mut bytes_changed) = (0, 0);
    for run in 0..RUNS {
        // The user relabels one span (a different one each time).
        let mut next = stored.clone();
        let i = (run * 7919) % next.spans.len();
        next.spans[i].label = LabelId(if run % 2 == 0 { "quote" } else { "fact" }.into());
        next.revision = stored.revision + 1;
        let whole = run % 2 == 1;

        let start = now_ms();
        let parts = next
            .view()
            .parts((!whole).then_some(stored.spans.as_slice()));
        let summary = encode_summary(&next.summary());
        let made = now_ms() - start;
        let size = bytes(&parts);

        let start = now_ms();
        let written = db
            .put_doc_checked(
                "bench",
                "doc",
                (stored.revision, stored.modified),
                parts,
                &summary,
                None,
            )
            .await;
        let wrote = now_ms() - start;
        assert_eq!(written, Ok(Checked::Written));
        if whole {
            make_whole.push(made);
            write_whole.push(wrote);
            bytes_whole = size;
        } else {
            make_changed.push(made);
            write_changed.push(wrote);
            bytes_changed = size;
        }
        stored = next;
    }
    console_log!(
        "save benchmark: {kb} KB, {spans} spans, one span relabelled; median of {} saves each way",
        RUNS / 2
    );
    console_log!(
        "{:<34} {:>12} {:>12} {:>12}",
        "save",
        "make, ms",
        "write, ms",
        "bytes"
    );
    console_log!(
        "{:<34} {:>12.2} {:>12.2} {:>12}",
        "every part (text and all chunks)",
        median(make_whole),
        median(write_whole),
        bytes_whole
    );
    console_log!(
        "{:<34} {:>12.2} {:>12.2} {:>12}",
        "the changed parts (as the app)",
        median(make_changed),
        median(write_changed),
        bytes_changed
    );
    db.close();
    if let Some(factory) = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) {
        let _ = factory.delete_database(&db_name);
    }
}

#[wasm_bindgen_test]
async fn saves_small_document() {
    run(10, 100).await;
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run with scripts/bench-save.sh"]
async fn saves_long_document() {
    run(1024, 10_000).await;
}
