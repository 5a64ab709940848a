# Passerelle — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app matching
HOST ?= 127.0.0.1
PORT ?= 5000
PO_FILES := $(wildcard matching/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-postgres lint format translations extract-messages bench e2e load clean help

help:
	@echo "make run            install, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "                    with the reminder scheduler beside it (Ctrl-C stops both)"
	@echo "make test           lint, then the whole test suite on SQLite"
	@echo "make test-postgres  the suite on TEST_DATABASE_URL (PostgreSQL)"
	@echo "make bench          performance goals (exits non-zero when one is missed)"
	@echo "make load           Locust, 50 users for 2 minutes, gunicorn + PostgreSQL (p95 <= 300 ms)"
	@echo "make e2e            browser journeys and accessibility (Debian's chromium, screenshots in e2e-artifacts/)"

# The virtual environment is rebuilt only when pyproject.toml changes.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres]'
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres,dev]'
	@touch $@ $(VENV)/.run-installed

%.mo: %.po | $(VENV)/.run-installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

translations: $(MO_FILES)

# The web server and the scheduler (reminders) run side by side; the scheduler is a
# background job of this shell, which stops it when the server stops (Ctrl-C).
# `reminders run --digest-now` makes today's demo reminders and digests at once.
run: $(VENV)/.run-installed translations
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty
	$(FLASK) reminders run --digest-now
	@$(FLASK) demo-accounts
	@$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n auto

test-postgres: $(VENV)/.dev-installed translations
	@test -n "$(TEST_DATABASE_URL)" || { echo "Set TEST_DATABASE_URL=postgresql+psycopg://user@host:port/db"; exit 1; }
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -n auto

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

extract-messages: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o matching/translations/messages.pot .
	$(BIN)/pybabel update -i matching/translations/messages.pot -d matching/translations --no-fuzzy-matching

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.run

$(VENV)/.load-installed: pyproject.toml | $(VENV)/.dev-installed
	$(BIN)/pip install --quiet -e '.[postgres,dev,load]'
	@touch $@

load: $(VENV)/.load-installed translations
	bash benchmarks/load/run.sh

$(VENV)/.e2e-installed: pyproject.toml | $(VENV)/.dev-installed
	$(BIN)/pip install --quiet -e '.[postgres,dev,e2e]'
	@touch $@

# Playwright drives the system's Chromium (CHROMIUM=/usr/bin/chromium): no download.
e2e: $(VENV)/.e2e-installed translations
	@command -v $${CHROMIUM:-chromium} >/dev/null || { echo "Install Chromium first: apt-get install chromium"; exit 1; }
	rm -rf e2e-artifacts && mkdir -p e2e-artifacts
	$(BIN)/pytest e2e -p no:cacheprovider --basetemp=e2e-artifacts/tmp -o testpaths=e2e

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
