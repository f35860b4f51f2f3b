"""When PostgreSQL cannot give a request a connection: telling clients to retry, and telling /healthz.

A request that waited DB_POOL_TIMEOUT for a pooled connection, or was refused one by PostgreSQL
(too many clients, not accepting connections), gets a JSON answer with the code
`SERVICE_UNAVAILABLE` and the seconds to wait (HTTP 503 and Retry-After), never an HTML page or an
opaque internal error. Each such answer is counted here, so /healthz reports the truth during a
burst instead of a cheerful 200.
"""

from __future__ import annotations

import threading
import time
from collections import deque

import psycopg
import psycopg_pool
from django.db import connection

CODE = "SERVICE_UNAVAILABLE"
RETRY_AFTER_SECONDS = 1
# /healthz says "busy" while requests were refused for the database this recently.
BUSY_WINDOW_SECONDS = 10.0
REPORT_WINDOW_SECONDS = 60.0

_UNAVAILABLE = (
    psycopg_pool.PoolTimeout,
    psycopg_pool.TooManyRequests,
    psycopg.errors.TooManyConnections,
    psycopg.errors.CannotConnectNow,
)

_refusals: deque[float] = deque(maxlen=10_000)
_refusals_lock = threading.Lock()


def is_database_unavailable(error: BaseException | None) -> bool:
    """True when `error` (or what caused it) is the database refusing a connection, not a bad query."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, _UNAVAILABLE):
            return True
        # A connection that could not be made at all (refused, reset, timed out) carries no SQLSTATE.
        if type(error) is psycopg.OperationalError and getattr(error, "sqlstate", None) is None:
            return True
        error = getattr(error, "original_error", None) or error.__cause__ or error.__context__
    return False


def record_refusal() -> None:
    with _refusals_lock:
        _refusals.append(time.monotonic())


def refusals_within(seconds: float) -> int:
    cutoff = time.monotonic() - seconds
    with _refusals_lock:
        return sum(1 for moment in _refusals if moment >= cutoff)


def pool_state() -> dict | None:
    """This process's connection pool, from psycopg's own counters; None without a pool."""
    pool = connection.pool if connection.vendor == "postgresql" else None
    if pool is None:
        return None
    stats = pool.get_stats()
    return {
        "maxSize": stats.get("pool_max", pool.max_size),
        "size": stats.get("pool_size", 0),
        "idle": stats.get("pool_available", 0),
        "waiting": stats.get("requests_waiting", 0),
        "timeouts": stats.get("requests_errors", 0),
    }


def check_database(timeout: float) -> str:
    """'up', 'busy' (no pooled connection within `timeout`) or 'down'; never waits longer than `timeout`."""
    pool = connection.pool if connection.vendor == "postgresql" else None
    if pool is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return "up" if cursor.fetchone() == (1,) else "down"
    pool.open()  # as Django does on first use; a no-op once open
    try:
        with pool.connection(timeout=timeout) as conn:
            return "up" if conn.execute("SELECT 1").fetchone() == (1,) else "down"
    except psycopg_pool.PoolTimeout:
        return "busy"
