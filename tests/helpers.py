"""Helpers every test folder shares: global IDs, running a mutation, reading payloads and error codes."""

from __future__ import annotations

from graphql_relay import to_global_id

# The `errors` selection of every payload.
ERRORS = "errors { field code message }"


def gid(obj) -> str:
    """The global ID of a row (model names are the GraphQL type names: User, Circle, Post, Event...)."""
    return to_global_id(type(obj).__name__, obj.pk)


def data_of(result: dict, field: str):
    """`result["data"][field]`, asserting the response has no top-level errors."""
    assert "errors" not in result, result.get("errors")
    return result["data"][field]


def run(gql, document: str, field: str, user=None, **input_fields) -> dict:
    """Run a mutation with `input`; the payload (asserting no top-level errors)."""
    return data_of(gql(document, {"input": input_fields}, user=user), field)


def unauthorized(result: dict) -> bool:
    """A response refused before any GraphQL ran because its bearer token is not (or no longer) valid."""
    return "data" not in result and [e["extensions"]["code"] for e in result["errors"]] == ["UNAUTHENTICATED"]


def codes(payload: dict) -> list[str]:
    """The error codes of a payload, in order."""
    return [error["code"] for error in payload["errors"]]
