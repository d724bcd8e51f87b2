#!/usr/bin/env bash
# Installs everything latchkey needs to build, run and test, on Debian 12 as root
# (or with sudo). Idempotent and non-interactive; a second run takes seconds.
#   TOOLCHAIN=rustup|debian   force how the wasm32 Rust standard library is obtained
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
WASM_PACK_VERSION=0.15.1
T0=$(now_ms)

apt_updated=""
apt_install() {  # only what is missing; options (e.g. --no-install-recommends) first
  local options=() missing=() p
  while [ "${1:-}" != "${1#--}" ]; do options+=("$1"); shift; done
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "    apt-get install ${options[*]} ${missing[*]}"
  [ -n "$apt_updated" ] || { $SUDO apt-get update -qq; apt_updated=1; }
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${options[@]}" "${missing[@]}" >/dev/null
}

cargo_install() {  # --locked first; unlocked when the crate's own lockfile names a yanked crate
  cargo install -q --locked --force "$@" 2>/dev/null || {
    echo "    --locked failed (a yanked dependency?); retrying without --locked"
    cargo install -q --force "$@"
  }
}

# 1. A Rust compiler with the wasm32 standard library -------------------------------
step "Rust toolchain for wasm32-unknown-unknown"
debian_std_current() {  # Debian's rustc has a wasm32 std that this very rustc built
  [ -x /usr/bin/rustc ] && has_wasm_std /usr/bin/rustc &&
    [ "$(cat "$WASM_STD_DIR/.rustc-commit" 2>/dev/null)" = "$(/usr/bin/rustc -vV | sed -n 's/^commit-hash: //p')" ]
}
route=${TOOLCHAIN:-}
if [ -z "$route" ]; then
  if command -v rustup >/dev/null && has_wasm_std "$(rustup which rustc)"; then
    route=rustup
  elif debian_std_current; then
    route=debian
  elif command -v rustup >/dev/null && timeout 90 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 &&
       has_wasm_std "$(rustup which rustc)"; then
    route=rustup
  else
    echo "    rustup could not add the wasm32 target (offline or no answer in 90 s): using Debian's rustc-web"
    route=debian
  fi
elif [ "$route" = rustup ] && ! has_wasm_std "$(rustup which rustc)"; then
  timeout 90 rustup target add wasm32-unknown-unknown
fi
if [ "$route" = debian ]; then
  apt_install rustc-web cargo-web rust-web-src lld-22
  if ! debian_std_current; then
    # Debian ships the std's sources, not a wasm32 build: build it once. lto = true
    # makes the rlibs carry bitcode, which the widget's LTO release build needs.
    echo "    building the wasm32 standard library once (about a minute)"
    tmp=$(mktemp -d)
    mkdir -p "$tmp/src"; : > "$tmp/src/lib.rs"
    printf '%s\n' '[package]' 'name = "wasm-std"' 'version = "0.0.0"' 'edition = "2021"' \
      '[lib]' 'crate-type = ["cdylib"]' \
      '[profile.release]' 'opt-level = "z"' 'lto = true' 'codegen-units = 1' 'panic = "abort"' > "$tmp/Cargo.toml"
    (cd "$tmp" && PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 cargo build -q --release \
        --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort,test)
    $SUDO mkdir -p "$WASM_STD_DIR"
    $SUDO rm -f "$WASM_STD_DIR"/lib*.rlib
    $SUDO cp "$tmp"/target/wasm32-unknown-unknown/release/deps/lib*.rlib "$WASM_STD_DIR"/
    $SUDO rm -f "$WASM_STD_DIR"/libwasm_std*
    /usr/bin/rustc -vV | sed -n 's/^commit-hash: //p' | $SUDO tee "$WASM_STD_DIR/.rustc-commit" >/dev/null
    rm -rf "$tmp"
  fi
fi
use_toolchain
step_done "$route: $(rustc --version)"

# 2. wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock ----------------
step "wasm-bindgen-cli"
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$("$CARGO_BIN/wasm-bindgen" --version 2>/dev/null | awk '{print $2}') || have=""
if [ "$have" = "$want" ] && [ -x "$CARGO_BIN/wasm-bindgen-test-runner" ]; then
  step_done "$want present"
