# councils.coop — `make help` lists the targets.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
CHROMIUM ?= /usr/bin/chromium
AXE    := node_modules/axe-core/axe.min.js

.PHONY: help install run test test-browser test-parity lint format migrate demo superuser clean \
	bench bench-load backup restore audit audit-code audit-deps

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools

migrate: install ## Apply database migrations (SQLite db.sqlite3 unless DATABASE_URL is set)
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo content from the seed (idempotent)
	$(BIN)/python manage.py load_demo_content

superuser: migrate ## Create the local admin user (dev settings only; prints its password once)
	$(BIN)/python manage.py create_local_admin --host $(HOST)

# The admin's address and one-time password come last, after the migrate and demo output,
# so they are on screen when the server starts.
# The background worker (the admin's WordPress import) runs beside the server and stops with it.
run: demo ## Install, migrate, load demo content, create the local admin and serve (HOST=127.0.0.1:8000)
	@$(BIN)/python manage.py create_local_admin --host $(HOST)
	@$(BIN)/python manage.py db_worker --backend background --queue-name '*' --no-reload & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

# The suite runs in parallel, one worker per CPU (pytest-xdist); a file's tests stay on one
# worker, so data a module builds once (tests/conftest.py's module_atomic) is built once.
PYTEST_PARALLEL ?= -n auto --dist loadfile

test: install ## Run ruff (lint and format check) and the whole test suite, in parallel
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(AXE)

$(CHROMIUM):
	apt-get install -y chromium || (apt-get update && apt-get install -y chromium)

test-browser: install $(AXE) $(CHROMIUM) ## Browser tests in Chromium: axe (WCAG 2.2 AA), keyboard, journeys
	$(BIN)/python -m pytest tests/browser -m browser -p no:cacheprovider

test-parity: install ## Production parity: two gunicorn servers, PostgreSQL, a Redis that fails
	$(BIN)/python -m pytest tests/parity -m parity -p no:cacheprovider

BENCH_DB := ccin_bench_$(shell date +%s)
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
/usr/bin/wrk:
	apt-get install -y wrk || (apt-get update && apt-get install -y wrk)

# Issue 21's render budget against Wagtail's bakerydemo (bench/README.md): with
# REFERENCE=/path/to/bakerydemo REFERENCE_PYTHON=/path/to/its/venv/bin/python (optionally
# REFERENCE_SETTINGS, REFERENCE_GIT_DIR, RENDER_BUDGET_ARGS such as --scales 1,10); without
# them, this site's side only.
RENDER_BUDGET_REFERENCE = $(if $(REFERENCE),--reference $(REFERENCE) \
	--reference-python $(REFERENCE_PYTHON) \
	$(if $(REFERENCE_SETTINGS),--reference-settings $(REFERENCE_SETTINGS)) \
	$(if $(REFERENCE_GIT_DIR),--reference-git-dir $(REFERENCE_GIT_DIR)))

bench: install /usr/bin/wrk ## Server times (SQLite, PostgreSQL), throughput (wrk), page weight and the render budget
	@mkdir -p bench/results
	$(BIN)/python bench/server_times.py --out bench/results/server_times_sqlite.md
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	MEDIA_ROOT=$$(mktemp -d) && export MEDIA_ROOT && \
	$(BIN)/python bench/server_times.py --database-url $(BENCH_PG)/$(BENCH_DB) \
		--out bench/results/server_times_postgresql.md && \
	$(BIN)/python bench/throughput.py --database-url $(BENCH_PG)/$(BENCH_DB) \
		--out bench/results/throughput.md --weight-out bench/results/weight.md; \
	status=$$?; dropdb -h 127.0.0.1 -U postgres $(BENCH_DB); exit $$status
	$(BIN)/python bench/render_budget.py --out bench/results/render_budget.md \
		$(RENDER_BUDGET_REFERENCE) $(RENDER_BUDGET_ARGS)
	@cat bench/results/server_times_sqlite.md bench/results/server_times_postgresql.md \
		bench/results/throughput.md bench/results/weight.md bench/results/render_budget.md

BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench-load: $(BENCH_STAMP) ## Load test: 32 visitors for 60 s on gunicorn, PostgreSQL and Redis
	$(BIN)/python bench/load.py --volume $(BENCH_ARGS)

backup: install ## Back up the database and media to backups/ccin-<time>/ (or BACKUP=path)
	$(BIN)/python manage.py backup $(BACKUP)

restore: install ## Restore a backup folder over the database and media: make restore BACKUP=path
	@test -n "$(BACKUP)" || (echo "Usage: make restore BACKUP=backups/ccin-<time>" && exit 2)
	$(BIN)/python manage.py restore $(if $(filter 1 yes,$(NOINPUT)),--noinput) "$(BACKUP)"

AUDIT_CODE := ccin security caching home search operations editorial membership news \
	casestudies api demo wordpress manage.py
audit: audit-code audit-deps ## Security audit: bandit on the app, pip-audit on installed packages

audit-code: install ## bandit (medium severity and up) on the app code
	$(BIN)/bandit -q -r $(AUDIT_CODE) -x '*/migrations/*' --severity-level medium

audit-deps: install ## pip-audit --strict: known vulnerabilities, or any package it could not check, fail
	$(BIN)/pip-audit --strict --skip-editable --local --progress-spinner off || { \
	  echo "*** make audit FAILED: pip-audit found a known vulnerability (listed above) or could"; \
	  echo "*** not reach PyPI's advisory data to check every package. Not a pass. ***"; exit 1; }

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the venv, the local database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles media node_modules
