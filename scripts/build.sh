#!/usr/bin/env bash
# Builds the widget's wasm builds (release, size-tuned, wasm-opt -Oz), each from the
# same crate with other cargo features: pkg/first/ (what submitting the sign-in form
# the loader draws first needs), pkg/session/ (the session client alone, for a page
# that only calls createClient()), then pkg/ (the whole widget); the language
# tables other than English into pkg/i18n/; the SRI hashes of the files a shop serves
# (pkg/integrity.js, pkg/integrity.json); then latchkey edge into edge/pkg/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_toolchain

# build OUT_DIR [cargo feature flags…]
build() {
  local out=$1; shift
  step "wasm-pack build $out (release${*:+, $*})"
  wasm-pack --quiet build --release --target web --out-dir "$out" --no-typescript --no-pack -- "$@"
  rm -f "$out/.gitignore"
  # wasm-bindgen's module is generated code: shipped minified (about 1.3 KB less brotli).
  esbuild "$out/latchkey.js" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$out/latchkey.js"
  step_done "$out/latchkey_bg.wasm: $(stat -c %s "$out/latchkey_bg.wasm") bytes"
}
build pkg/first --no-default-features --features first
build pkg/session --no-default-features --features session
# Last, so target/ holds the widget's build for `npm run size -- --crates`.
build pkg
step "language tables (pkg/i18n)"
node scripts/languages.mjs
step_done "$(ls pkg/i18n | tr '\n' ' ')"
step "integrity (sha384)"
node scripts/integrity.mjs
step_done
bash "$ROOT/scripts/build-edge.sh"
