#!/usr/bin/env bash
# Export benchmark in headless Chromium: the 1,198 articles of corpus/bbc-news.jsonl with
# 20 spans each, exported in every format, optimised build. Prints a table (ms per format).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
cargo test --release --target wasm32-unknown-unknown -p marginalia --test export_bench -- --nocapture --include-ignored exports_whole_corpus
