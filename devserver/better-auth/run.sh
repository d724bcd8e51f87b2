#!/usr/bin/env bash
# Start the better-auth reference backend on http://localhost:${BA_PORT:-9200}. Idempotent:
# installs the pinned npm packages when package-lock.json changed, then serves in the
# foreground (Ctrl-C stops it). The schema, the OAuth client and SEED_USER are brought
# up to date at every start. See README.md for every variable:
#   BA_PORT, BA_BASE_URL, BA_FRONTEND, BA_STATE_DIR, BA_COOKIE_DOMAIN, BA_RATE_LIMITS=1,
#   BA_TEST_MAILBOX=0, BA_JWT_ALG, BA_OTP_EXPIRES_IN, SEED_USER
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.package-lock.sha256
if ! sha256sum -c --status "$stamp" 2>/dev/null; then
  t0=$(date +%s)
  # better-sqlite3 compiles from source; the nodejs package ships the headers it needs.
  [ -f /usr/include/node/node_version.h ] && export npm_config_nodedir=/usr
  npm ci --no-audit --no-fund --loglevel=error
  sha256sum package-lock.json > "$stamp"
  echo "[run.sh] npm packages installed in $(( $(date +%s) - t0 ))s"
fi
exec node server.mjs
