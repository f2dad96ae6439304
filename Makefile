# eventscope: `make demo` and `make test` work from a fresh clone (see README.md).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= var/demo.db
CORPUS := samples/kazakhstan-2022

.PHONY: setup demo test lint typecheck pytest scorecard bench clean

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (eventscope needs Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/eventscope gazetteer
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	@mkdir -p $(dir $(DB))
	$(BIN)/eventscope ingest $(CORPUS) --db $(DB)
	$(BIN)/eventscope info --db $(DB)

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest -q

test: lint typecheck pytest

# Accuracy on the team's gold data (not part of `make test`: it takes minutes).
EVAL ?= ../shared/eval
scorecard: setup
	$(BIN)/eventscope eval all $(EVAL) --scorecard docs/scorecard.md

# Throughput and memory against the bare spaCy parse (default: the sample corpus).
BENCH_CORPUS ?=
bench: setup
	$(BIN)/eventscope bench $(BENCH_CORPUS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
