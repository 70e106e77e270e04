# devicebank: `make run` serves the demo on SQLite; `make test` runs lint and the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/devicebank
PYTEST_WORKERS ?= auto

.PHONY: run test test-pg test-browser lint typecheck bench install install-dev system-packages browser-packages lock \
	frontend \
	worker beat clean

$(VENV)/.base: requirements/base.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

## run: the app on SQLite under var/ with the demo scheme, at http://127.0.0.1:8000
run: $(VENV)/.base
	@mkdir -p var
	DEBUG=1 $(BIN)/devicebank migrate --noinput
	DEBUG=1 $(BIN)/devicebank seed-demo
	@echo "Serving devicebank at http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	DEBUG=1 $(BIN)/devicebank runserver $(HOST):$(PORT)

## worker: a Celery worker (needs CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0)
worker: $(VENV)/.base
	$(BIN)/celery -A devicebank worker --loglevel=INFO -Q default

## beat: Celery beat, the periodic jobs in CELERY_BEAT_SCHEDULE (the stuck-job sweeper); one per install
beat: $(VENV)/.base
	$(BIN)/celery -A devicebank beat --loglevel=INFO

## lint: ruff, and the import contracts between apps (pyproject.toml, docs/architecture.md "Layers")
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev
	$(BIN)/mypy devicebank

## test: lint (with the import contracts), types, migrations check and the whole suite on SQLite (browser tests: make test-browser)
test: $(VENV)/.dev system-packages
	$(MAKE) --no-print-directory lint typecheck
	DJANGO_SETTINGS_MODULE=devicebank.settings_test $(BIN)/devicebank makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS) -q

## test-pg: the same suite on PostgreSQL (PG_URL; the server must be running: scripts/ensure-postgres.sh)
test-pg: $(VENV)/.dev system-packages
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) -q

## test-browser: Playwright in Debian's Chromium with axe-core on every page visited. Installs chromium, nodejs and npm
## from Debian when it may (root or passwordless sudo), else stops and prints the apt-get command to run.
test-browser: $(VENV)/.dev browser-packages node_modules/axe-core/axe.min.js
	$(BIN)/pytest -m browser -q -p no:xdist

node_modules/axe-core/axe.min.js: package.json package-lock.json | browser-packages
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-packages:
	@scripts/install-system-packages.sh

browser-packages:
	@scripts/install-system-packages.sh --browser

## bench: measured figures, printed and written to bench/results/ (BENCH_SCALE=small for a quick run)
bench: $(VENV)/.dev
	$(BIN)/python -m bench.run

## frontend: rebuild the committed GOV.UK Frontend CSS/JS (needs Node)
frontend:
	scripts/build-frontend.sh

## lock: regenerate the hash-locked requirements from requirements/*.in
lock:
	$(BIN)/python -m pip install --quiet uv==0.13.9
	cd requirements && ../$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --no-strip-extras base.in -o base.txt
	cd requirements && ../$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --no-strip-extras dev.in -o dev.txt

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
