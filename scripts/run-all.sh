#!/usr/bin/env bash
# Start the portal (its web pool and its service pool), the Rasa server and the action server together;
# Ctrl-C stops all of them. The action server calls the service pool, never the web pool (README, "Two pools").
set -euo pipefail
cd "$(dirname "$0")/.."

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

export PORTAL_BIND="${PORTAL_BIND:-127.0.0.1:8000}"
# The service pool: on 127.0.0.1, by default at the port after PORTAL_BIND's (portal/config.py, service_bind).
PORTAL_SERVICE_BIND="$(.venv/bin/python -c 'from portal.config import service_bind; print(service_bind())')"
export PORTAL_SERVICE_BIND
export PORTAL_URL="${PORTAL_URL:-http://$PORTAL_SERVICE_BIND}"
export RASA_URL="${RASA_URL:-http://127.0.0.1:5005}"
if [ -z "${PORTAL_SERVICE_TOKEN:-}" ]; then
  # One token shared by the portal and the action server for this run.
  PORTAL_SERVICE_TOKEN="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(16))')"
  export PORTAL_SERVICE_TOKEN
fi

PORTAL_POOL=web .venv/bin/gunicorn -c gunicorn.conf.py 'portal:create_app()' &
pids+=($!)
PORTAL_POOL=service .venv/bin/gunicorn -c gunicorn.conf.py 'portal:create_app()' &
pids+=($!)

# The job worker: petition reminders and escalations (huey, SQLite-backed unless JOBS_URL says redis://).
.venv/bin/huey_consumer portal.jobs.huey -w 1 &
pids+=($!)

if [ -x assistant/scripts/run.sh ] && [ -x assistant/.venv/bin/rasa ]; then
  assistant/scripts/run.sh &
  pids+=($!)
  assistant_note="assistant: Rasa on ${RASA_URL}, actions on http://127.0.0.1:5055 (loading takes about a minute)"
else
  assistant_note="assistant: not started (run 'make run' on a machine with Python 3.10 under pyenv); the chat answers in its degraded mode"
fi

echo
echo "  大足区助残服务门户 is starting on  http://$PORTAL_BIND/"
echo "  service pool (the action server's API calls): http://$PORTAL_SERVICE_BIND/"
echo "  jobs: the worker (petition reminders and escalations) is running"
echo "  $assistant_note"
echo "  Press Ctrl-C to stop everything."
echo
wait -n "${pids[@]}"
