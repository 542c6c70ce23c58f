#!/usr/bin/env bash
# Performance benchmark in headless Chromium on the release build: articles of 10 KB,
# 100 KB and 1 MB with 100, 1,000 and 10,000 spans; prints open, scroll, key-to-paint,
# memory and export figures and the shipped size (see docs/PERFORMANCE.md).
# Options go to benches/perf.mjs, e.g. --sizes 1024 --spans 10000 --actions 200.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
trunk build --release --offline
node benches/perf.mjs "$@"
