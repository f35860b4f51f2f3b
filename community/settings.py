"""Settings for every environment, driven by environment variables.

With nothing set the project runs on SQLite, the in-memory channel layer, a local-memory cache
and eager Celery, so `make run` needs no services. `DATABASE_URL` and `REDIS_URL` switch to the
production topology (PostgreSQL, channels-redis, a Redis broker and cache).
"""

import ipaddress
import os
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"


def weak_secret_key(key: str) -> bool:
    """Missing, Django's insecure prefix, a placeholder, or shorter or plainer than Django's own check wants."""
    return (
        not key
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
        or "change-me" in key.lower()
        or len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    )


def serves_requests() -> bool:
    """Whether this process may sign sessions and tokens for real users: anything but the test runner and
    the management commands other than runserver (migrate, collectstatic, makemigrations --check...)."""
    if "pytest" in sys.modules:
        return False
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if program in ("manage.py", "django-admin"):
        return sys.argv[1:2] == ["runserver"]
    return True


# With DEBUG off a server (daphne, community.server, a Celery worker) refuses to start without a real key;
# DEBUG, the tests and management commands fall back to the development key (`check --deploy` flags it).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if weak_secret_key(SECRET_KEY):
    if not DEBUG and serves_requests():
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value with DEBUG off (at least "
            f"{SECRET_KEY_MIN_LENGTH} characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Served over HTTPS behind a TLS-terminating proxy (nginx or a load balancer).
HTTPS = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# HSTS in production (DEBUG off): SecurityMiddleware sends it on HTTPS requests only (directly, or through the
# TLS proxy's X-Forwarded-Proto), so a plain-HTTP development server never pins a browser to HTTPS.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS or not DEBUG else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The Content-Security-Policy of the web pages (the client at /app/, GraphiQL, the admin), sent on HTML
# responses by community.security.ContentSecurityPolicyMiddleware; on by default with DEBUG off (Vite's dev
# server needs inline scripts), "" turns it off. Scripts only from our origin: none of the pages has an inline
# script. Inline styles are allowed (React's style attributes, GraphiQL's page); the WebSocket is 'self'.
DEFAULT_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
CONTENT_SECURITY_POLICY = os.environ.get("CONTENT_SECURITY_POLICY", "" if DEBUG else DEFAULT_CONTENT_SECURITY_POLICY)

INSTALLED_APPS = [
    "daphne",
    "community.admin_config.BrandAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "graphene_django",
    "channels",
    "community",
    "circles",
    "events",
    "community.content",
    "community.messaging",
    "community.moderation",
    "gamification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "community.accounts.middleware.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "community.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "community.urls"
ASGI_APPLICATION = "community.asgi.application"
AUTH_USER_MODEL = "community.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ---------------------------------------------------------------- data stores

DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Under daphne every request runs its sync code in a thread of its own, so a persistent connection
# per thread is one connection per request in flight: DB_POOL_MAX_SIZE bounds them with psycopg's pool
# (requests wait for a free connection instead of exhausting PostgreSQL's max_connections). Without a
# pool, connections are closed after each request (CONN_MAX_AGE 0), as Django advises under ASGI.
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 0)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=0 if DB_POOL_MAX_SIZE else env_int("CONN_MAX_AGE", 0)
        )
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = not DB_POOL_MAX_SIZE
    if DB_POOL_MAX_SIZE:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(4, DB_POOL_MAX_SIZE),
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT") or 30),
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Several daphne threads and the eager Celery share one file.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # A file, not memory, so a live server started by the tests sees the same data.
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH", str(BASE_DIR / ".test-db.sqlite3"))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_GROUP_EXPIRY_SECONDS = env_int("CHANNEL_GROUP_EXPIRY_SECONDS", 300)
# How often each web process checks that the channel layer still holds its sockets' groups (a Redis
# restart loses them silently): community/graphql/consumers.py `_LayerWatcher`. 0 turns it off.
CHANNEL_LAYER_WATCH_SECONDS = float(os.environ.get("CHANNEL_LAYER_WATCH_SECONDS", "1"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "community"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "community"),
                "capacity": env_int("CHANNEL_LAYER_CAPACITY", 1000),
                "expiry": 60,
                # Memberships of a process that died without leaving its groups expire after this; live
                # sockets renew theirs (consumers.py), so it bounds only the dead ones (channels' default: 24 h).
                "group_expiry": CHANNEL_GROUP_EXPIRY_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"group_expiry": CHANNEL_GROUP_EXPIRY_SECONDS},
        }
    }

