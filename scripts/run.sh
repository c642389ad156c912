#!/usr/bin/env bash
# Installs what is missing, builds in release mode and serves on http://127.0.0.1:3000.
# Arguments go to `passport serve` (see `target/release/passport serve --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec target/release/passport serve "$@"
