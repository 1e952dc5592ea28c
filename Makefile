# The README's two commands: `make run` (set up and serve) and `make test` (set up and test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Tests run as production does (DEBUG off) with throwaway secrets.
TEST_ENV := DEBUG=false SECRET_KEY=test-only-insecure-key WEBHOOK_SECRET=test-webhook-secret

.PHONY: run test install bench bench-volume

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

.env:
	cp .env.example .env

## Set up (venv, .env, database, static files) and serve on http://127.0.0.1:8000 with gunicorn.
run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	exec $(BIN)/gunicorn --config gunicorn.conf.py

## Set up and run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL).
test: install
	$(TEST_ENV) $(BIN)/pytest

# Benchmarks (long; never part of `make test` or CI). See README "Performance".
DB ?= sqlite
ROUNDS ?= 2
DURATION ?= 0
SCENARIOS ?= light,heavy,max12,max64
BENCH_ARGS := --db $(DB) --rounds $(ROUNDS) --duration $(DURATION) --scenarios $(SCENARIOS)

## Load benchmark, service vs ceiling (about 15 min). Smoke (25 s): make bench DURATION=3 ROUNDS=1 SCENARIOS=max12
bench: install
	BENCH_COMMAND="make bench DB=$(DB) ROUNDS=$(ROUNDS) DURATION=$(DURATION) SCENARIOS=$(SCENARIOS)" $(BIN)/python bench/run.py $(BENCH_ARGS)

## Data-volume benchmark: list pages with 100 vs 100 000 rows, p95 ratio (about 1 min).
bench-volume: install
	$(BIN)/python -m bench.volume --db $(DB)
