"""A real daphne process serving the test database, for tests that speak to it over the network.

Import the fixtures into the test module that uses them:

    from tests.live import live_server  # noqa: F401  (a fixture)

`live_server` is one daphne process for the whole module; tests use it with `transactional_db`
(`@pytest.mark.django_db(transaction=True)`) so what they create is committed and visible to it.
`second_live_server` is another daphne on the same database and channel layer (meaningful with
Redis, which the two processes share; the in-memory layer is per process). When a test of the
module failed, the servers' logs are printed at the end of the module.

Where the server finds the test database:
- SQLite: the file of `DATABASES['default']['TEST']['NAME']` (an in-memory test database cannot be
  shared and fails loudly), passed as SQLITE_PATH;
- PostgreSQL (DATABASE_URL set): DATABASE_URL with its database name replaced by the test one.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from community.accounts import services as account_services

STARTUP_TIMEOUT = 30.0
POLL_INTERVAL = 0.05
REQUEST_TIMEOUT = 10.0


def token_for(user) -> str:
    """A bearer token for `user`, as login would give (sync: wrap it in database_sync_to_async in async code)."""
    return account_services.issue_token(user)


class _NoSettingsToModify:
    """pytest-django's autouse `_live_server_helper` recognises a fixture by the name `live_server`:
    it requests `transactional_db` for the test (what we want) and then toggles the settings its
    own in-process server needs (ALLOWED_HOSTS). A server in another process needs none."""

    def enable(self) -> None:
        pass

    def disable(self) -> None:
        pass


@dataclass
class LiveServer:
    """One daphne process: its URLs, and its log for when something goes wrong."""

    _live_server_modified_settings = _NoSettingsToModify()

    http_url: str
    ws_url: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.http_url + path

    def log(self, since: int = 0) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(since)
                return log.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def graphql(self, query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
        """POST one operation to /graphql/ like the mobile app does; returns the decoded response."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = {"Content-Type": "application/json", "Accept-Language": "zh-hans"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.url("/graphql/"), data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError(
                f"POST /graphql/ answered {error.code}: {error.read()[:2000]!r}\n--- server log ---\n{self.log()}"
            ) from None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_env() -> dict[str, str]:
    """Point the child at the test database that pytest-django set up in this process."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        configured = (settings.DATABASES["default"].get("TEST") or {}).get("NAME")
        if not configured or connection.is_in_memory_db():
            pytest.fail("a live server needs the SQLite test database in a file: set DATABASES TEST NAME")
        return {"SQLITE_PATH": name}
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        pytest.fail(f"a live server cannot share a {connection.vendor} test database without DATABASE_URL")
    parts = urlsplit(database_url)
    return {"DATABASE_URL": urlunsplit(parts._replace(path="/" + quote(connection.settings_dict["NAME"])))}


def _wait_until_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"daphne exited with {server.process.returncode}\n--- server log ---\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url("/healthz"), timeout=2) as response:
                health = json.loads(response.read())
                if health.get("database") == "up":
                    return
        except (OSError, ValueError) as error:  # not listening yet, or a 503 while the database is down
            last_error = error
        time.sleep(POLL_INTERVAL)
    _stop(server)
    pytest.fail(f"daphne did not answer /healthz in {STARTUP_TIMEOUT}s ({last_error})\n{server.log()}")


def _start(env: dict[str, str], log_path: Path) -> LiveServer:
    port = _free_port()
    project = Path(settings.BASE_DIR)
    child_env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(project), os.environ.get("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "community.settings",
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    with open(log_path, "wb") as log:  # a file, not a pipe nobody reads, which would block the server
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "community.server",
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "community.asgi:application",
            ],
            cwd=project,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LiveServer(
        http_url=f"http://127.0.0.1:{port}",
        ws_url=f"ws://127.0.0.1:{port}/graphql/",
        process=process,
        log_path=log_path,
        env=env,
    )
    _wait_until_healthy(server)
    return server


def _stop(server: LiveServer) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)


def _live_env(tmp_path_factory) -> dict[str, str]:
    """What every daphne of a module shares: the test database, one channel layer, media."""
    run = uuid.uuid4().hex[:12]
    return {
        **_database_env(),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("live-media")),
        # Connections closed after each request: none lingers to block a flush or the final DROP.
        "CONN_MAX_AGE": "0",
        # Private names on a Redis that other runs may share; the same for every daphne of the module.
        "CHANNEL_LAYER_PREFIX": f"test-live-{run}",
        "CACHE_KEY_PREFIX": f"test-live-{run}",
        "RATELIMIT_NAMESPACE": f"test-live-{run}",
        "LOG_LEVEL": os.environ.get("LIVE_SERVER_LOG_LEVEL", "WARNING"),
    }


def _serve(request, tmp_path_factory, env: dict[str, str], name: str):
    server = _start(env, tmp_path_factory.mktemp(name) / "daphne.log")
    failed = request.session.testsfailed
    yield server
    _stop(server)
    if request.session.testsfailed > failed:  # something in this module failed: show what the server said
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        report = f"\n--- {name} log ({server.http_url}) ---\n{server.log()}--- end of {name} log ---"
        if reporter is not None:
            reporter.write_line(report)
        else:
            print(report, file=sys.stderr)


@pytest.fixture(scope="module")
def live_server(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """A daphne process on the test database for the module; use it with `transactional_db`."""
    with django_db_blocker.unblock():
        env = _live_env(tmp_path_factory)
    yield from _serve(request, tmp_path_factory, env, "live_server")


@pytest.fixture(scope="module")
def second_live_server(request, live_server, tmp_path_factory):
    """Another daphne on the same database and channel layer (shared only with Redis)."""
    yield from _serve(request, tmp_path_factory, live_server.env, "second_live_server")
