"""The fault tests start the production topology themselves (tests/topology.py) on the test database.

Each module starts one topology for its tests and stops it at the end, printing every process's log
when one of its tests failed. Data the scenario needs is written from here, committed, so the servers
see it; the tests are transactional so the database is emptied after them.
"""

from __future__ import annotations

import importlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from tests.live import _database_env
from tests.topology import Topology

FAULTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Keep the rows migrations wrote (content types above all) with their ids between fault tests.

    A transactional test ends by truncating every table; Django then creates the content types
    again, with new ids. The topology's processes outlive the test and cache content types by id
    (`ContentType.objects.get_for_model`), so their next activity pointed at an id that no longer
    existed: a foreign-key violation at commit, INTERNAL_SERVER_ERROR for a write that had nothing
    wrong (the SIGTERM test failed so whenever an earlier test of its module had made web1 cache the
    chat's content type). A serialized rollback restores those rows with their ids instead, as a
    database that is never truncated (production) keeps them. The marker must say so itself:
    pytest-django serializes the test database only for tests whose `django_db` marker asks.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or FAULTS not in Path(str(item.path)).resolve().parents:
            continue
        if marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}))


def serve_topology(request, tmp_path_factory, django_db_blocker, env: dict[str, str]) -> Iterator[Topology]:
    """For a module fixture (which must request `django_db_setup` first): a started topology on the test
    database, stopped after, with every log shown when a test of the module failed."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("the fault tests run on PostgreSQL")
        database_url = _database_env()["DATABASE_URL"]
        seed_rules_and_badges()
    topology = Topology(database_url, tmp_path_factory.mktemp("topology"), env)
    topology.start()
    failed = request.session.testsfailed
    try:
        yield topology
    finally:
        topology.stop()
        if request.session.testsfailed > failed:
            report = f"\n=== topology logs ({request.module.__name__}) ===\n{topology.logs()}\n=== end ==="
            reporter = request.config.pluginmanager.get_plugin("terminalreporter")
            (reporter.write_line if reporter is not None else lambda text: print(text, file=sys.stderr))(report)


def seed_rules_and_badges() -> None:
    """The points rules and badges the migrations seed (a transactional test before us emptied them).

    Restored from the serialized rollback's copy where there is one, with the ids the next test's
    setup restores again (seeding them anew would give them other ids, which that restore collides with).
    """
    serialized = getattr(connection, "_test_serialized_contents", None)
    if serialized:
        # Emptied first without post_migrate (which would create content types and the brand group
        # again, with other ids, and collide with the copy): whatever test ran before, the migrated rows
        # come back exactly, ids included.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(serialized)
        return
    migration = importlib.import_module("gamification.migrations.0002_seed_rules_and_badges")
    migration.seed(apps, None)


def raw_connection() -> psycopg.Connection:
    """A connection of the test's own to the test database, outside Django (for locks held across calls)."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
    )


class DatabaseLock:
    """Hold a lock from outside the topology (a table, or rows `FOR UPDATE`): what needs it waits, mid-work."""

    def __init__(self, statement: str, params: tuple = ()) -> None:
        self.statement, self.params = statement, params
        self.conn = raw_connection()

    @classmethod
    def table(cls, table: str) -> DatabaseLock:
        return cls(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")

    def __enter__(self) -> DatabaseLock:
        self.conn.execute(self.statement, self.params)
        return self

    def release(self) -> None:
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()

    def __exit__(self, *exc) -> None:
        self.release()

    def waiting(self) -> int:
        """How many other sessions wait for a lock right now (the requests or tasks stuck behind ours)."""
        with raw_connection() as probe:
            return probe.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()[0]

    def wait_for_waiters(self, count: int, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        waiting = self.waiting()
        while waiting < count and time.monotonic() < deadline:
            time.sleep(0.05)
            waiting = self.waiting()
        return waiting


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


class Load(threading.Thread):
    """Calls `step(i)` every `interval` seconds until stopped (a bounded number of times at most)."""

    def __init__(self, step: Callable[[int], None], interval: float, limit: int = 100_000) -> None:
        super().__init__(daemon=True)
        self.step, self.interval, self.limit = step, interval, limit
        self.stopped = threading.Event()
        self.running = threading.Event()
        self.running.set()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for i in range(self.limit):
                self.running.wait()
                if self.stopped.is_set():
                    return
                started = time.monotonic()
                self.step(i)
                self.stopped.wait(max(0.0, self.interval - (time.monotonic() - started)))
        except BaseException as error:  # reported by the test, not lost in a thread
            self.error = error

    def pause(self) -> None:
        self.running.clear()

    def resume(self) -> None:
        self.running.set()

    def stop(self) -> None:
        self.stopped.set()
        self.running.set()
        self.join(timeout=60)
