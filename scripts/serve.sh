#!/usr/bin/env bash
# Builds the release app and serves it at http://127.0.0.1:8080/ with the sample article
# ready to annotate. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --serve
. scripts/env.sh
cargo fetch
# --offline: Trunk must use the pinned tools setup.sh installed, never download its own.
exec trunk serve --release --offline "$@"
