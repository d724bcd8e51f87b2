#!/usr/bin/env bash
# Benchmarks, release builds, medians printed:
#   npm run bench                       both parts below
#   npm run bench -- --protocol         the protocol core's hot steps, natively and in headless
#                                       Chromium: PKCE + state + nonce, ES256 verify (native
#                                       p256 / WebCrypto), RS256 verify (native rsa / WebCrypto),
#                                       DPoP proof creation
#   npm run bench -- --widgets [opts]   latchkey beside other login widgets (bench/run.mjs:
#                                       cold loads, mobile profile, mount/unmount cycles);
#                                       opts go to bench/run.mjs, e.g. --runs 3 --profiles mobile
# Not part of npm test. The widgets part installs its own pinned packages into
# bench/node_modules (never dependencies of the latchkey package).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
use_toolchain

part=all
case "${1:-}" in
  --protocol) part=protocol; shift ;;
  --widgets) part=widgets; shift ;;
esac

protocol() {
  step "native (cargo run --release --example bench)"
  cargo run --quiet --release -p latchkey-core --example bench
  step_done

  step "headless Chromium (wasm-bindgen-test, release)"
  local log
  log=$(mktemp)
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
    cargo test --release --target wasm32-unknown-unknown -p latchkey bench:: -- --include-ignored --nocapture >"$log" 2>&1 ||
    { cat "$log"; rm -f "$log"; exit 1; }
  echo "latchkey widget, Chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') (31 batches of 20, median)"
  # The widget's budget: each step under 1 ms in the browser.
  sed -n 's/.*bench: //p' "$log" | awk '{ print $0 ($(NF-1) > 1000 ? "   over the 1 ms budget" : "") }'
  rm -f "$log"
  step_done
}

widgets() {
  step "bench/node_modules (the other widgets, pinned in bench/package-lock.json)"
  local stamp=bench/node_modules/.package-lock.sha256
  if (cd bench && sha256sum -c --status "../$stamp" 2>/dev/null); then
    step_done "up to date"
  else
    (cd bench && npm ci --no-audit --no-fund --loglevel=error && sha256sum package-lock.json > "../$stamp")
    step_done "installed"
  fi
  [ -f pkg/latchkey_bg.wasm ] || bash scripts/build.sh
  step "widgets side by side (bench/run.mjs $*)"
  node bench/run.mjs "$@"
  step_done
}

case $part in
  protocol) protocol ;;
  widgets) widgets "$@" ;;
  all) protocol; widgets "$@" ;;
esac
