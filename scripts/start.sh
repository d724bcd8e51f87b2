#!/usr/bin/env bash
# Sets up and builds, then runs a reference identity backend on :9000 (with the
# seeded demo user) and the demo shop on :8080 until Ctrl-C.
#   LATCHKEY_LOGIN_API=allauth (default) | better-auth
#     which reference backend runs, and the demo widget's login-api
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
LOGIN_API=${LATCHKEY_LOGIN_API:-allauth}
case "$LOGIN_API" in
  allauth | better-auth) ;;
  *) echo "LATCHKEY_LOGIN_API must be allauth or better-auth, not $LOGIN_API" >&2; exit 2 ;;
esac
bash scripts/setup.sh
bash scripts/build.sh
BACKEND_PORT=${IDP_PORT:-9000}
SHOP_PORT=${DEMO_PORT:-8080}
pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; echo "stopped"; }
trap stop INT TERM EXIT

if [ "$LOGIN_API" = better-auth ]; then
  BA_PORT=$BACKEND_PORT BA_FRONTEND="http://localhost:$SHOP_PORT" SEED_USER=demo@example.com \
    bash devserver/better-auth/run.sh &
  docs="better-auth; its API is under /api/auth"
else
  IDP_PORT=$BACKEND_PORT IDP_FRONTEND="http://localhost:$SHOP_PORT" SEED_USER=demo@example.com \
    bash devserver/run.sh &
  docs="django-allauth; API docs: /_allauth/openapi.html"
fi
pids+=($!)
discovery="http://localhost:$BACKEND_PORT/.well-known/openid-configuration"
until node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$discovery"; do
  kill -0 "${pids[0]}" 2>/dev/null || { echo "the backend did not start" >&2; exit 1; }
  sleep 0.5
done
node www/server.mjs --port "$SHOP_PORT" --backend "http://localhost:$BACKEND_PORT" --login-api "$LOGIN_API" &
pids+=($!)
cat <<MSG

  Demo shop:          http://localhost:$SHOP_PORT
  Identity backend:   http://localhost:$BACKEND_PORT  ($docs)
  Sign in as          demo@example.com / correct horse battery staple
  Stop with Ctrl-C.

MSG
wait -n "${pids[@]}"
