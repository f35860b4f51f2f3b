# The two commands a newcomer runs: `make run` (server with demo data) and `make test`.
# Both create .venv and install everything through `make setup`.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
HOST ?= 127.0.0.1
DEMO_USERS ?= 30

# The production-like services `make test` and `make serve` use when they are reachable.
PG_URL ?= postgres://postgres@127.0.0.1:5432/community
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
SERVE_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: setup run test test-fast test-services test-web lint check-migrations schema web web-schema screenshots serve bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# ---------------------------------------------------------------- web client

# `make web` runs `npm ci` when package-lock.json changed and `vite build` when a source changed;
# daphne then serves frontend/dist (no Node at run time).
WEB := frontend
NPM_STAMP := $(WEB)/node_modules/.installed-stamp
WEB_STAMP := $(WEB)/dist/.built-stamp
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) \
	$(wildcard $(WEB)/*.html $(WEB)/*.ts $(WEB)/tsconfig.json $(WEB)/package.json $(WEB)/package-lock.json)

$(NPM_STAMP): $(WEB)/package-lock.json
	cd $(WEB) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_STAMP): $(NPM_STAMP) $(WEB_SOURCES)
	cd $(WEB) && npx vite build --logLevel warn
	touch $@

web: $(WEB_STAMP)

# After an API change: print the schema the client is typed against and regenerate its operations.
web-schema: setup $(NPM_STAMP)
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py graphql_schema --out $(WEB)/schema.graphql
	cd $(WEB) && npm run --silent codegen

# ---------------------------------------------------------------- run

run: setup web
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo --users $(DEMO_USERS)
	@echo ""
	@echo "  Web client:          http://$(HOST):$(PORT)/app/"
	@echo "  GraphQL + GraphiQL:  http://$(HOST):$(PORT)/graphql/"
	@echo "  WebSocket:           ws://$(HOST):$(PORT)/graphql/  (graphql-transport-ws)"
	@echo "  Brand back office:   http://$(HOST):$(PORT)/admin/"
	@echo "  Health:              http://$(HOST):$(PORT)/healthz"
	@echo ""
	@echo "  Periodic work (reminders, finishing events, tie decay, nightly scores): in the server process"
	@echo ""
	DEBUG=1 EMBEDDED_SCHEDULER=1 $(VENV)/bin/daphne -b $(HOST) -p $(PORT) --websocket_connect_timeout 30 community.asgi:application

# ---------------------------------------------------------------- test

# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
define run_pytest
	$(1) $(PY) -m pytest $(2); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status
endef

test: setup lint check-migrations web test-fast test-services test-web

# Style, formatting, and the one-way dependency direction (import-linter contracts in pyproject.toml).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check-migrations: setup
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py makemigrations --check --dry-run

# The fast suite on the embedded defaults: SQLite, in-memory channel layer, eager Celery. Tests
# marked `services` skip here; the whole-suite run below has them (and REQUIRE_SERVICES fails it
# when PostgreSQL or Redis is missing).
test-fast: setup web
	@echo "== fast suite: SQLite, in-memory channel layer, eager Celery"
	@$(call run_pytest,env -u DATABASE_URL -u REDIS_URL -u REQUIRE_SERVICES,-m "not slow" -q)

# The whole suite on PostgreSQL and Redis, when they are reachable (required with REQUIRE_SERVICES=1).
test-services: setup
	@if $(PY) -c "import socket,sys; [socket.create_connection(('127.0.0.1', p), 1).close() for p in (5432, 6379)]" 2>/dev/null; then \
		echo "== whole suite: PostgreSQL and Redis"; \
		$(call run_pytest,DATABASE_URL=$(PG_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_TASK_ALWAYS_EAGER=1,-q); \
	elif [ "$$REQUIRE_SERVICES" = "1" ]; then \
		echo "REQUIRE_SERVICES=1 but PostgreSQL (5432) or Redis (6379) is not reachable"; exit 1; \
	else \
		echo "== PostgreSQL or Redis not reachable: skipped the whole-suite run"; \
	fi

# The web client: the committed schema and generated operations are current, types check, unit tests
# (vitest), the production build, then the end-to-end tests in Chromium against a real daphne with demo
# data (frontend/e2e/, started by the harness on a free port with its own SQLite database).
test-web: setup $(NPM_STAMP)
	@echo "== web client: schema, codegen, types, unit tests, build, end-to-end in Chromium"
	@env -u DATABASE_URL -u REDIS_URL $(PY) manage.py graphql_schema --out $(WEB)/node_modules/.schema-check.graphql >/dev/null
	@diff -u $(WEB)/schema.graphql $(WEB)/node_modules/.schema-check.graphql \
		|| (echo "frontend/schema.graphql is stale: run make web-schema and commit it"; exit 1)
	cd $(WEB) && npm run --silent codegen:check
	cd $(WEB) && npm run --silent typecheck
	cd $(WEB) && npm run --silent test:unit
	$(MAKE) --no-print-directory web
	cd $(WEB) && npm run --silent test:e2e

# The README's screenshots: the end-to-end tests save theirs to docs/screenshots/.
screenshots: setup web
	cd $(WEB) && E2E_SCREENSHOTS=1 npm run --silent test:e2e

schema: setup
	$(PY) manage.py graphql_schema --out schema.graphql
	$(PY) ../shared/contract/check_contract.py schema.graphql || true

# ---------------------------------------------------------------- production topology on one machine

# Two web servers (WEB1_PORT 8001, WEB2_PORT 8002), a Celery worker and beat, on PostgreSQL and Redis, kept running by
# supervisord (deploy/supervisord.conf): a process that exits is started again; Ctrl-C stops them all
# gracefully. Logs in $(SERVE_DIR)/log; `supervisorctl -c deploy/supervisord.conf status` while it runs.
SERVE_DIR ?= var/serve
WEB1_PORT ?= 8001
WEB2_PORT ?= 8002

serve: setup web
	psql "$(dir $(PG_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(PG_URL))'" | grep -q 1 \
		|| psql "$(dir $(PG_URL))postgres" -c "CREATE DATABASE $(notdir $(PG_URL))"
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(SERVE_REDIS_URL)} $(PY) manage.py migrate --noinput
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(SERVE_REDIS_URL)} $(PY) manage.py collectstatic --noinput -v 0
	mkdir -p $(SERVE_DIR)/log
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(SERVE_REDIS_URL)} \
		DB_POOL_MAX_SIZE=$${DB_POOL_MAX_SIZE:-20} SERVE_MEDIA=$${SERVE_MEDIA:-1} PROJECT_DIR=$(CURDIR) PYTHON=$(CURDIR)/$(PY) \
		SERVE_DIR=$(abspath $(SERVE_DIR)) WEB1_PORT=$(WEB1_PORT) WEB2_PORT=$(WEB2_PORT) \
		$(VENV)/bin/supervisord -c deploy/supervisord.conf

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 media staticfiles var .pytest_cache .ruff_cache $(WEB)/node_modules $(WEB)/dist