# ---------------------------------------------------------------- Celery

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://localhost/")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = env_bool("CELERY_TASK_EAGER_PROPAGATES", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits for the broker as long as it takes (the default gives up after 100 attempts, then exits).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # kombu's Redis transport with the fix that keeps the worker alive through a Redis outage (broker.py).
    CELERY_BROKER_TRANSPORT = "community.broker:Transport"
# Tasks running when the broker goes away finish their work (they are idempotent); their acks are lost,
# so they may run again once Redis restores them: better than cancelling work that can be completed.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# A broker that is down must not hang a request: publishing fails fast and is retried by beat.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# One quick retry for a blip (Celery's default, three retries 0.2 s apart, added 0.6 s to every write
# while Redis was down).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.05, "interval_max": 0.1}
CELERY_TIMEZONE = "Asia/Shanghai"
# Beat's safety net: every this often, activities left undispatched for this long (broker down, worker
# killed) are dispatched again.
ACTIVITY_REDISPATCH_SECONDS = env_int("ACTIVITY_REDISPATCH_SECONDS", 60)
# Where a worker's time goes: each dispatched batch logs its size and the time of each consumer (a warning,
# so a worker at its usual log level shows it). Off unless asked for (bench/signup_burst.py sets it).
ACTIVITY_PROFILE = env_bool("ACTIVITY_PROFILE", False)
CELERY_BEAT_SCHEDULE = {
    "redispatch-stale-activities": {
        "task": "community.tasks.redispatch_stale_activities",
        "schedule": float(ACTIVITY_REDISPATCH_SECONDS),
    },
    # Reminders 24 h and 2 h before an event (each once per sign-up), and events that have ended.
    "send-event-reminders": {"task": "events.tasks.send_event_reminders", "schedule": 300.0},
    "finish-ended-events": {"task": "events.tasks.finish_ended_events", "schedule": 300.0},
    # Idempotency keys older than any client retry (community/kernel/idempotency.py).
    "forget-old-idempotency-keys": {"task": "community.tasks.forget_old_idempotency_keys", "schedule": 3600.0},
    # Nightly (Asia/Shanghai): tie decay, then user activity profiles, then circle scores; each idempotent.
    # Data export zips past their expiry are deleted.
    "delete-expired-data-exports": {"task": "community.tasks.delete_expired_data_exports", "schedule": 3600.0},
    # Accounts past their deletion grace period are erased.
    "erase-deleted-accounts": {"task": "community.tasks.erase_deleted_accounts", "schedule": 3600.0},
    "decay-ties": {"task": "gamification.tasks.decay_ties", "schedule": crontab(hour=3, minute=0)},
    "recompute-activity-profiles": {
        "task": "gamification.tasks.recompute_activity_profiles",
        "schedule": crontab(hour=3, minute=20),
    },
    "recompute-circle-scores": {
        "task": "gamification.tasks.recompute_circle_scores",
        "schedule": crontab(hour=3, minute=40),
    },
}

# `make run` (no worker, no beat) runs beat's schedule in a thread of the daphne process instead:
# community/scheduler.py. Off by default: production runs Celery beat.
EMBEDDED_SCHEDULER = env_bool("EMBEDDED_SCHEDULER", False)

