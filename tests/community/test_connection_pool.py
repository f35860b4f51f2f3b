"""A daphne started as the project ships it, with no pool setting of its own, pools its PostgreSQL
connections: a burst of requests does not open a session per request.

PostgreSQL counts the sessions established on each database (`pg_stat_database.sessions`); the
burst's requests each read the database (the bearer token, then the user).
"""

from __future__ import annotations

import json
import os
import threading
import urllib.request

import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.live import LiveServer, _start, _stop, live_server, token_for  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REQUESTS = 60
CLIENTS = 6
ME = "{ me { id nickname } }"


@pytest.fixture(autouse=True)
def _no_pool_setting_in_the_environment():
    # The server inherits this process's environment: the default is what is under test.
    assert "DB_POOL_MAX_SIZE" not in os.environ


def sessions_established() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def burst(server: LiveServer) -> int:
    """REQUESTS signed-in requests from CLIENTS concurrent clients; returns the sessions they opened."""
    tokens = [token_for(UserFactory()) for _ in range(CLIENTS)]
    assert server.graphql(ME, token=tokens[0])["data"]["me"]["id"]  # warm
    before = sessions_established()
    answers: list[dict] = []

    def client(token: str) -> None:
        for _ in range(REQUESTS // CLIENTS):
            answers.append(server.graphql(ME, token=token))

    threads = [threading.Thread(target=client, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    opened = sessions_established() - before
    assert len(answers) == REQUESTS and all(answer["data"]["me"]["id"] for answer in answers)
    return opened


def health(server: LiveServer) -> dict:
    with urllib.request.urlopen(server.url("/healthz"), timeout=5) as response:
        return json.loads(response.read())


def test_a_burst_of_requests_reuses_the_servers_pooled_connections(live_server):  # noqa: F811
    from community.asgi import SERVER_DB_POOL_SIZE

    assert health(live_server)["pool"]["maxSize"] == SERVER_DB_POOL_SIZE
    opened = burst(live_server)
    # The pool opens its first connections (min_size 4) and grows to meet the concurrency, never
    # one session per request.
    assert opened <= min(CLIENTS + 4, SERVER_DB_POOL_SIZE), opened


def test_without_the_pool_each_request_opens_a_session(live_server, tmp_path):  # noqa: F811
    """What the count above would show without the pool: the measurement sees every session."""
    server = _start({**live_server.env, "DB_POOL_MAX_SIZE": "0"}, tmp_path / "daphne.log")
    try:
        assert health(server)["pool"] is None
        assert burst(server) >= REQUESTS
    finally:
        _stop(server)
