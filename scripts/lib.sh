# Shared by the project's scripts: timing output and the PATH every build needs.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_BIN=${CARGO_HOME:-$HOME/.cargo}/bin
WASM_STD_DIR=/usr/lib/rustlib/wasm32-unknown-unknown/lib   # Debian rustc's sysroot

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
step() { STEP_NAME=$*; STEP_T0=$(now_ms); printf '==> %s\n' "$*"; }
step_done() {
  local d=$(( $(now_ms) - STEP_T0 ))
  printf '    %s (%d.%ds)\n' "${1:-done}" $((d / 1000)) $((d % 1000 / 100))
}

# True if the given rustc has a wasm32 standard library.
has_wasm_std() {
  local dir
  dir=$("$1" --print target-libdir --target wasm32-unknown-unknown 2>/dev/null) || return 1
  compgen -G "$dir/libstd-*.rlib" >/dev/null
}

# Puts the toolchain that can build wasm32 first on PATH: rustup's when it has the
# wasm32 std (unless TOOLCHAIN=debian), else Debian's rustc-web (whose std setup.sh
# built once).
use_toolchain() {
  export PATH="$ROOT/node_modules/.bin:$CARGO_BIN:$PATH"
  if [ "${TOOLCHAIN:-}" != debian ] && command -v rustup >/dev/null &&
     has_wasm_std "$(rustup which rustc 2>/dev/null)"; then
    return 0
  elif [ -x /usr/bin/rustc ] && has_wasm_std /usr/bin/rustc; then
    # rustup's shims in ~/.cargo/bin would otherwise shadow Debian's compiler.
    export PATH="$ROOT/node_modules/.bin:/usr/bin:$CARGO_BIN:$PATH"
  else
    echo "no Rust toolchain with the wasm32 target: run 'npm run setup' first" >&2
    return 1
  fi
}

# The browsers the end-to-end tests run in, with their versions (Debian's packages).
engine_versions() {
  local chromium firefox webkit
  chromium=$(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')
  firefox=$(/usr/bin/firefox-esr --version 2>/dev/null | awk '{print $3}')
  webkit=$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null | sed 's/-.*//')
  echo "Chromium ${chromium:-missing}, Firefox ${firefox:-missing}, WebKitGTK ${webkit:-missing}"
}