# ---------------------------------------------------------------- auth

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "community.accounts.passwords.NotOnlyWhitespaceValidator"},
]
AUTH_TOKEN_TTL_DAYS = env_int("AUTH_TOKEN_TTL_DAYS", 30)
# Login failures allowed per (username, address) pair in a window, and per address across usernames.
LOGIN_ATTEMPTS_PER_WINDOW = env_int("LOGIN_ATTEMPTS_PER_WINDOW", 5)
LOGIN_ATTEMPTS_PER_ADDRESS = env_int("LOGIN_ATTEMPTS_PER_ADDRESS", 100)
LOGIN_ATTEMPT_WINDOW_SECONDS = env_int("LOGIN_ATTEMPT_WINDOW_SECONDS", 900)
REGISTRATIONS_PER_IP_PER_HOUR = env_int("REGISTRATIONS_PER_IP_PER_HOUR", 20)
# Codes sent to a phone or email (verifying a contact, resetting a password): how long they last,
# how many wrong tries kill one, and how many may be sent per contact and per IP address per hour.
# Text messages go through SMS_BACKEND (a dotted path, like EMAIL_BACKEND); development prints them.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "community.accounts.sms.ConsoleBackend")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes (the end-to-end tests read codes there).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "community@example.com")
# Data exports: zips kept outside MEDIA_ROOT (never served as media), downloadable by their owner for a while.
DATA_EXPORT_ROOT = os.environ.get("DATA_EXPORT_ROOT", str(BASE_DIR / "private" / "exports"))
DATA_EXPORT_TTL_HOURS = env_int("DATA_EXPORT_TTL_HOURS", 72)
DATA_EXPORTS_PER_DAY = env_int("DATA_EXPORTS_PER_DAY", 3)
# A deleted account can be restored by logging in for this many days, then beat erases it.
ACCOUNT_DELETION_GRACE_DAYS = env_int("ACCOUNT_DELETION_GRACE_DAYS", 15)
CONTACT_CODE_TTL_SECONDS = env_int("CONTACT_CODE_TTL_SECONDS", 600)
CONTACT_CODE_MAX_ATTEMPTS = env_int("CONTACT_CODE_MAX_ATTEMPTS", 5)
CONTACT_CODES_PER_CONTACT_PER_HOUR = env_int("CONTACT_CODES_PER_CONTACT_PER_HOUR", 5)
CONTACT_CODES_PER_IP_PER_HOUR = env_int("CONTACT_CODES_PER_IP_PER_HOUR", 20)
# Prefix of rate-limit keys: lets tests and several deployments sharing one Redis stay apart.
RATELIMIT_NAMESPACE = os.environ.get("RATELIMIT_NAMESPACE", "")

# ---------------------------------------------------------------- i18n

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "community" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------- files

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media is served by Django in development and `make run`; production serves MEDIA_ROOT from nginx.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)  # as the header declares them, before decoding
IMAGE_MAX_DECODED_PIXELS = env_int("IMAGE_MAX_DECODED_PIXELS", 24_000_000)  # a photo, after JPEG draft scaling
AVATAR_MAX_DECODED_PIXELS = env_int("AVATAR_MAX_DECODED_PIXELS", 4_194_304)  # 2048 x 2048
PHOTO_MAX_SIDE = env_int("PHOTO_MAX_SIDE", 4096)  # the stored copy's longest side
AVATAR_MAX_SIDE = env_int("AVATAR_MAX_SIDE", 1024)
AVATAR_THUMBNAIL_SIZE = 256
POST_THUMBNAIL_SIZE = 480

# ---------------------------------------------------------------- GraphQL

