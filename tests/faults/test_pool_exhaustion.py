"""A burst larger than the connection pool: clean JSON errors to retry on, and a /healthz that tells the truth.

The web servers get a pool of two connections with a one-second wait. A lock held on the token table
keeps both connections busy (every signed-in request looks its token up first) while a burst of
signed-in requests arrives: all but two wait for a connection in vain.
"""

from __future__ import annotations

import threading

import pytest

from tests.factories import UserFactory
from tests.faults.conftest import DatabaseLock, serve_topology, wait_until
from tests.faults.operations import ME
from tests.live import token_for
from tests.topology import Response, Topology

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

POOL_SIZE = 2
BURST = 16


@pytest.fixture(scope="module")
def topology(request, tmp_path_factory, django_db_setup, django_db_blocker):
    env = {"DB_POOL_MAX_SIZE": str(POOL_SIZE), "DB_POOL_TIMEOUT": "1"}
    yield from serve_topology(request, tmp_path_factory, django_db_blocker, env)


def test_a_burst_larger_than_the_pool_gets_json_errors_to_retry_on_and_a_truthful_health(topology: Topology):
    tokens = [token_for(UserFactory()) for _ in range(BURST)]
    assert topology.health("web1").status == 200
    responses: list[Response | OSError] = []

    def ask(token: str) -> None:
        try:
            responses.append(topology.graphql("web1", ME, token=token, language="en"))
        except OSError as error:
            responses.append(error)

    with DatabaseLock.table("community_authtoken") as tokens_table:
        burst = [threading.Thread(target=ask, args=(token,)) for token in tokens]
        for request in burst:
            request.start()
        assert tokens_table.wait_for_waiters(POOL_SIZE) >= POOL_SIZE
        assert wait_until(lambda: len(responses) >= BURST - POOL_SIZE, 30)  # the rest timed out waiting
        during = topology.health("web1")
    for request in burst:
        request.join(30)

    assert not [r for r in responses if isinstance(r, OSError)], responses
    answered = [r for r in responses if r.status == 200]
    refused = [r for r in responses if r.status != 200]
    assert len(answered) == POOL_SIZE  # the two holding a connection finished once the lock went
    assert all(r.body["data"]["me"]["id"] for r in answered)
    assert len(refused) == BURST - POOL_SIZE
    for response in refused:
        assert response.status == 503
        assert response.body == {
            "errors": [
                {
                    "message": "The service is busy right now. Please try again in a moment.",
                    "extensions": {"code": "SERVICE_UNAVAILABLE", "retryAfter": 1},
                }
            ]
        }
        assert response.seconds < 5

    assert during.status == 503
    assert during.body["status"] == "busy" and during.body["database"] == "busy"
    assert during.body["pool"]["maxSize"] == POOL_SIZE
    assert during.body["pool"]["timeouts"] >= len(refused)
    assert during.body["refusedLastMinute"] >= len(refused)

    # Healthy again once nothing has been refused for a while; what happened is still counted.
    assert wait_until(lambda: topology.health("web1").status == 200, 30)
    after = topology.health("web1").body
    assert after["status"] == "ok" and after["refusedLastMinute"] >= len(refused)
    assert topology.graphql("web1", ME, token=tokens[0]).status == 200
