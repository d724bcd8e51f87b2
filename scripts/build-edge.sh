#!/usr/bin/env bash
# Builds latchkey edge (the token handler for Cloudflare Workers / workerd) into
# edge/pkg/: release, size-tuned, wasm-opt -Oz.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_toolchain
step "wasm-pack build edge (release)"
wasm-pack --quiet build edge --release --target web --out-dir pkg --no-typescript --no-pack
rm -f edge/pkg/.gitignore
step_done "edge/pkg/latchkey_edge_bg.wasm: $(stat -c %s edge/pkg/latchkey_edge_bg.wasm) bytes"
