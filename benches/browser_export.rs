//! Export benchmark, in the browser (headless Chromium through wasm-bindgen-test): a
//! project of the 1,198 articles of `corpus/bbc-news.jsonl` with 20 spans each,
//! exported in every format. Prints a table of the time per format; it is a benchmark,
//! not a test (the full size is `#[ignore]`d, run by `scripts/bench-exports.sh`; CI runs
//! the small size only to check that it still works).
#![cfg(target_arch = "wasm32")]

use marginalia_core::formats::{plain, DocView, ExportFormat, ExportInput};
use marginalia_core::{segment, Document, LabelId, LabelSet, Origin, Span, SpanId, Timestamp};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CORPUS: &str = include_str!("../corpus/bbc-news.jsonl");
const SPANS_PER_DOC: usize = 20;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The corpus's first `count` articles, each with 20 spans: its sentences in turn as
/// fact, quote and boilerplate, then words, so spans nest and overlap as real work does.
fn project(count: usize) -> Vec<(Document, Vec<Span>)> {
    let import = plain::parse_jsonl("bbc-news.jsonl", CORPUS);
    assert!(import.errors.is_empty());
    let labels = ["fact", "quote", "boilerplate"];
    import
        .docs
        .into_iter()
        .take(count)
        .map(|d| {
            let doc = Document::new(d.name, d.text);
            let mut ranges: Vec<std::ops::Range<usize>> = segment::sentences(&doc)
                .into_iter()
                .take(SPANS_PER_DOC)
                .collect();
            let words: Vec<_> = (0..doc.text().len())
                .step_by(97)
                .filter_map(|at| segment::word_at(&doc, at))
                .collect();
            ranges.extend(
                words
                    .into_iter()
                    .take(SPANS_PER_DOC - ranges.len().min(SPANS_PER_DOC)),
            );
            ranges.truncate(SPANS_PER_DOC);
            let mut spans: Vec<Span> = ranges
                .into_iter()
                .enumerate()
                .map(|(i, r)| Span {
                    id: SpanId(format!("s{}", i + 1)),
                    label: LabelId(labels[i % 3].into()),
                    start: r.start,
                    end: r.end,
                    created: Timestamp(1_795_905_064_120),
                    modified: Timestamp(1_795_905_064_120),
                    origin: Origin::manual(),
                    details: Default::default(),
                })
                .collect();
            spans.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            (doc, spans)
        })
        .collect()
}

fn run(count: usize) {
    let labels = LabelSet::default();
    let docs = project(count);
    let spans: usize = docs.iter().map(|(_, s)| s.len()).sum();
    let input = ExportInput {
        labels: &labels,
        docs: docs
            .iter()
            .map(|(doc, spans)| DocView { doc, spans })
            .collect(),
        now: Timestamp(1_795_905_064_120),
    };
    console_log!(
        "export benchmark: {} documents, {} spans, in the browser",
        docs.len(),
        spans
    );
    console_log!(
        "{:<28} {:>7} {:>12} {:>10}",
        "format",
        "files",
        "bytes",
        "ms"
    );
    for format in ExportFormat::ALL {
        let start = now_ms();
        let files = format.export(&input, "bbc-news");
        let ms = now_ms() - start;
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        console_log!(
            "{:<28} {:>7} {:>12} {:>10.1}",
            format.title(),
            files.len(),
            bytes,
            ms
        );
    }
}

#[wasm_bindgen_test]
fn exports_small_project() {
    run(40);
}

#[wasm_bindgen_test]
#[ignore = "benchmark: run with scripts/bench-exports.sh"]
fn exports_whole_corpus() {
    run(usize::MAX);
}
