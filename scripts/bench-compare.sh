#!/usr/bin/env bash
# Compares release builds on this machine at the same time: the performance
# benchmark's actions (select a word with the mouse, 1, 2, Delete, Ctrl+Z) on a 1 MB
# article with 10,000 spans, round by round in each build in turn; prints key to paint
# for each (see benches/compare.mjs and docs/PERFORMANCE.md).
#   scripts/bench-compare.sh DIR_A DIR_B [--rounds 100] [--size 1024] [--spans 10000]
# Each DIR is a build made with `trunk build --release --dist DIR` (a path from the
# repository's root, or absolute).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
node benches/compare.mjs "$@"
