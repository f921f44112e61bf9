# Shared settings for the assistant scripts (sourced, not run).
ASSISTANT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ASSISTANT_DIR/.venv"
RASA="$VENV/bin/rasa"
export RASA_TELEMETRY_ENABLED=false
export RASA_MAX_CACHE_SIZE=0
export TF_CPP_MIN_LOG_LEVEL=2
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONWARNINGS="ignore::DeprecationWarning"

# Hash of everything the trained model depends on.
training_inputs_hash() {
  (cd "$ASSISTANT_DIR" && find config.yml domain data components -type f \
      ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum) \
    | sha256sum | cut -d' ' -f1
}

require_venv() {
  if [[ ! -x "$RASA" ]]; then
    echo "assistant venv missing: run assistant/scripts/setup.sh first" >&2
    exit 1
  fi
}
