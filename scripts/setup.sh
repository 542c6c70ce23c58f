#!/usr/bin/env bash
# Installs what building and testing Marginalia needs, skipping what is already there at
# the right version. Safe to run again. See ../shared/TOOLCHAIN.md for why each piece
# comes from where it does (no downloads from GitHub here: crates.io, npm and apt only).
#
#   scripts/setup.sh            everything (build and test)
#   scripts/setup.sh --serve    only what serving the app needs (no browser)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
CHROMIUM_TESTED=156   # the Chromium major version the tests were written against

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding $component"
    rustup component add "$component"
  fi
done

if ! has_version trunk "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 20 minutes on 2 cores, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! has_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  # No --locked: the registry mirror lacks one of its locked dependencies.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# wasm-opt (binaryen) and playwright-core, pinned in package.json / package-lock.json.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools (binaryen, playwright-core)"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" != "--serve" ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing chromium and chromium-driver from apt"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium chromium-driver
  fi
  major=$(/usr/bin/chromium --version | grep -oE '[0-9]+' | head -1)
  if [ "$major" != "$CHROMIUM_TESTED" ]; then
    say "note: Chromium $major found; the tests were written against $CHROMIUM_TESTED"
  fi
fi
say "ready"
