#!/usr/bin/env bash
# Sets up and builds, then runs until Ctrl-C a reference identity backend on :9000
# (with the seeded demo user) and the demo shop on :8080, by default behind latchkey
# edge (edge mode: workerd on :8080, the shop's own server on :8081).
#   LATCHKEY_MODE=edge (default) | direct
#     direct: the shop on :8080, its widget talking to the backend itself
#   LATCHKEY_LOGIN_API=allauth (default) | better-auth
#     which reference backend runs, and the demo widget's login-api (better-auth runs
#     in direct mode: the edge drives allauth's API only, so far)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
LOGIN_API=${LATCHKEY_LOGIN_API:-allauth}
case "$LOGIN_API" in
  allauth) MODE=${LATCHKEY_MODE:-edge} ;;
  better-auth) MODE=${LATCHKEY_MODE:-direct} ;;
  *) echo "LATCHKEY_LOGIN_API is allauth (default) or better-auth, not $LOGIN_API" >&2; exit 2 ;;
esac
case "$MODE" in edge | direct) ;; *) echo "LATCHKEY_MODE is edge (default) or direct, not $MODE" >&2; exit 2 ;; esac
if [ "$LOGIN_API/$MODE" = better-auth/edge ]; then
  echo "latchkey edge drives allauth's login API only, so far: use LATCHKEY_MODE=direct with better-auth" >&2
  exit 2
fi
bash scripts/setup.sh
bash scripts/build.sh
BACKEND_PORT=${IDP_PORT:-9000}
SHOP_PORT=${DEMO_PORT:-8080}
SHOP="http://localhost:$SHOP_PORT"
pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; echo "stopped"; }
trap stop INT TERM EXIT

if [ "$LOGIN_API" = better-auth ]; then
  BA_PORT=$BACKEND_PORT BA_FRONTEND="$SHOP" SEED_USER=demo@example.com \
    bash devserver/better-auth/run.sh &
  docs="better-auth; its API is under /api/auth"
else
  # In edge mode the edge is a confidential client of the backend: a new secret each run.
  EDGE_CLIENT_SECRET=$(node -e "console.log(require('node:crypto').randomBytes(24).toString('base64url'))")
  export EDGE_CLIENT_SECRET
  IDP_PORT=$BACKEND_PORT IDP_FRONTEND="$SHOP" SEED_USER=demo@example.com \
    IDP_EDGE_ORIGIN="$SHOP" IDP_EDGE_SECRET="$EDGE_CLIENT_SECRET" \
    bash devserver/run.sh &
  docs="django-allauth; API docs: /_allauth/openapi.html"
fi
pids+=($!)
discovery="http://localhost:$BACKEND_PORT/.well-known/openid-configuration"
until node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$discovery"; do
  kill -0 "${pids[0]}" 2>/dev/null || { echo "the backend did not start" >&2; exit 1; }
  sleep 0.5
done
if [ "$MODE" = direct ]; then
  node www/server.mjs --port "$SHOP_PORT" --backend "http://localhost:$BACKEND_PORT" --login-api "$LOGIN_API" &
  pids+=($!)
  how="direct mode: the widget talks to the backend (LATCHKEY_MODE=direct)"
else
  node www/server.mjs --port $((SHOP_PORT + 1)) --edge /auth --origin "$SHOP" &
  pids+=($!)
  node scripts/edge-serve.mjs --port "$SHOP_PORT" --issuer "http://localhost:$BACKEND_PORT" \
    --shop "http://localhost:$((SHOP_PORT + 1))" &
  pids+=($!)
  how="edge mode: latchkey edge on workerd holds the session, the page no token (LATCHKEY_MODE=direct npm start for direct mode)"
fi
cat <<MSG

  Demo shop:          $SHOP
                      $how
  Identity backend:   http://localhost:$BACKEND_PORT  ($docs)
  Sign in as          demo@example.com / correct horse battery staple
  Stop with Ctrl-C.

MSG
wait -n "${pids[@]}"
