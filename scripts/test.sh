#!/usr/bin/env bash
# Runs every check and test: formatting, clippy on both targets, the core's native tests,
# the storage tests in headless Chromium, the release build, and the end-to-end tests
# against it. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
started=$SECONDS

step "format"
cargo fmt --all -- --check

step "clippy (native and wasm32)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p marginalia --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown -p marginalia-core --lib -- -D warnings

step "core unit and property tests (native)"
cargo test --workspace

step "storage tests (localStorage, IndexedDB) and the export benchmarks small size, in headless Chromium (wasm-bindgen-test)"
cargo test --target wasm32-unknown-unknown -p marginalia --test web --test db --test export_bench --test save_bench

step "release build (trunk, wasm-opt)"
trunk build --release --offline

# The size guard: the shipped wasm and JS, gzip, may not grow past this budget unnoticed.
# It is this feature set's size (528,945 B on 2026-11-29) and 2 % for toolchain drift,
# not issue 6's target of 300 KB, which needs a team decision (docs/PERFORMANCE.md, "Size").
# Raise it only in a commit that says what the bytes bought.
step "shipped size, against its budget"
node benches/size.mjs dist/ --budget 540000

step "end-to-end tests in headless Chromium (Playwright)"
node --test --test-concurrency=1 e2e/

step "projects benchmark, small size (checks that it still runs; its figures are not checked)"
node benches/projects.mjs --docs 500

step "performance benchmark, small size (checks that it still runs; its figures are not checked)"
node benches/perf.mjs --sizes 10 --spans 100 --actions 5

step "comparison of builds, small size (the build against itself: checks that it still runs)"
node benches/compare.mjs dist/ dist/ --rounds 2 --size 10 --spans 100

printf '\nall checks passed in %ss\n' "$((SECONDS - started))"
