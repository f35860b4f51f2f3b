"""Malformed input is a clean client error: never an internal error, an HTTP 500, or a logged traceback.

Each case asserts its status and error code, and that nothing was logged at ERROR (an unexpected
exception is logged there before being masked as INTERNAL_SERVER_ERROR).
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from graphql_relay import to_global_id
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from community.graphql.pagination import encode_cursor
from tests.factories import UserFactory

CLIENT_CODES = {"BAD_USER_INPUT", "BAD_REQUEST", "INVALID", "NOT_FOUND", "QUERY_TOO_COMPLEX"}


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level("WARNING")
    yield
    errors = [r for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]
    assert not errors, [r.getMessage() for r in errors]


def raw(body: str | bytes, content_type: str = "application/json", **extra):
    return Client().post("/graphql/", body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en", **extra)


def post(query, variables=None, **extra):
    return raw(json.dumps({"query": query, "variables": variables}), **extra)


def codes(response) -> set[str]:
    return {e.get("extensions", {}).get("code") for e in response.json().get("errors", [])}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def assert_client_error(response, status=(200, 400)):
    assert response.status_code in ((status,) if isinstance(status, int) else status), response.content[:300]
    found = codes(response)
    assert found and found <= CLIENT_CODES, response.json()


# ------------------------------------------------------------------ the request itself


@pytest.mark.parametrize(
    "body",
    [
        {"query": 1},
        {"query": ["{ me { id } }"]},
        {"query": {"a": 1}},
        {"query": True},
        {"query": "{ me { id } }", "operationName": 5},
        {"query": "{ me { id } }", "operationName": ["x"]},
        {"query": "{ me { id } }", "variables": "not json"},
        {"query": "{ me { id } }", "variables": 7},
        {"query": "{ me { id } }", "variables": [1, 2]},
        {"query": "{ me { id } }", "variables": "[1, 2]"},
    ],
    ids=lambda body: json.dumps(body)[:50],
)
def test_wrong_json_types_in_the_request_are_a_400(db, no_errors_logged, body):
    response = raw(json.dumps(body))
    assert response.status_code == 400, response.content[:300]
    assert codes(response) == {"BAD_REQUEST"}


@pytest.mark.parametrize("body", ["[]", '[{"query": "{ me { id } }"}]', "1", '"{ me { id } }"', "null"])
def test_a_batch_array_or_a_bare_value_is_a_400(db, no_errors_logged, body):
    response = raw(body)
    assert response.status_code == 400, response.content[:300]
    assert codes(response) == {"BAD_REQUEST"}


def test_json_nested_deeper_than_the_parser_recurses_is_a_400(db, no_errors_logged):
    """Python's json module raises RecursionError on deep nesting, which is no ValueError."""
    body = '{"query": "{ me { id } }", "variables": {"a": ' + "[" * 30_000 + "]" * 30_000 + "}}"
    response = raw(body)
    assert response.status_code == 400, response.content[:300]
    assert codes(response) == {"BAD_REQUEST"}


def test_deeply_nested_variables_are_a_clean_error(db, no_errors_logged):
    """Within what JSON parses, but far deeper than any input type of the schema."""
    nested: object = "Tm90aWZpY2F0aW9uOjE="
    for _ in range(500):
        nested = [nested]
    mutation = "mutation($ids: [ID!]) { markNotificationsRead(input: {ids: $ids}) { unreadCount } }"
    response = post(mutation, {"ids": nested})
    assert_client_error(response)
    deep_object: object = {}
    for _ in range(500):
        deep_object = {"a": deep_object}
    response = post(
        "mutation($i: MarkNotificationsReadInput!) { markNotificationsRead(input: $i) { unreadCount } }",
        {"i": deep_object},
    )
    assert_client_error(response)


def test_a_body_that_is_not_utf8_is_a_400(db, no_errors_logged):
    response = raw(b'{"query": "\xff\xfe"}')
    assert response.status_code == 400


# ------------------------------------------------------------------ multipart


def multipart(operations, file_map, files=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"operations": operations, "map": file_map}
    for key in files or ["0"]:
        data[key] = SimpleUploadedFile("a.png", b"not really", content_type="image/png")
    return Client().post("/graphql/", data, HTTP_ACCEPT_LANGUAGE="en")


UPDATE_AVATAR = json.dumps(
    {"query": "mutation($f: Upload) { updateProfile(input: {avatar: $f}) { errors { code } } }", "variables": {}}
)


