# Vienuviet — `make run` starts everything on embedded defaults; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: help run test lint typecheck pytest lock clean system-deps browser-deps messages env-example

help:
	@echo "make run    install, migrate, seed demo data and start every process (http://127.0.0.1:8000)"
	@echo "make test   install what is missing and run every check (lint, types, tests)"
	@echo "make messages  extract translatable strings and update the lv, en, ru catalogs"
	@echo "make env-example  rewrite .env.example from the settings declared in backend/settings/"

$(STAMP): pyproject.toml requirements.lock
	@scripts/ensure-python-venv "$(PYTHON)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

run: $(STAMP)
	$(BIN)/vienuviet dev

test: $(STAMP) system-deps browser-deps lint typecheck pytest

system-deps:
	@scripts/ensure-test-deps

# Test-only JavaScript (axe-core), pinned by its lock file; reinstalled when the lock changes.
BROWSER_NODE := tests/browser/node
AXE := $(BROWSER_NODE)/node_modules/axe-core/axe.min.js
browser-deps: $(AXE)
$(AXE): $(BROWSER_NODE)/package-lock.json | system-deps
	npm ci --prefix $(BROWSER_NODE) --no-audit --no-fund --loglevel=error
	@touch $@

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

# Extract translatable strings, then bring every language's catalog up to date. Translate the
# new entries (empty msgstr) in lv and ru; tests/unit/test_translations.py lists what is missing.
LOCALES := pwa/locales
messages: $(STAMP)
	@mkdir -p $(LOCALES)
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 -k lazy_gettext \
	  --add-location=file --sort-by-file --width=100 --project=Vienuviet \
	  --copyright-holder="Vienuviet developers" -o $(LOCALES)/messages.pot .
	@for lang in lv en ru; do \
	  if [ -f $(LOCALES)/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel -q update -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang \
	      --no-fuzzy-matching --ignore-obsolete --width=100; \
	  else \
	    $(BIN)/pybabel -q init -i $(LOCALES)/messages.pot -d $(LOCALES) -l $$lang --width=100; \
	  fi; \
	done

# .env.example is written from the declarations; tests/unit/test_settings_example.py fails
# while the committed file differs.
env-example: $(STAMP)
	$(BIN)/python -m backend.settings.example .env.example

lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	{ echo "# Pinned versions of every package Vienuviet installs (constraints for pip)."; \
	  echo "# Regenerate with 'make lock' after changing dependencies in pyproject.toml."; \
	  .venv-lock/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var/*.sqlite3* $(BROWSER_NODE)/node_modules bench/node/node_modules
