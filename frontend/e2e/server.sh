#!/usr/bin/env bash
# The server the end-to-end tests run against: a fresh SQLite database with the demo data, static
# files collected, daphne with DEBUG off (WhiteNoise serves the client as in production), eager Celery
# and the in-memory channel layer. Playwright starts it on E2E_PORT and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
state="${E2E_STATE_DIR:-$PWD/frontend/.e2e}"  # its own folder when two runs share a working copy
rm -rf "$state"
mkdir -p "$state"
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL
export DEBUG=0 SERVE_MEDIA=1 LOG_LEVEL=WARNING \
  SQLITE_PATH="$state/db.sqlite3" MEDIA_ROOT="$state/media" STATIC_ROOT="$state/static" \
  REGISTRATIONS_PER_IP_PER_HOUR=10000 LOGIN_ATTEMPTS_PER_WINDOW=1000 RATELIMIT_NAMESPACE="e2e-$$" \
  CONTACT_CODES_PER_IP_PER_HOUR=1000 \
  EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$state/mail"
# Codes for contacts and password resets go by email to files in $state/mail (e2e/fixtures.ts reads them).
py=.venv/bin/python
# DEBUG off: the server refuses to start without a real key (one per run is enough here).
export SECRET_KEY="${SECRET_KEY:-$($py -c 'import secrets; print(secrets.token_urlsafe(50))')}"
$py manage.py migrate --noinput -v 0
$py manage.py seed_demo --users "${E2E_DEMO_USERS:-20}" >"$state/seed.log" 2>&1 || { cat "$state/seed.log"; exit 1; }
$py manage.py collectstatic --noinput -v 0
exec .venv/bin/daphne -b 127.0.0.1 -p "${E2E_PORT:?}" community.asgi:application
