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
wasm=$(ls dist/*.wasm)
js=$(ls dist/marginalia-*.js)
printf 'wasm: %s bytes (%s gzip); js: %s bytes (%s gzip)\n' \
  "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)" "$(wc -c <"$js")" "$(gzip -9c "$js" | wc -c)"

step "end-to-end tests in headless Chromium (Playwright)"
node --test --test-concurrency=1 e2e/

step "projects benchmark, small size (checks that it still runs; its figures are not checked)"
node benches/projects.mjs --docs 500

step "performance benchmark, small size (checks that it still runs; its figures are not checked)"
node benches/perf.mjs --sizes 10 --spans 100 --actions 5

step "comparison of builds, small size (the build against itself: checks that it still runs)"
node benches/compare.mjs dist/ dist/ --rounds 2 --size 10 --spans 100

printf '\nall checks passed in %ss\n' "$((SECONDS - started))"