else
  cargo_install wasm-bindgen-cli --version "$want"
  step_done "installed $want"
fi

# 3. wasm-pack ----------------------------------------------------------------------
step "wasm-pack"
have=$("$CARGO_BIN/wasm-pack" --version 2>/dev/null | awk '{print $2}') || have=""
if [ "$have" = "$WASM_PACK_VERSION" ]; then
  step_done "$have present"
else
  cargo_install wasm-pack --version "$WASM_PACK_VERSION"
  step_done "installed $WASM_PACK_VERSION"
fi

# 4. Chromium and its driver (tests), Python's venv module (backend) ------------------
step "Debian packages: chromium, chromium-driver"
apt_install chromium chromium-driver
# The fuzz targets are linted by npm test; libFuzzer itself is C++.
command -v c++ >/dev/null || apt_install g++
python3 -m venv --help >/dev/null 2>&1 || apt_install python3-venv
step_done "$(/usr/bin/chromium --version 2>/dev/null | head -1)"

# 5. Firefox and WebKit for the cross-engine tests (tests/journeys/) ----------------------
# Firefox ESR (driven over WebDriver BiDi) and WebKitGTK's WebKitWebDriver with its
# MiniBrowser, which needs an X server (Xvfb); localedef's locale sources give
# MiniBrowser its browser language. Recommends (media codecs, spell checkers, …) are
# not needed by the tests.
step "Debian packages: firefox-esr, webkit2gtk-driver, xvfb, locales"
apt_install --no-install-recommends firefox-esr webkit2gtk-driver xvfb locales
step_done "$(engine_versions)"

# 6. npm devDependencies: wasm-opt (binaryen), playwright-core, typescript, the engines' drivers
step "npm devDependencies"
stamp=node_modules/.package-lock.sha256
if sha256sum -c --status "$stamp" 2>/dev/null; then
  step_done "up to date"
else
  npm ci --no-audit --no-fund --loglevel=error
  sha256sum package-lock.json > "$stamp"
  step_done "installed"
fi

# 7. The bundlers of the bundler matrix (tests/bundlers.test.mjs) --------------------
step "bundler matrix (tests/bundlers: Vite, webpack, esbuild, React)"
stamp=tests/bundlers/node_modules/.package-lock.sha256
if (cd tests/bundlers && sha256sum -c --status "${stamp#tests/bundlers/}" 2>/dev/null); then
  step_done "up to date"
else
  (cd tests/bundlers && npm ci --no-audit --no-fund --loglevel=error && sha256sum package-lock.json > node_modules/.package-lock.sha256)
  step_done "installed"
fi

# 8. The reference backend's virtualenv, from pinned requirements ----------------------
step "backend virtualenv (devserver/.venv)"
venv=devserver/.venv
if (cd devserver && sha256sum -c --status .venv/.requirements.sha256 2>/dev/null); then
  step_done "up to date"
else
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r devserver/requirements.txt
  (cd devserver && sha256sum requirements.txt > .venv/.requirements.sha256)
  step_done "installed"
fi

# 9. The better-auth reference backend's npm packages -----------------------------------
# better-sqlite3 compiles from source (node-gyp); the nodejs package ships the headers,
# so node-gyp need not download them.
step "better-auth backend packages (devserver/better-auth/node_modules)"
if (cd devserver/better-auth && sha256sum -c --status node_modules/.package-lock.sha256 2>/dev/null); then
  step_done "up to date"
else
  command -v make >/dev/null || apt_install make
  [ -f /usr/include/node/node_version.h ] && export npm_config_nodedir=/usr
  (cd devserver/better-auth && npm ci --no-audit --no-fund --loglevel=error &&
    sha256sum package-lock.json > node_modules/.package-lock.sha256)
  step_done "installed"
fi

d=$(( $(now_ms) - T0 ))
printf 'setup finished in %d.%ds\n' $((d / 1000)) $((d % 1000 / 100))
