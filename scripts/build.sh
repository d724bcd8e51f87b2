#!/usr/bin/env bash
# Builds the widget into pkg/ (release, size-tuned, wasm-opt -Oz), the language
# tables other than English into pkg/i18n/, the SRI hashes of the files a shop serves (pkg/integrity.js, pkg/integrity.json), then latchkey edge
# into edge/pkg/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_toolchain
step "wasm-pack build (release)"
wasm-pack --quiet build --release --target web --out-dir pkg --no-typescript --no-pack
rm -f pkg/.gitignore
step_done "pkg/latchkey_bg.wasm: $(stat -c %s pkg/latchkey_bg.wasm) bytes"
step "language tables (pkg/i18n)"
node scripts/languages.mjs
step_done "$(ls pkg/i18n | tr '\n' ' ')"
step "integrity (sha384)"
node scripts/integrity.mjs
step_done
bash "$ROOT/scripts/build-edge.sh"
