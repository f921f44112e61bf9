#!/usr/bin/env bash
# Train the Rasa model into assistant/models/ when config/domain/data changed (hash stamp).
# Usage: assistant/scripts/train.sh [--force]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_venv
cd "$ASSISTANT_DIR"

force=0
[[ "${1:-}" == "--force" ]] && force=1

STAMP="models/.inputs.sha256"
want="$(training_inputs_hash)"
if [[ $force -eq 0 && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]] && ls models/*.tar.gz >/dev/null 2>&1; then
  echo "model up to date ($(ls -t models/*.tar.gz | head -1))"
  exit 0
fi

mkdir -p models
start=$(date +%s)
if ! "$RASA" train --config config.yml --domain domain --data data --out models \
    --fixed-model-name dazu-assistant --force > models/train.log 2>&1; then
  tail -30 models/train.log >&2
  echo "training failed (assistant/models/train.log)" >&2
  exit 1
fi
echo "$want" > "$STAMP"
echo "trained in $(( $(date +%s) - start )) s: models/dazu-assistant.tar.gz"
