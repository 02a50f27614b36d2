# The front door. `make run` and `make test` set up everything they need on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Read by compute_advisor/settings.py (DEVELOPMENT_KEY_FILE) when SECRET_KEY is not set.
DEV_KEY := var/development-secret-key
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages, installed only when missing: what the app needs (WeasyPrint renders PDFs with
# Pango and needs fonts), and what the tests need on top (Chromium for the browser tests, pdftoppm).
APT_RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
APT_TEST_PACKAGES := $(APT_RUN_PACKAGES) chromium poppler-utils
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# `make run` is for a developer's machine: DEBUG on unless the environment says otherwise.
MANAGE := DEBUG=$${DEBUG:-1} $(BIN)/python manage.py
TEST_MANAGE := DJANGO_SETTINGS_MODULE=compute_advisor.settings_test $(BIN)/python manage.py

# Steps the targets below call; not for users, so `make help` leaves them out (tests/test_docs.py checks
# that it lists every other target).
INTERNAL_TARGETS := system-deps system-test-deps apt-install
.PHONY: help install run serve load test bench fuzz lint typecheck fmt reset-db migrate seed $(INTERNAL_TARGETS)

help:
	@echo "make run       set up, load the seed prices and serve on http://$(HOST):$(PORT)"
	@echo "make test      set up and run every test (PYTEST_ARGS=... to pass pytest options)"
	@echo "make install   create .venv, install the locked dependencies and make a development SECRET_KEY"
	@echo "make migrate   install and apply the database migrations"
	@echo "make seed      migrate, and load the seed prices when no snapshot is active"
	@echo "make reset-db  delete db.sqlite3 and load the seed prices again"
	@echo "make serve     production mode: gunicorn, Celery worker and beat (needs DATABASE_URL, REDIS_URL, SECRET_KEY)"
	@echo "make load      start the production stack on 127.0.0.1 and measure it under load"
	@echo "make bench     benchmarks that print figures"
	@echo "make fuzz      schemathesis against the API with more generated cases (FUZZ_EXAMPLES, default 1000)"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make typecheck mypy, strict on the engine and the services (configured in pyproject.toml)"
	@echo "make fmt       ruff format, then ruff check --fix"
	@echo "make help      this list"

install: $(STAMP) $(DEV_KEY)

# Re-installs only when the project or its lock changes, so a second `make` is quick.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed, found " + sys.version)'
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# The key the settings use when SECRET_KEY is not in the environment, so that every README command works
# from a plain shell. Random, made once per checkout, mode 600, git-ignored (var/); production refuses it.
$(DEV_KEY): | $(STAMP)
	@$(BIN)/python -c 'import sys; from pathlib import Path; from compute_advisor.lib.env import development_key_create; \
		development_key_create(Path(sys.argv[1])) and print("made a development SECRET_KEY in", sys.argv[1])' $@

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) load_seed_prices --if-none

run: system-deps seed
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) runserver $(HOST):$(PORT)

# Production mode: see README ("Running it in production").
serve: install system-deps
	$(BIN)/python scripts/serve.py --host $(HOST) --port $(PORT)

load: install system-deps
	$(BIN)/python scripts/load.py $(LOAD_ARGS)

system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_RUN_PACKAGES)"

system-test-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_TEST_PACKAGES)"

apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

test: install system-test-deps
	@$(TEST_MANAGE) makemigrations --check --dry-run >/dev/null || (echo "models changed without a migration"; exit 1)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fuzz: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-1000} $(BIN)/python -m pytest tests/api/test_fuzz.py -q

bench: install system-deps
	LOG_LEVEL=$${LOG_LEVEL:-WARNING} $(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

reset-db:
	rm -f db.sqlite3
	$(MAKE) seed
