#!/usr/bin/env bash
# Assistant checks: data validation, NLU evaluation on a held-out 20 % split, test stories, action tests.
# Reports go to assistant/results/. Fails when, on the held-out split, intent accuracy (all examples, and the
# hand-written ones alone) or the benefit entity's F1 is below its floor.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
require_venv
cd "$ASSISTANT_DIR"
MIN_INTENT_ACCURACY="${MIN_INTENT_ACCURACY:-0.93}"
MIN_WRITTEN_ACCURACY="${MIN_WRITTEN_ACCURACY:-0.925}"
MIN_BENEFIT_F1="${MIN_BENEFIT_F1:-0.94}"
mkdir -p results

echo "== rasa data validate"
rc=0
"$RASA" data validate --domain domain --data data --fail-on-warnings > results/validate.log 2>&1 || rc=$?
grep -E "UserWarning|ERROR" results/validate.log || true
if [[ $rc -ne 0 ]]; then echo "rasa data validate failed (results/validate.log)" >&2; exit 1; fi
echo "clean"

echo "== NLU evaluation: train on 80 %, test on the held-out 20 % (fixed seed)"
rm -rf results/split results/nlu results/nlu-model
"$RASA" data split nlu --nlu data/nlu --random-seed 2024 --training-fraction 0.8 --out results/split \
  > results/split.log 2>&1
start=$(date +%s)
"$RASA" train nlu --config config.yml --nlu results/split/training_data.yml --out results/nlu-model \
  --fixed-model-name nlu-80 > results/train-nlu.log 2>&1
echo "NLU-only model trained in $(( $(date +%s) - start )) s"
"$RASA" test nlu --model results/nlu-model/nlu-80.tar.gz --nlu results/split/test_data.yml \
  --out results/nlu --successes > results/test-nlu.log 2>&1
"$VENV/bin/python" scripts/nlu_report.py results/nlu --min-intent-accuracy "$MIN_INTENT_ACCURACY" \
  --generated data/nlu/templated.yml --min-written-accuracy "$MIN_WRITTEN_ACCURACY" \
  --min-entity-f1 "benefit=$MIN_BENEFIT_F1"

echo "== model for the test stories"
bash scripts/train.sh

echo "== rasa test core (tests/test_stories.yml)"
"$RASA" test core --model models/dazu-assistant.tar.gz --stories tests/test_stories.yml \
  --fail-on-prediction-errors --out results/core > results/test-core.log 2>&1 \
  || { tail -40 results/test-core.log; cat results/core/failed_test_stories.yml 2>/dev/null; exit 1; }
grep -E "Correct:|Accuracy:|F1-Score:" results/test-core.log | sed 's/^.*INFO *//' | head -6

echo "== action unit tests"
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests/test_actions.py
