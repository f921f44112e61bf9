#!/usr/bin/env bash
# Run the action server (127.0.0.1:5055) and the Rasa server (REST channel, --enable-api, 127.0.0.1:5005).
# Trains first if the model is missing or stale. Stops both on exit (Ctrl-C / SIGTERM).
# Env: PORTAL_URL (default http://127.0.0.1:8000), PORTAL_SERVICE_TOKEN (optional),
#      RASA_PORT (5005), ACTIONS_PORT (5055).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_venv
cd "$ASSISTANT_DIR"
export PORTAL_URL="${PORTAL_URL:-http://127.0.0.1:8000}"
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"

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
  --model models/dazu-assistant.tar.gz --endpoints endpoints.yml --credentials credentials.yml &
pids+=($!)
echo "assistant: rasa pid ${pids[1]} on 127.0.0.1:$RASA_PORT, actions pid ${pids[0]} on 127.0.0.1:$ACTIONS_PORT"
wait -n "${pids[@]}"
