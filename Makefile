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

.PHONY: setup run test test-fast test-services lint check-migrations schema serve bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# ---------------------------------------------------------------- run

run: setup
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo --users $(DEMO_USERS)
	@echo ""
	@echo "  GraphQL + GraphiQL:  http://$(HOST):$(PORT)/graphql/"
	@echo "  WebSocket:           ws://$(HOST):$(PORT)/graphql/  (graphql-transport-ws)"
	@echo "  Brand back office:   http://$(HOST):$(PORT)/admin/"
	@echo "  Health:              http://$(HOST):$(PORT)/healthz"
	@echo ""
	@echo "  Periodic work (reminders, finishing events, tie decay, nightly scores): in the server process"
	@echo ""
	DEBUG=1 EMBEDDED_SCHEDULER=1 $(VENV)/bin/daphne -b $(HOST) -p $(PORT) community.asgi:application

# ---------------------------------------------------------------- test

# pytest exits 5 when it collected no tests: that is a failure here, never a pass.
define run_pytest
	$(1) $(PY) -m pytest $(2); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status
endef

test: setup lint check-migrations test-fast test-services

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
test-fast: setup
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

schema: setup
	$(PY) manage.py graphql_schema --out schema.graphql
	$(PY) ../shared/contract/check_contract.py schema.graphql || true

# ---------------------------------------------------------------- production topology on one machine

# Two daphne processes (8001, 8002), a Celery worker and beat, on PostgreSQL and Redis (see Procfile).
serve: setup
	psql "$(dir $(PG_URL))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$(notdir $(PG_URL))'" | grep -q 1 \
		|| psql "$(dir $(PG_URL))postgres" -c "CREATE DATABASE $(notdir $(PG_URL))"
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(SERVE_REDIS_URL)} $(PY) manage.py migrate --noinput
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(SERVE_REDIS_URL)} $(PY) manage.py collectstatic --noinput -v 0
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} REDIS_URL=$${REDIS_URL:-$(SERVE_REDIS_URL)} \
		DB_POOL_MAX_SIZE=$${DB_POOL_MAX_SIZE:-20} PATH=$(CURDIR)/$(VENV)/bin:$$PATH \
		$(VENV)/bin/honcho start -f Procfile

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 media staticfiles .pytest_cache .ruff_cache
