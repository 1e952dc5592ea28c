# The README's two commands: `make run` (set up and serve) and `make test` (set up and test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes
comma := ,

# Debian's Chromium drives the admin's browser tests (inventory/tests/test_browser.py,
# webstore/tests/test_backoffice_browser.py).
export CHROMIUM_PATH ?= /usr/bin/chromium
# Debian's prometheus package gives the monitoring tests promtool and a real Prometheus
# (webstore/tests/test_monitoring.py).
export PROMTOOL_PATH ?= /usr/bin/promtool
export PROMETHEUS_PATH ?= /usr/bin/prometheus


# Black-box clients and the load test talk to a running server (`make run` in another shell).
BASE_URL ?= http://127.0.0.1:8000
SCENARIO ?= light
RUN_TIME ?=


.PHONY: run test install browser prometheus lint fmt lock lock-check blackbox newman loadtest bench \
	bench-volume bench-export profile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What serving needs, from the runtime lock (requirements.txt, as Render's build installs it).
$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

## Everything: tests, tools and tracing on top of the runtime set (requirements-dev.txt, the full
## lock). Bare `pytest` works after it.
install: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

.env:
	cp .env.example .env

# Static files (admin, Swagger UI, ReDoc) come from installed packages only, so they are
# collected once per install. DRF's browsable-API assets are unused and skipped.
staticfiles/staticfiles.json: $(VENV)/.installed-runtime | .env
	$(BIN)/python manage.py collectstatic --noinput --clear --verbosity 0 --ignore rest_framework

## Set up (venv, .env, database, static files) and serve on http://127.0.0.1:8000 with gunicorn.
run: $(VENV)/.installed-runtime .env staticfiles/staticfiles.json
	$(BIN)/python manage.py migrate --noinput
	exec $(BIN)/gunicorn --config gunicorn.conf.py

## Set up and run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL). The test
## environment (DEBUG off, throwaway secrets) is pytest's own, in pyproject.toml.
test: install browser prometheus
	$(BIN)/pytest

## ruff: lint and format check (CI runs this), and `make fmt` to apply both.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The locks: each requirements*.in (direct dependencies, pinned) -> requirements*.txt (every
# transitive dependency, pinned, with hashes). Pins already in a lock are kept.
LOCKS := requirements requirements-otel requirements-dev
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock"

## Re-lock after editing a requirements*.in; UPGRADE=name moves that one package to its newest.
lock: install
	for lock in $(LOCKS); do \
	  $(UV_COMPILE) $(if $(UPGRADE),--upgrade-package $(UPGRADE)) $$lock.in -o $$lock.txt || exit 1; \
	done

## Fails when a lock is not what `make lock` makes of the requirements*.in files (CI runs it).
lock-check: install
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for lock in $(LOCKS); do \
	  cp $$lock.txt "$$tmp/$$lock.txt"; \
	  $(UV_COMPILE) $$lock.in -o "$$tmp/$$lock.txt" || exit 1; \
	  diff -u $$lock.txt "$$tmp/$$lock.txt" || { echo "$$lock.txt is stale: run make lock"; exit 1; }; \
	done

## Installs Debian's chromium for the browser test when it is missing (needs root and apt-get).
browser:
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium not found at $(CHROMIUM_PATH): run 'sudo apt-get install chromium'" \
	      "or set CHROMIUM_PATH (the browser test fails without it)."; \
	  fi; \
	fi

## Installs Debian's prometheus (promtool and the server) for the monitoring tests when missing
## (needs root and apt-get). Debian's package may also start its own service; the tests do not use it.
prometheus:
	@if [ ! -x "$(PROMTOOL_PATH)" ] || [ ! -x "$(PROMETHEUS_PATH)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's prometheus for the monitoring tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null; \
	  else \
	    echo "promtool or prometheus not found at $(PROMTOOL_PATH), $(PROMETHEUS_PATH): run" \
	      "'sudo apt-get install prometheus' or set PROMTOOL_PATH and PROMETHEUS_PATH" \
	      "(the monitoring tests fail without them)."; \
	  fi; \
	fi

## newman (pinned in package-lock.json) for the Postman collection.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Run every black-box client against the server at BASE_URL: both scripts, curl, Postman.
blackbox: install node_modules/.installed
	BASE_URL=$(BASE_URL) $(BIN)/python tests/test_smoke.py
	BASE_URL=$(BASE_URL) $(BIN)/python tests/test_webhook.py
	BASE_URL=$(BASE_URL) ./curl_examples.sh
	$(MAKE) --no-print-directory newman

## The Postman collection with newman against BASE_URL (WEBHOOK_SECRET and API_KEY when set).
newman: node_modules/.installed
	node_modules/.bin/newman run postman_collection.json --color off --env-var base_url=$(BASE_URL) \
		$(if $(WEBHOOK_SECRET),--env-var webhook_secret=$(firstword $(subst $(comma), ,$(WEBHOOK_SECRET)))) \
		$(if $(API_KEY),--env-var api_key=$(API_KEY))

## Headless Locust run of SCENARIO (light|heavy) against BASE_URL; reports in reports/.
loadtest: install
	$(BIN)/locust -f locustfile.py --headless --only-summary --host $(BASE_URL) \
		--scenario $(SCENARIO) $(if $(RUN_TIME),--run-time $(RUN_TIME)) \
		--report-dir reports --html reports/loadtest-$(SCENARIO).html

# Benchmarks (long; never part of `make test` or CI). See docs/performance.md.
DB ?= sqlite
ROUNDS ?= 2
DURATION ?= 0
SCENARIOS ?= light,heavy,max12,max64
TARGETS ?= ceiling,service
# Already running servers in the rotation, NAME=URL separated by spaces, and one optional shell
# command that restarts one of them on a fresh database before each of its runs (NAME=COMMAND).
EXTERNAL ?=
EXTERNAL_RESTART ?=
BENCH_ARGS := --db $(DB) --rounds $(ROUNDS) --duration $(DURATION) --scenarios $(SCENARIOS) \
	--targets $(TARGETS) $(foreach external,$(EXTERNAL),--external $(external)) \
	$(if $(EXTERNAL_RESTART),--external-restart '$(EXTERNAL_RESTART)')

## Load benchmark, service vs ceiling (about 15 min). Smoke (25 s): make bench DURATION=3 ROUNDS=1 SCENARIOS=max12
## With the stack's floors (bench/floor): TARGETS=ceiling,django,drf,service
## With another implementation: EXTERNAL=reference=http://127.0.0.1:8010 EXTERNAL_RESTART='reference=...'
bench: install
	BENCH_COMMAND="make bench DB=$(DB) ROUNDS=$(ROUNDS) DURATION=$(DURATION) SCENARIOS=$(SCENARIOS) TARGETS=$(TARGETS)$(if $(EXTERNAL), EXTERNAL='$(EXTERNAL)')$(if $(EXTERNAL_RESTART), EXTERNAL_RESTART='$(EXTERNAL_RESTART)')" \
		$(BIN)/python bench/run.py $(BENCH_ARGS)

## Data-volume benchmark: list pages with 100 vs 100 000 rows, p95 ratio (about 1 min).
bench-volume: install
	$(BIN)/python -m bench.volume --db $(DB)

## CSV exports of 100 000 orders, payments and stock movements, timed against the worker timeout.
bench-export: install
	$(BIN)/python -m bench.export --db $(DB)

## CPU time and Python calls per request of the benchmark's four requests, in process, on CPU 0.
profile: install
	taskset -c 0 $(BIN)/python -m bench.profile
