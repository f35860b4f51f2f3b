"""The cost limit: page sizes multiply what lies under them, and an operation over budget never runs."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from graphql import get_operation_ast

from community.graphql.limits import operation_cost, parse_document
from tests.community.graphql.client_queries import CLIENT_QUERIES, web_client_documents

CIRCLE_IDS = "{ circles(first: 10) { edges { node { id } } } }"  # 1 + 10 * (edges 1 + node 1 + id 1) = 31


def post(query: str, variables: dict | None = None, language: str = "en", **extra):
    body = json.dumps({"query": query, "variables": variables or {}})
    return Client().post("/graphql/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **extra)


def cost(query: str, variables: dict | None = None) -> int:
    from community.schema import schema

    document = parse_document(query)
    return operation_cost(schema.graphql_schema, document, get_operation_ast(document), variables)


@pytest.fixture
def spy_circles(monkeypatch):
    """Counts runs of the `circles` resolver, to prove a refused operation never ran."""
    from community.schema import schema

    calls = []
    field = schema.graphql_schema.query_type.fields["circles"]
    original = field.resolve

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(field, "resolve", spy)
    return calls


def test_each_field_costs_one_per_row_of_every_page_around_it():
    assert cost(CIRCLE_IDS) == 31
    nested = "{ circles(first: 10) { edges { node { members(first: 5) { edges { node { id } } } } } } }"
    # circles 1 + 10 * (edges 1 + node 1 + members (1 + 5 * (edges 1 + node 1 + id 1)))
    assert cost(nested) == 1 + 10 * (1 + 1 + 1 + 5 * 3)


def test_a_missing_page_size_costs_the_default_page_and_a_large_one_the_cap(settings):
    assert cost("{ circles { edges { node { id } } } }") == 1 + settings.GRAPHQL_PAGE_SIZE_DEFAULT * 3
    assert cost("{ circles(first: 100000) { edges { node { id } } } }") == 1 + settings.GRAPHQL_PAGE_SIZE_MAX * 3
    assert cost('{ circle(id: "x") { chatMessages(last: 7) { edges { node { id } } } } }') == 1 + 1 + 7 * 3
    assert cost('{ circle(id: "x") { chatMessages { edges { node { id } } } } }') == 1 + 1 + 20 * 3


def test_page_sizes_come_from_variables_then_their_defaults():
    query = "query($n: Int = 4) { circles(first: $n) { edges { node { id } } } }"
    assert cost(query, {"n": 10}) == 31
    assert cost(query, {}) == 1 + 4 * 3
    assert cost("query($n: Int) { circles(first: $n) { edges { node { id } } } }", {"n": None}) == 1 + 20 * 3


def test_fragments_cost_as_much_as_writing_them_out():
    written_out = cost("{ circles(first: 10) { edges { node { members(first: 5) { edges { node { id } } } } } } }")
    named = cost(
        "{ circles(first: 10) { ...Circles } } fragment Circles on CircleConnection { edges { node { ...Members } } } "
        "fragment Members on Circle { members(first: 5) { edges { node { id } } } }"
    )
    inline = cost(
        "{ circles(first: 10) { ... on CircleConnection { edges { node { ... on Circle { "
        "members(first: 5) { edges { node { id } } } } } } } } }"
    )
    assert named == inline == written_out


def test_a_fragment_spread_many_times_costs_each_time():
    one = cost("{ a: circles(first: 10) { ...Ids } } fragment Ids on CircleConnection { edges { node { id } } }")
    three = cost(
        "{ a: circles(first: 10) { ...Ids } b: circles(first: 10) { ...Ids } c: circles(first: 10) { ...Ids } } "
        "fragment Ids on CircleConnection { edges { node { id } } }"
    )
    assert (one, three) == (31, 93)


def test_cost_at_exactly_the_budget_runs(db, settings, spy_circles):
    settings.GRAPHQL_MAX_COST = 31
    response = post(CIRCLE_IDS)
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert spy_circles == [1]


def test_cost_one_past_the_budget_is_refused_before_running(db, settings, spy_circles):
    settings.GRAPHQL_MAX_COST = 30
    response = post(CIRCLE_IDS)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"] == "The query is too costly: it may fetch 31 rows and fields, at most 30."
    assert spy_circles == []


def test_the_cost_message_speaks_chinese_by_default(db, settings):
    settings.GRAPHQL_MAX_COST = 30
    assert post(CIRCLE_IDS, language="zh-hans").json()["errors"][0]["message"] == (
        "查询开销过大：可能读取 31 行和字段，最多 30。"
    )


def test_variables_that_raise_a_page_size_over_budget_are_refused(db, settings, spy_circles):
    settings.GRAPHQL_MAX_COST = 100
    query = "query($n: Int) { circles(first: $n) { edges { node { id } } } }"
    assert post(query, {"n": 33}).status_code == 200  # 1 + 33 * 3 = 100
    assert post(query, {"n": 34}).json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert spy_circles == [1]


def test_26_aliases_of_100_circles_with_100_members_each_are_refused(db, spy_circles):
    """Within the depth, alias and field limits, yet a quarter of a million rows."""
    query = (
        "{ "
        + " ".join(f"c{i}: circles(first: 100) {{ ...Members }}" for i in range(26))
        + " } fragment Members on CircleConnection { edges { node { id "
        "members(first: 100) { edges { node { id role } } } } } }"
    )
    response = post(query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert spy_circles == []


@pytest.mark.parametrize("name", list(CLIENT_QUERIES))
def test_the_clients_heaviest_screens_pass_every_limit(db, settings, name):
    """Each whole screen the web client and the mobile app load, at their largest page sizes."""
    query, variables = CLIENT_QUERIES[name]
    assert cost(query, variables) <= settings.GRAPHQL_MAX_COST / 2, "leave the clients room to grow"
    response = post(query, variables)
    codes = {e.get("extensions", {}).get("code") for e in response.json().get("errors", [])}
    assert "QUERY_TOO_COMPLEX" not in codes and "QUERY_TOO_LARGE" not in codes, response.json()
    assert not any(
        e["message"].startswith(("Cannot query", "Unknown", "Variable")) for e in response.json().get("errors", [])
    )


WEB_CLIENT = web_client_documents()


def test_the_web_clients_documents_are_all_found():
    assert len(WEB_CLIENT) > 50 and {"Feed", "BrandReports", "HostMembers"} <= set(WEB_CLIENT)


@pytest.mark.parametrize("name", sorted(WEB_CLIENT))
def test_every_document_of_the_web_client_passes_every_limit_at_its_largest_pages(db, settings, name):
    """What `frontend/src/gql/gql.ts` sends, page sizes at 100: valid, within every limit, under half the budget."""
    from community.graphql.documents import checked_document
    from community.graphql.validation import VALIDATION_RULES
    from community.schema import schema

    query, variables = WEB_CLIENT[name]
    document, errors = checked_document(schema.graphql_schema, query, VALIDATION_RULES)
    assert errors == [], [error.message for error in errors]
    operation = get_operation_ast(document)
    assert operation_cost(schema.graphql_schema, document, operation, variables) <= settings.GRAPHQL_MAX_COST / 2