GRAPHENE = {
    "SCHEMA": "community.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    "ATOMIC_MUTATIONS": False,
}
GRAPHQL_MAX_QUERY_BYTES = env_int("GRAPHQL_MAX_QUERY_BYTES", 20_000)
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 12)
GRAPHQL_MAX_ALIASES = env_int("GRAPHQL_MAX_ALIASES", 30)
GRAPHQL_MAX_FIELDS = env_int("GRAPHQL_MAX_FIELDS", 400)
GRAPHQL_MAX_TOKENS = env_int("GRAPHQL_MAX_TOKENS", 1000)
GRAPHQL_MAX_FRAGMENTS = env_int("GRAPHQL_MAX_FRAGMENTS", 30)
GRAPHQL_MAX_VARIABLES = env_int("GRAPHQL_MAX_VARIABLES", 50)
GRAPHQL_MAX_FIELD_REPEATS = env_int("GRAPHQL_MAX_FIELD_REPEATS", 6)
GRAPHQL_MAX_COST = env_int("GRAPHQL_MAX_COST", 25_000)
GRAPHQL_PAGE_SIZE_DEFAULT = 20
GRAPHQL_PAGE_SIZE_MAX = 100

# Stopping a server (community/server.py): SIGTERM drains requests in flight for at most this long, and
# the process exits at the latest the margin after that.
SHUTDOWN_GRACE_SECONDS = float(os.environ.get("SHUTDOWN_GRACE_SECONDS", "15"))
SHUTDOWN_EXIT_MARGIN_SECONDS = float(os.environ.get("SHUTDOWN_EXIT_MARGIN_SECONDS", "5"))

# graphql-transport-ws
WS_CONNECTION_INIT_TIMEOUT = float(os.environ.get("WS_CONNECTION_INIT_TIMEOUT", "10"))
WS_KEEPALIVE_SECONDS = float(os.environ.get("WS_KEEPALIVE_SECONDS", "25"))
WS_MAX_SUBSCRIPTIONS = env_int("WS_MAX_SUBSCRIPTIONS", 50)

# ---------------------------------------------------------------- logging

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Eager Celery (make run, seed_demo) runs every task inline: one "succeeded" line per task
        # would flood the terminal. A real worker keeps its usual log.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}

# The proxies (addresses or networks, e.g. "127.0.0.1,10.0.0.0/8") whose X-Forwarded-For is believed: the
# client's address is the rightmost X-Forwarded-For entry that is not one of them (community.accounts.middleware
# .client_ip); with none, REMOTE_ADDR. The older USE_X_FORWARDED_FOR=1 means "nginx on this host" (loopback).
TRUSTED_PROXIES = env_list(
    "TRUSTED_PROXIES", ["127.0.0.1/32", "::1/128"] if env_bool("USE_X_FORWARDED_FOR", False) else []
)
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network") from None
# Absolute links (avatars, images) for clients that are not browsers, e.g. https://app.example.com
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

# The new-user sandbox (community/safety/trust.py): tighter limits until an account is this old and active.
NEW_USER_DAYS = env_int("NEW_USER_DAYS", 3)
NEW_USER_ACTIONS = env_int("NEW_USER_ACTIONS", 10)

# ---------------------------------------------------------------- web client

# Vite builds frontend/ into WEB_CLIENT_DIST; staticfiles serves its assets at /static/app/ and
# community.webclient its index page at /app/. With DEBUG off WhiteNoise serves STATIC_ROOT (after
# collectstatic), compressed, the hashed client assets cached for a year.
WEB_CLIENT_DIST = Path(os.environ.get("WEB_CLIENT_DIST", BASE_DIR / "frontend" / "dist"))
STATICFILES_DIRS = [("app", WEB_CLIENT_DIST)] if WEB_CLIENT_DIST.is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if not DEBUG:
    _security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    MIDDLEWARE.insert(_security + 1, "whitenoise.middleware.WhiteNoiseMiddleware")


def _immutable_client_asset(path: str, url: str) -> bool:
    return url.startswith(f"{STATIC_URL}app/assets/")


WHITENOISE_IMMUTABLE_FILE_TEST = _immutable_client_asset
