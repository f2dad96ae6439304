# eventscope: `make demo` and `make test` work from a fresh clone (see README.md).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= var/demo.db
CORPUS := samples/kazakhstan-2022
HOST   ?= 127.0.0.1
PORT   ?= 8000
WEB    := web/node_modules/.installed
CHROMIUM ?= /usr/bin/chromium
# Root installs Debian packages directly; anyone else through sudo.
APT    := $(if $(filter 0,$(shell id -u)),,sudo) apt-get

.PHONY: setup demo test lint typecheck pytest scorecard bench bench-api load stress clean browser model postgres

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (eventscope needs Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/eventscope gazetteer
	touch $(STAMP)

# The dashboard's front-end libraries, from the npm registry, pinned by the lock file.
$(WEB): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found (the dashboard's libraries come from the npm registry)"; exit 1; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(WEB)

setup: $(STAMP) $(WEB)

# Debian's Chromium for the browser tests (Playwright drives it; it downloads no browser).
browser:
	@test -x $(CHROMIUM) || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) || { echo "error: $(CHROMIUM) missing: install Debian's chromium package"; exit 1; }

# Debian's PostgreSQL for the PostgreSQL store's tests (they start their own server from
# initdb in a temp folder; the package's own cluster is not used).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq postgresql >/dev/null; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "error: initdb missing: install Debian's postgresql package"; exit 1; }

demo: setup
	@mkdir -p $(dir $(DB))
	$(BIN)/eventscope ingest $(CORPUS) --db $(DB)
	$(BIN)/eventscope info --db $(DB)
	$(BIN)/eventscope serve --db $(DB) --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: setup
	$(BIN)/mypy

# The browser and PostgreSQL tests are required here (they skip only outside `make test`).
pytest: setup browser postgres
	EVENTSCOPE_BROWSER_TESTS=required EVENTSCOPE_POSTGRES_TESTS=required $(BIN)/pytest -q

test: lint typecheck pytest

# The learned event review, trained on the train split of corpus/ (kb/learned/*.npz; the
# shipped files are rebuilt by this, and a test fails when they are stale).
model: setup
	$(BIN)/eventscope train

# Accuracy on the team's gold data (not part of `make test`: it takes minutes).
EVAL ?= ../shared/eval
scorecard: setup
	$(BIN)/eventscope eval all $(EVAL) --scorecard docs/scorecard.md
	$(BIN)/eventscope eval own corpus --scorecard docs/scorecard-own.md

# Throughput and memory against the bare spaCy parse (default: the sample corpus).
BENCH_CORPUS ?=
bench: setup
	$(BIN)/eventscope bench $(BENCH_CORPUS)

# API latency on a generated store of 100,000 events, loaded with ApacheBench on loopback.
bench-api: setup
	@command -v ab >/dev/null || DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq apache2-utils >/dev/null
	$(BIN)/eventscope bench-api --events 100000

# 8 clients on /events and /stats for 30 s while an ingest writes to the served store;
# fails on any error (non-2xx, connection, ingest).
load: setup
	$(BIN)/eventscope bench-load --clients 8 --seconds 30

# The hostile inputs of tests/hostile at the issue's sizes (`make test` runs them small):
# each input's time, outcome and peak memory, then one ingest's peak RSS over them all.
stress: setup
	EVENTSCOPE_STRESS=full $(BIN)/pytest -q -s -p no:randomly tests/hostile/test_inputs.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache web/node_modules
