"""No connection for a request: a JSON 503 with a code to retry on, and a /healthz that says so.

The real pool running dry under a burst is in tests/faults/test_pool_exhaustion.py; here the
database refuses through the same exceptions Django raises, so every path is covered on SQLite too.
"""

from __future__ import annotations

import json
import logging

import psycopg
import psycopg_pool
import pytest
from django.db import OperationalError
from django.test import Client
from graphql import GraphQLError
from graphql_relay import to_global_id

from community.accounts import schema as accounts_schema
from community.accounts import services
from community.kernel import database_availability
from tests.factories import UserFactory

FOLLOW = "mutation($u: ID!) { follow(input: {userId: $u}) { user { followerCount } errors { code } } }"


@pytest.fixture(autouse=True)
def _no_refusals_left_behind():
    database_availability._refusals.clear()
    yield
    database_availability._refusals.clear()


def pool_timeout() -> OperationalError:
    """What Django raises when psycopg's pool had no connection within DB_POOL_TIMEOUT."""
    try:
        raise psycopg_pool.PoolTimeout("couldn't get a connection after 30.00 sec")
    except psycopg_pool.PoolTimeout as cause:
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error


def refuse(*args, **kwargs):
    raise pool_timeout()


def post(query: str, variables: dict | None = None, *, token: str | None = None, language: str = "zh-hans"):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), "application/json", **headers
    )


def test_a_refusal_before_graphql_runs_is_a_json_503_with_a_retry_code(db, monkeypatch, caplog):
    token = services.issue_token(UserFactory())
    monkeypatch.setattr(services, "user_for_token", refuse)  # the bearer token lookup is the first query
    with caplog.at_level(logging.WARNING):
        response = post("{ me { id } }", token=token)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "1"
    error = {"message": "服务繁忙，请稍后再试。", "extensions": {"code": "SERVICE_UNAVAILABLE", "retryAfter": 1}}
    assert response.json() == {"errors": [error]}
    assert not [record for record in caplog.records if record.exc_info]


def test_a_refusal_inside_a_mutation_is_a_json_503_naming_the_field_in_english_when_asked(db, monkeypatch, caplog):
    user, other = UserFactory(), UserFactory()
    token = services.issue_token(user)
    monkeypatch.setattr(accounts_schema.Follow, "service", staticmethod(refuse))

    with caplog.at_level(logging.WARNING):
        response = post(FOLLOW, {"u": to_global_id("User", other.pk)}, token=token, language="en")
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    body = response.json()
    assert body["data"] == {"follow": None}
    assert body["errors"] == [
        {
            "message": "The service is busy right now. Please try again in a moment.",
            "extensions": {"code": "SERVICE_UNAVAILABLE", "retryAfter": 1},
            "path": ["follow"],
        }
    ]
    assert not [record for record in caplog.records if record.exc_info]  # no traceback, as for a bug


def test_a_bug_is_still_an_opaque_internal_error_with_status_200(db, monkeypatch):
    user, other = UserFactory(), UserFactory()
    token = services.issue_token(user)

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(accounts_schema.Follow, "service", staticmethod(broken))

    response = post(FOLLOW, {"u": to_global_id("User", other.pk)}, token=token)
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


def test_healthz_is_busy_while_requests_are_refused_a_connection(db, monkeypatch):
    token = services.issue_token(UserFactory())
    assert Client().get("/healthz").status_code == 200
    monkeypatch.setattr(services, "user_for_token", refuse)
    assert post("{ me { id } }", token=token).status_code == 503
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "busy"
    assert response.json()["database"] == "busy"
    assert response.json()["refusedLastMinute"] == 1


def test_healthz_is_healthy_again_once_the_refusals_are_older_than_the_busy_window(db, monkeypatch):
    database_availability.record_refusal()
    assert Client().get("/healthz").status_code == 503
    monkeypatch.setattr(database_availability, "BUSY_WINDOW_SECONDS", 0.0)
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["refusedLastMinute"] == 1  # still reported, no longer busy


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (pool_timeout(), True),
        (psycopg_pool.TooManyRequests("queue full"), True),
        (psycopg.errors.TooManyConnections("sorry, too many clients already"), True),
        (psycopg.OperationalError("connection refused"), True),  # no SQLSTATE: never connected
        (GraphQLError("wrapped", original_error=pool_timeout()), True),
        (psycopg.errors.DeadlockDetected("deadlock detected"), False),  # a query failed, not the connection
        (psycopg.errors.UniqueViolation("duplicate key"), False),
        (OperationalError("database is locked"), False),  # SQLite
        (RuntimeError("a bug"), False),
    ],
)
def test_which_errors_mean_the_database_refused_a_connection(error, unavailable):
    assert database_availability.is_database_unavailable(error) is unavailable
