#!/usr/bin/env bash
# Fuzzes every parser of untrusted input in latchkey-core (cargo-fuzz, libFuzzer +
# AddressSanitizer) for a bounded time each, then prints one line per target.
#   scripts/fuzz.sh [seconds per target, default 60] [target ...]
# Installs cargo-fuzz when missing. Uses a nightly toolchain when rustup has one,
# else the stable compiler with RUSTC_BOOTSTRAP=1 (sanitizers are a nightly flag).
# The corpus grows in core/fuzz/corpus/ (not committed; seeds are in core/fuzz/seeds/);
# a finding stops its target and is saved under core/fuzz/artifacts/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT/core/fuzz"
export PATH="$CARGO_BIN:$PATH"
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(jws jwks token_response discovery callback config tab_message)

if ! cargo fuzz --version >/dev/null 2>&1; then
  step "install cargo-fuzz"
  cargo install --locked --quiet cargo-fuzz
  step_done
fi
if rustup run nightly rustc --version >/dev/null 2>&1; then
  FUZZ=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi

step "build the fuzz targets"
"${FUZZ[@]}" build --release
step_done

REPORT=$(mktemp)
trap 'rm -f "$REPORT"' EXIT
status=0
for target in "${TARGETS[@]}"; do
  step "fuzz $target for ${SECONDS_EACH}s"
  mkdir -p "corpus/$target"
  log="$ROOT/core/fuzz/artifacts/$target.log"
  mkdir -p "$(dirname "$log")"
  if "${FUZZ[@]}" run --release "$target" "corpus/$target" "seeds/$target" -- \
       -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    result="no finding"
  else
    result="FINDING (see $log)"
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(find "corpus/$target" -type f | wc -l)
  printf '%-16s %6ss %12s runs %7s corpus files  %s\n' "$target" "$SECONDS_EACH" "${runs:-?}" "$corpus" "$result" >>"$REPORT"
  step_done "$result"
done
printf '\n%-16s %7s %17s %20s  %s\n' target time executions corpus result
cat "$REPORT"
exit $status
