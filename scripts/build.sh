#!/usr/bin/env bash
# Builds the server and the islands' WASM in release mode, into target/release and target/site.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# cargo-leptos would download wasm-opt and wasm-bindgen if they were not on PATH; they are.
cargo leptos build --release
