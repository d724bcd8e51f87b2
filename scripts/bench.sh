#!/usr/bin/env bash
# Benchmarks the protocol core's hot steps natively and in headless Chromium (release
# builds) and prints the median of each: PKCE + state + nonce, ES256 verify (p256),
# RS256 verify (native rsa / WebCrypto), DPoP proof creation.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_toolchain

step "native (cargo run --release --example bench)"
cargo run --quiet --release -p latchkey-core --example bench
step_done

step "headless Chromium (wasm-bindgen-test, release)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --release --target wasm32-unknown-unknown -p latchkey bench:: -- --include-ignored --nocapture >"$log" 2>&1 ||
  { cat "$log"; exit 1; }
echo "latchkey widget, Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') (31 batches of 20, median)"
# The widget's budget: each step under 1 ms in the browser.
sed -n 's/.*bench: //p' "$log" | awk '{ print $0 ($(NF-1) > 1000 ? "   over the 1 ms budget" : "") }'
step_done
