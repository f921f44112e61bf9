# The two front-door commands: `make run` (set up and start everything) and `make test` (set up and run every test).
# Each does all of its own set-up on a fresh machine; re-running skips what is already up to date.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEED := ../shared/seed/000_737854678808b00c.txt
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test setup venv catalogues migrate content index assistant assistant-model chromium lint pytest pytest-services assistant-test translations bench benchmark-tools capacity clean

run: setup assistant
	@scripts/run-all.sh

test: setup chromium lint assistant-model pytest pytest-services assistant-test

setup: venv catalogues migrate content index

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

catalogues: venv
	$(BIN)/pybabel compile -d locales --statistics

migrate: venv
	$(BIN)/alembic upgrade head

content: venv
	$(BIN)/python -m portal.content check $(if $(wildcard $(SEED)),--seed $(SEED))

index: content
	$(BIN)/python -m portal.search build

# The assistant's venv (Python 3.10) and model: `run` retrains only when assistant/ data or config changed;
# `test` trains from scratch.
assistant:
	assistant/scripts/setup.sh
	assistant/scripts/train.sh

assistant-model:
	assistant/scripts/setup.sh
	assistant/scripts/train.sh --force

# Debian's chromium, and a Chinese font (Noto Sans CJK) so screenshots and layout checks see Chinese text as
# residents do (without it Chromium draws empty boxes, and widths differ).
chromium:
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Debian's chromium for the accessibility tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
	@dpkg-query -W -f='$${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || { \
	  echo "Installing Debian's fonts-noto-cjk for the accessibility tests"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null; }

lint: venv
	$(BIN)/ruff check .

# tests/ includes the API fuzzing (tests/test_api_fuzz.py: schemathesis, all operations and checks, ~2 minutes;
# API_FUZZ_EXAMPLES sets the examples per operation, 25 by default).
pytest: venv
	$(BIN)/python -m pytest tests accessibility_tests

# tests/ again on PostgreSQL (a database per test) with Redis for rate limits and the job queue, Alembic and the
# drift check included; the two services are Debian's, started for the run on free ports and stopped after it.
pytest-services: venv
	scripts/services.sh run $(BIN)/python -m pytest tests

assistant-test: assistant-model
	assistant/scripts/test.sh

# Developers: after changing UI strings, refresh the catalogues, then translate the new zh_Hans entries.
translations: venv
	PYTHONPATH=$(CURDIR) $(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o locales/messages.pot --no-location --sort-output --project=portal .
	$(BIN)/pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching --ignore-obsolete --width 120

bench: setup assistant
	$(BIN)/python benchmarks/search_bench.py
	$(BIN)/python benchmarks/chat_bench.py

# Load tools for the capacity benchmarks: wrk from Debian, Locust from PyPI (benchmarks/requirements.txt).
benchmark-tools: venv
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/pip install -q -r benchmarks/requirements.txt

# Home page vs bare Flask, then the mixed workload at 10, 50, 100 users on SQLite and, side by side in the same run,
# on PostgreSQL+Redis (a throwaway cluster from scripts/services.sh).
capacity: setup benchmark-tools
	$(BIN)/python benchmarks/home_ratio.py
	$(BIN)/python benchmarks/capacity.py
	scripts/services.sh run $(BIN)/python benchmarks/capacity.py

clean:
	rm -rf "$${PORTAL_INSTANCE_PATH:-instance}"/search-index* .pytest_cache
