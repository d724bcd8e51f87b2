#!/usr/bin/env bash
# Sets up, builds and runs every test: lint, native Rust tests, the size budget,
# wasm tests in headless Chromium, the npm package test and the end-to-end tests
# against the reference backend. Ends with one "N passed, M failed" line.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/setup.sh
use_toolchain
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT

# Runs a stage, shows its output, keeps it for the count; stops at the first failure.
stage() {
  local name=$1; shift
  step "$name"
  if ! "$@" 2>&1 | tee "$LOGS/$(printf '%02d' "$(ls "$LOGS" | wc -l)").log"; then
    step_done "FAILED"
    echo "test stage failed: $name" >&2
    exit 1
  fi
  step_done
}

stage "cargo fmt --check" cargo fmt --all --check
stage "clippy, native (core)" cargo clippy --workspace --all-targets --quiet -- -D warnings
stage "clippy, wasm32 (widget)" cargo clippy --target wasm32-unknown-unknown -p latchkey --all-targets --quiet -- -D warnings
# The other builds of the same crate (scripts/build.sh): the first form's and the session's.
stage "clippy, wasm32 (first form, session)" bash -c 'for build in first session; do
  cargo clippy --target wasm32-unknown-unknown -p latchkey --no-default-features --features "$build" --all-targets --quiet -- -D warnings || exit 1
done'
stage "clippy, wasm32 (edge)" cargo clippy --target wasm32-unknown-unknown -p latchkey-edge --all-targets --quiet -- -D warnings
# The protocol core must stay free of browser crates, on every target.
core_is_pure() {
  local found
  found=$(cargo tree -p latchkey-core --target all -e normal --prefix none | grep -E '^(web-sys|gloo|yew)' || true)
  [ -z "$found" ] || { echo "latchkey-core depends on browser crates: $found"; return 1; }
  echo "latchkey-core: no web-sys, gloo or yew"
}
stage "core has no browser dependencies" core_is_pure
# The fuzz targets (run by scripts/fuzz.sh) must keep compiling against the core.
fuzz_targets_lint() {
  cargo fmt --manifest-path core/fuzz/Cargo.toml --check &&
    cargo clippy --manifest-path core/fuzz/Cargo.toml --bins --quiet -- -D warnings
}
stage "fmt and clippy, fuzz targets" fuzz_targets_lint
stage "native tests (cargo test, with the live backends)" cargo test --workspace
stage "release build" bash scripts/build.sh
stage "size budget" node scripts/size.mjs --check
stage "wasm tests in headless Chromium (wasm-bindgen-test)" \
  env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown -p latchkey
stage "npm package and end-to-end tests (Chromium, Firefox, WebKit; real backend)" \
  node --test --test-reporter=tap tests/

# One closing line over every runner: cargo's "test result:" lines, node's "# pass/# fail".
cat "$LOGS"/*.log | awk '
  /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
  /^# pass / { p += $3 } /^# fail / { f += $3 }
  END { printf "total: %d passed, %d failed\n", p, f; exit (f > 0) }'
