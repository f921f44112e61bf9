#!/usr/bin/env bash
# Run the action server (127.0.0.1:5055) and the Rasa server (REST channel, --enable-api, 127.0.0.1:5005).
# Trains first if the model is missing or stale. Stops both on exit (Ctrl-C / SIGTERM).
# Env: PORTAL_URL (default http://127.0.0.1:8000), PORTAL_SERVICE_TOKEN (optional),
#      RASA_PORT (5005), ACTIONS_PORT (5055).
# Stores: endpoints.yml (Rasa's in-memory tracker and lock stores: one Rasa server) unless
#      RASA_TRACKER_STORE_URL (postgresql://user:password@host:5432/rasa) and RASA_LOCK_STORE_URL
#      (redis://[:password@]host:6379/2) are set: then endpoints.scale.yml (SQL tracker store, RedisLockStore),
#      so that several Rasa servers can share the conversations (README, "Configuration").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_venv
cd "$ASSISTANT_DIR"
export PORTAL_URL="${PORTAL_URL:-http://127.0.0.1:8000}"
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"

ENDPOINTS=endpoints.yml
if [[ -n "${RASA_TRACKER_STORE_URL:-}" || -n "${RASA_LOCK_STORE_URL:-}" ]]; then
  if [[ -z "${RASA_TRACKER_STORE_URL:-}" || -z "${RASA_LOCK_STORE_URL:-}" ]]; then
    echo "run.sh: several Rasa servers need both RASA_TRACKER_STORE_URL and RASA_LOCK_STORE_URL" >&2
    exit 1
  fi
  if [[ ! "$RASA_TRACKER_STORE_URL" =~ ^postgresql(\+psycopg2)?:// ]]; then
    echo "run.sh: RASA_TRACKER_STORE_URL must be postgresql://user:password@host:port/database" \
      "(Rasa's SQLAlchemy 1.4 with psycopg2; not postgresql+psycopg://)" >&2
    exit 1
  fi
  # endpoints.scale.yml reads the lock store's parts from the environment (RedisLockStore takes no URL).
  lock_store_parts="$("$VENV/bin/python" - <<'PY'
import os
import shlex
import sys
from urllib.parse import unquote, urlsplit

url = urlsplit(os.environ["RASA_LOCK_STORE_URL"])
if url.scheme != "redis" or not url.hostname:
    sys.exit("run.sh: RASA_LOCK_STORE_URL must be redis://[[user]:password@]host[:port][/db]")
parts = {
    "RASA_LOCK_STORE_HOST": url.hostname,
    "RASA_LOCK_STORE_PORT": str(url.port or 6379),
    "RASA_LOCK_STORE_DB": url.path.lstrip("/") or "0",
    "RASA_LOCK_STORE_USERNAME": unquote(url.username or ""),
    "RASA_LOCK_STORE_PASSWORD": unquote(url.password or ""),
}
if not parts["RASA_LOCK_STORE_DB"].isdigit():
    sys.exit("run.sh: the database in RASA_LOCK_STORE_URL must be a number, e.g. redis://host:6379/2")
for name, value in parts.items():
    print(f"export {name}={shlex.quote(value)}")
PY
)"
  eval "$lock_store_parts"
  export RASA_ACTIONS_URL="http://127.0.0.1:$ACTIONS_PORT/webhook"
  ENDPOINTS=endpoints.scale.yml
fi

bash scripts/train.sh

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

SANIC_HOST=127.0.0.1 "$RASA" run actions --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
"$RASA" run --enable-api --interface 127.0.0.1 --port "$RASA_PORT" \
  --model models/dazu-assistant.tar.gz --endpoints "$ENDPOINTS" --credentials credentials.yml &
pids+=($!)
echo "assistant: rasa pid ${pids[1]} on 127.0.0.1:$RASA_PORT ($ENDPOINTS), actions pid ${pids[0]} on 127.0.0.1:$ACTIONS_PORT"
wait -n "${pids[@]}"
