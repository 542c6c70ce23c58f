#!/usr/bin/env bash
# Projects benchmark in headless Chromium on the release build: imports the 1,198 BBC
# articles and a generated project of 20,000 (or --docs N), reloads it, and prints the
# import times, the longest stall of the page, the open time and the memory.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
trunk build --release --offline
node benches/projects.mjs "$@"
