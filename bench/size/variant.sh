#!/usr/bin/env bash
# Builds the widget from a source tree the way `npm run build` does (cargo release →
# wasm-bindgen → wasm-opt) into OUT, keeping the unoptimised, named wasm beside it
# for twiggy, and prints raw / gzip -9 / brotli 11 of the optimised wasm and JS glue.
#   bench/size/variant.sh SRC_DIR OUT_DIR [wasm-opt flags, default -Oz]
# CARGO_TARGET_DIR defaults to the worktree's target/, so dependencies are reused. Cargo
# tells the two workspace crates of different source trees apart by file times only, so
# their artifacts are cleaned first: each build compiles SRC_DIR's latchkey and core.
# For the size analysis (docs/size-analysis.md): experiments live on side branches.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
use_toolchain
src=$(cd "$1" && pwd); out=$2; shift 2
opt=("$@"); [ ${#opt[@]} -gt 0 ] || opt=(-Oz)
target=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$out/named"
(cd "$src" && CARGO_TARGET_DIR=$target cargo clean --quiet --release --target wasm32-unknown-unknown -p latchkey -p latchkey-core)
(cd "$src" && CARGO_TARGET_DIR=$target cargo build --quiet --release --target wasm32-unknown-unknown -p latchkey)
wasm-bindgen --target web --no-typescript --out-dir "$out/named" "$target/wasm32-unknown-unknown/release/latchkey.wasm"
wasm-opt "${opt[@]}" "$out/named/latchkey_bg.wasm" -o "$out/latchkey_bg.wasm"
cp "$out/named/latchkey.js" "$out/latchkey.js"
node "$(dirname "$0")/sizes.mjs" "$out/latchkey_bg.wasm" "$out/latchkey.js"
