# The README's two commands are `make run` and `make test`; everything else supports them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DEMO_PASSWORD ?= safeguarding-demo-2026

.PHONY: run test install install-test system-deps assets migrate demo serve lint format worker beat bench ci

run: install assets migrate demo serve ## Install, build, migrate, load demo content, serve

test: install-test assets ## Install and run the whole test suite
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

.install-stamp: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

.install-stamp-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch .install-stamp $@

install: system-deps .install-stamp

install-test: system-deps .install-stamp-test

# Debian packages: Chromium for browser tests, Graphviz for scenario graphs, Pango for PDFs,
# wrk for bench/pages.py.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium chromium-driver"; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/app.css: node_modules/.package-lock.json static/src/*.scss static/src/app.js
	npm run --silent build
	mkdir -p static/vendor/govuk static/vendor/axe
	cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk/
	cp node_modules/axe-core/axe.min.js static/vendor/axe/
	cp static/src/app.js static/build/app.js

assets: static/build/app.css

migrate: install
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo

# Celery runs tasks eagerly here (no broker); `celery beat` beside the web server runs the
# periodic ones (the delivery sweeper every minute, reminders, rollups) in its own process.
serve:
	@$(BIN)/celery -A config beat --loglevel=warning --schedule=$(VENV)/celerybeat-schedule & \
	beat=$$!; trap 'kill $$beat 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(BIN)/celery -A config worker --loglevel=info

beat: install
	$(BIN)/celery -A config beat --loglevel=info

bench: install-test assets
	$(BIN)/pip install --quiet -e ".[test,bench]"
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

ci:
	bash .ci/run
