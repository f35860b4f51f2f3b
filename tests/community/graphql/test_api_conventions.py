"""Conventions every app relies on: limits before execution, safe errors, GraphiQL, the printed schema."""

import json

import pytest
from django.test import Client

from community.accounts.schema import AccountsQuery
from community.models import AuthToken
from community.notifications import selectors
from community.schema import schema
from tests.helpers import data_of


def post(query, **extra):
    return Client().post("/graphql/", json.dumps({"query": query}), content_type="application/json", **extra)


@pytest.fixture
def spy_resolvers(monkeypatch):
    """Counts calls to `me`, to prove a refused document never ran."""
    calls = []
    original = AccountsQuery.resolve_me

    def spy(root, info):
        calls.append(1)
        return original(root, info)

    monkeypatch.setattr(AccountsQuery, "resolve_me", staticmethod(spy))
    # graphene bound the resolver at schema build time; patch the built field too.
    field = schema.graphql_schema.query_type.fields["me"]
    monkeypatch.setattr(field, "resolve", spy)
    return calls


def nested_nodes(depth: int) -> str:
    """A selection `depth` fields deep, through `node(id:) { ... on User { ... } }`."""
    selection = "id"
    for _ in range(depth):
        selection = f'node(id: "VXNlcjox") {{ ... on User {{ {selection} }} }}'
    return selection


def test_a_query_20_levels_deep_is_refused_before_running(db, spy_resolvers):
    query = "{ me { id } " + nested_nodes(20) + " }"
    response = post(query)
    body = response.json()
    assert response.status_code == 400
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "过深" in body["errors"][0]["message"]
    assert "data" not in body
    assert spy_resolvers == []


def test_100_aliases_are_refused_before_running(db, spy_resolvers):
    query = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(100)) + " }"
    response = post(query, HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert response.status_code == 400
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "too many aliases" in body["errors"][0]["message"]
    assert spy_resolvers == []


def test_a_1mb_document_is_refused_before_parsing(db, spy_resolvers):
    query = "{ me { id } }" + " " * (1024 * 1024)
    response = post(query)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert spy_resolvers == []


def test_a_query_just_over_the_size_limit_is_refused(db, settings, spy_resolvers):
    settings.GRAPHQL_MAX_QUERY_BYTES = 100
    response = post("{ me { id } }" + "#" * 150)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"
    assert spy_resolvers == []


def test_normal_queries_within_limits_run(gql, user):
    assert data_of(gql("{ a: me { id } b: me { nickname } }", user=user), "a")["id"]


def test_unexpected_errors_are_masked_when_debug_is_off(gql, user, monkeypatch, settings):
    settings.DEBUG = False

    def explode(*args, **kwargs):
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")

    monkeypatch.setattr(selectors, "unread_notification_count", explode)
    result = gql("{ unreadNotificationCount }", user=user)
    error = result["errors"][0]
    assert error["message"] == "服务器内部错误。"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "hunter2" not in json.dumps(result) and "Traceback" not in json.dumps(result)


def test_invalid_json_and_variables_are_clear_400s(db):
    response = Client().post("/graphql/", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    response = Client().post(
        "/graphql/", json.dumps({"query": "{ me { id } }", "variables": [1]}), content_type="application/json"
    )
    assert response.status_code == 400


def test_mutations_over_get_are_refused(db):
    response = Client().get("/graphql/", {"query": "mutation { logout { revoked } }"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 405


def test_subscriptions_over_http_point_to_the_websocket(db):
    response = post("subscription { notifications { id } }")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_graphiql_is_served_to_browsers(db):
    response = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"graphiql" in response.content.lower()


def test_graphql_schema_command_prints_the_schema(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.graphql"
    call_command("graphql_schema", out=str(out))
    text = out.read_text()
    assert "type User implements Node" in text and "type Subscription" in text


def test_token_lookups_touch_last_used_rarely(gql, user):
    token = gql.token_for(user)
    gql("{ me { id } }", token=token)
    first = AuthToken.objects.get().last_used_at
    gql("{ me { id } }", token=token)
    assert AuthToken.objects.get().last_used_at == first


def test_a_document_is_parsed_and_validated_once_however_often_it_is_sent(gql, user, monkeypatch):
    from community.graphql import documents

    documents._checked.cache_clear()
    parsed = []
    original = documents.parse_document
    monkeypatch.setattr(documents, "parse_document", lambda query: parsed.append(query) or original(query))
    for _ in range(3):
        assert data_of(gql("{ me { nickname } }", user=user), "me")["nickname"] == user.nickname
    assert parsed == ["{ me { nickname } }"]
    invalid = gql("{ me { nope } }", user=user, status=400)  # invalid ones are cached with their errors
    assert invalid["errors"][0]["extensions"]["detail"].startswith("Cannot query field 'nope'")
    gql("{ me { nope } }", user=user, status=400)
    assert parsed.count("{ me { nope } }") == 1


def test_a_request_without_a_query_is_a_clear_400(db):
    response = Client().post("/graphql/", json.dumps({"variables": {}}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