@pytest.mark.parametrize(
    ("operations", "file_map"),
    [
        (UPDATE_AVATAR, '{"0": "variables.f"}'),  # paths must be a list
        (UPDATE_AVATAR, '{"0": ["variables"]}'),
        (UPDATE_AVATAR, '{"0": ["query"]}'),
        (UPDATE_AVATAR, '{"0": ["variables.f.g.h"]}'),
        (UPDATE_AVATAR, '{"0": ["variables.list.99999999999999999999"]}'),
        (UPDATE_AVATAR, '{"1": ["variables.f"]}'),  # no file 1
        (UPDATE_AVATAR, '["variables.f"]'),
        (UPDATE_AVATAR, "not json"),
        (UPDATE_AVATAR, '{"0": [7]}'),
        ('{"query": 1, "variables": {}}', '{"0": ["variables.f"]}'),
        ('[{"query": "{ me { id } }"}]', "{}"),
        ('{"query": "{ me { id } }", "variables": null}', '{"0": ["variables.f"]}'),
        ('{"query": "{ me { id } }", "variables": []}', '{"0": ["variables.f"]}'),
        ("{nope", "{}"),
    ],
)
def test_a_bad_multipart_request_is_a_400(db, no_errors_logged, operations, file_map):
    response = multipart(operations, file_map)
    assert response.status_code == 400, response.content[:300]
    assert codes(response) == {"BAD_REQUEST"}


# ------------------------------------------------------------------ IDs


NODE = "query($id: ID!) { node(id: $id) { id } }"
USER = "query($id: ID!) { user(id: $id) { id } }"
CIRCLE = "query($id: ID!) { circle(id: $id) { id } }"
EVENT = "query($id: ID!) { event(id: $id) { id } }"
POST = "query($id: ID!) { post(id: $id) { id } }"

GARBAGE_IDS = [
    "",
    "!!!",
    "not base64 at all ☃",
    b64("User"),
    b64("User:"),
    b64("User:abc"),
    b64("User:-1"),
    b64("User:0"),
    b64("User:1.5"),
    b64("User:99999999999999999999999"),
    b64("Nope:1"),
    b64(":1"),
    b64("User:1:2"),
    base64.b64encode(b"\xff\xfe:1").decode(),
    "A" * 5000,
]


@pytest.mark.parametrize("query", [NODE, USER, CIRCLE, EVENT, POST], ids=["node", "user", "circle", "event", "post"])
@pytest.mark.parametrize("global_id", GARBAGE_IDS)
def test_a_garbage_id_is_a_clean_error_or_nothing(db, no_errors_logged, query, global_id):
    response = post(query, {"id": global_id})
    assert response.status_code in (200, 400), response.content[:300]
    body = response.json()
    if body.get("errors"):
        assert codes(response) <= CLIENT_CODES, body
    else:
        assert next(iter(body["data"].values())) is None


def test_an_id_of_another_type_finds_nothing(db, no_errors_logged):
    user = UserFactory()
    assert post(CIRCLE, {"id": to_global_id("User", user.pk)}).json().get("data", {}).get("circle") is None


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw_id=st.one_of(st.text(max_size=40), st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode())))
def test_no_global_id_whatever_its_bytes_is_an_internal_error(db, caplog, raw_id):
    caplog.clear()
    for query in (NODE, USER):
        response = post(query, {"id": raw_id})
        assert response.status_code in (200, 400)
        assert "INTERNAL_SERVER_ERROR" not in codes(response)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


# ------------------------------------------------------------------ cursors


CIRCLES_AFTER = "query($after: String) { circles(first: 5, after: $after) { edges { node { id } } } }"
FEED_AFTER = "query($after: String) { feed(first: 5, after: $after) { edges { node { id } } } }"


def cursor_of(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


BAD_CURSORS = [
    "",
    "!!!",
    cursor_of("x"),
    cursor_of([]),
    cursor_of(["a", "b"]),
    cursor_of([1.5, True]),
    cursor_of([None, None]),
    cursor_of([{"t": "not a date"}, 1]),
    cursor_of([{"t": 5}, 1]),
    cursor_of([{"x": 1}, 1]),
    cursor_of([[1], {"a": 1}]),
    cursor_of([{"t": "2026-01-01T00:00:00+00:00"}, "abc"]),
    cursor_of([{"t": "2026-01-01T00:00:00+00:00"}, 99999999999999999999999]),
    cursor_of([{"t": "2026-01-01T00:00:00+00:00"}, 1, 2]),
    cursor_of([1, 2]),
    encode_cursor(["x", 1]),
]


@pytest.mark.parametrize("query", [CIRCLES_AFTER, FEED_AFTER], ids=["circles", "feed"])
@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_a_cursor_that_decodes_to_the_wrong_types_is_bad_user_input(db, no_errors_logged, query, cursor):
    user = UserFactory()
    from community.accounts.services import issue_token

    token = issue_token(user)
    response = post(query, {"after": cursor}, HTTP_AUTHORIZATION=f"Bearer {token}")
    if cursor == "":
        assert "errors" not in response.json()  # an empty cursor is the first page
        return
    assert response.status_code in (200, 400)
    assert codes(response) == {"BAD_USER_INPUT"}, response.json()


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["t", "x"]), inner, max_size=2),
            max_leaves=5,
        ),
        max_size=3,
    )
)
def test_no_cursor_whatever_it_decodes_to_is_an_internal_error(db, caplog, values):
    caplog.clear()
    response = post(CIRCLES_AFTER, {"after": cursor_of(values)})
    assert response.status_code in (200, 400)
    assert "INTERNAL_SERVER_ERROR" not in codes(response)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
