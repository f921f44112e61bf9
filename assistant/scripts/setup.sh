#!/usr/bin/env bash
# Create or refresh the assistant's Python 3.10 venv (assistant/.venv).
# Idempotent: reinstalls only when requirements.txt changed (hash stamp kept inside .venv).
set -euo pipefail
ASSISTANT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ASSISTANT_DIR"
export RASA_TELEMETRY_ENABLED=false
export PIP_DISABLE_PIP_VERSION_CHECK=1

VENV="$ASSISTANT_DIR/.venv"
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum requirements.txt | cut -d' ' -f1)"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  echo "assistant venv up to date ($VENV)"
  exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  if [[ -n "${PYTHON310:-}" ]]; then
    py="$PYTHON310"
  elif command -v pyenv >/dev/null 2>&1 && pyenv prefix 3.10.13 >/dev/null 2>&1; then
    py="$(pyenv prefix 3.10.13)/bin/python"
  elif command -v python3.10 >/dev/null 2>&1; then
    py="$(command -v python3.10)"
  else
    echo "setup.sh: Python 3.10 not found (set PYTHON310=/path/to/python3.10)" >&2
    exit 1
  fi
  "$py" -m venv "$VENV"
fi

start=$(date +%s)
"$VENV/bin/python" -m pip install --quiet --upgrade "pip<25" "setuptools<70" wheel
"$VENV/bin/python" -m pip install --quiet -r requirements.txt
echo "$want" > "$STAMP"
echo "assistant venv ready in $(( $(date +%s) - start )) s"
