#!/usr/bin/env bash
# Save benchmark in headless Chromium: one relabelled span saved in a 1 MB document with
# 10,000 spans, the changed parts (as the app saves) against every part, optimised build.
# Prints a table (ms to make the strings, ms to write, bytes written).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
cargo test --release --target wasm32-unknown-unknown -p marginalia --test save_bench -- --nocapture --include-ignored saves_long_document
