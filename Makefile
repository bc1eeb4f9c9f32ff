# Stancewatch: `make demo` sets everything up and runs the founding case; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench quality lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip==25.3   # pip 23 refuses hashed installs of requirements with extras
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)          ## the main job on the embedded defaults: bundled seeds, ./stancewatch.duckdb, Prefect's local server
	$(BIN)/stancewatch demo

test: $(STAMP)          ## the whole test suite (real local servers, real DuckDB files, Prefect's test harness)
	$(BIN)/python -m pytest

lint: $(STAMP)          ## ruff over the tree, mypy over extractors/, storage/, alerts/
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP)         ## benchmarks: speed and memory ratios (not part of the tests)
	$(BIN)/python tests/bench/run_all.py

quality: $(STAMP)       ## statement-extraction quality on the held-out labelled set
	$(BIN)/stancewatch evaluate tests/devset/heldout.jsonl

lock:                   ## re-pin every dependency with hashes (needs uv: pip install uv)
	uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) stancewatch.duckdb stancewatch.duckdb.spool stancewatch-timeline.html
