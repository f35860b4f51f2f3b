"""Document limits: each accepted at exactly its value and refused one past it, however it is written.

Every way of writing a document is covered (plain fields, inline fragments, named fragments, one
fragment spread many times), so a limit walker that stopped following any of them fails here.
Refusals happen before graphql-core's standard rules and before any resolver.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from graphql import Source
from graphql.language import Lexer, TokenKind

from community.graphql import documents
from community.graphql.limits import parse_document


@pytest.fixture(autouse=True)
def _fresh_document_cache():
    documents._checked.cache_clear()
    yield
    documents._checked.cache_clear()


@pytest.fixture
def standard_rules(monkeypatch):
    """Records every run of graphql-core's standard validation."""
    runs = []
    original = documents.validate

    def spy(schema, document, rules, *args, **kwargs):
        runs.append(document)
        return original(schema, document, rules, *args, **kwargs)

    monkeypatch.setattr(documents, "validate", spy)
    return runs


def post(query: str, variables: dict | None = None, language: str = "en"):
    body = {"query": query, "variables": variables or {}}
    return Client().post("/graphql/", json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)


def refusal(response) -> dict:
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert "data" not in body or body["data"] is None
    return body["errors"][0]


def accepted(response) -> bool:
    """Whether the document got past every limit (it may still fail later, e.g. unauthenticated)."""
    body = response.json()
    return not any(e.get("extensions", {}).get("code") == "QUERY_TOO_COMPLEX" for e in body.get("errors", []))


def tokens(query: str) -> int:
    lexer, count = Lexer(Source(query)), 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


# ------------------------------------------------------------------ depth, written four ways


def deep_plain(levels: int) -> str:
    """`levels` field levels: node { ... on User { node { ... { id } } } } (inline fragments)."""
    selection = "id"
    for _ in range(levels - 1):
        selection = f'node(id: "VXNlcjox") {{ ... on User {{ {selection} }} }}'
    return "{ " + selection + " }"


def deep_named(levels: int) -> str:
    """The same depth with each level a named fragment spreading the next."""
    fragments = ["fragment L0 on User { id }"]
    for level in range(1, levels - 1):
        fragments.append(f'fragment L{level} on User {{ node(id: "VXNlcjox") {{ ...L{level - 1} }} }}')
    return f'{{ node(id: "VXNlcjox") {{ ...L{levels - 2} }} }} ' + " ".join(fragments)


def deep_variables(levels: int) -> str:
    selection = "id"
    for _ in range(levels - 1):
        selection = f"node(id: $id) {{ ... on User {{ {selection} }} }}"
    return "query Deep($id: ID!) { " + selection + " }"


@pytest.mark.parametrize("build", [deep_plain, deep_named, deep_variables], ids=["inline", "named", "variables"])
def test_depth_at_exactly_the_limit_is_accepted(db, settings, build):
    settings.GRAPHQL_MAX_DEPTH = 6
    assert accepted(post(build(6), {"id": "VXNlcjox"}))


@pytest.mark.parametrize("build", [deep_plain, deep_named, deep_variables], ids=["inline", "named", "variables"])
def test_depth_one_past_the_limit_is_refused_before_the_standard_rules(db, settings, standard_rules, build):
    settings.GRAPHQL_MAX_DEPTH = 6
    error = refusal(post(build(7), {"id": "VXNlcjox"}))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"] == "The query is too deep: at most 6 levels."
    assert standard_rules == []


def test_the_depth_message_speaks_chinese_by_default(db, settings):
    settings.GRAPHQL_MAX_DEPTH = 6
    assert refusal(post(deep_plain(7), language="zh-hans"))["message"] == "查询嵌套过深：最多 6 层。"


# ------------------------------------------------------------------ field count


FOUR_FIELDS = "fragment Chip on User { id nickname city level }"


def fields_plain(copies: int) -> str:
    return "{ " + " ".join(f"u{i}: me {{ id nickname city level }}" for i in range(copies)) + " }"


def fields_named(copies: int) -> str:
    """One fragment spread `copies` times, each spread counted."""
    return "{ " + " ".join(f"u{i}: me {{ ...Chip }}" for i in range(copies)) + " } " + FOUR_FIELDS


def fields_inline(copies: int) -> str:
    return "{ " + " ".join(f"u{i}: me {{ ... on User {{ id nickname city level }} }}" for i in range(copies)) + " }"


def fields_nested_fragments(copies: int) -> str:
    """A fragment spreading another: fields counted through both."""
    return (
        "{ "
        + " ".join(f"u{i}: me {{ ...Outer }}" for i in range(copies))
        + " } fragment Outer on User { ...Chip } "
        + FOUR_FIELDS
    )


FIELD_SHAPES = [fields_plain, fields_named, fields_inline, fields_nested_fragments]
FIELD_IDS = ["plain", "named", "inline", "nested-named"]


@pytest.mark.parametrize("build", FIELD_SHAPES, ids=FIELD_IDS)
def test_fields_at_exactly_the_limit_are_accepted(db, settings, build):
    settings.GRAPHQL_MAX_FIELDS = 20  # 4 copies of me (1) with 4 fields
    assert accepted(post(build(4)))


@pytest.mark.parametrize("build", FIELD_SHAPES, ids=FIELD_IDS)
def test_fields_one_past_the_limit_are_refused_before_the_standard_rules(db, settings, standard_rules, build):
    settings.GRAPHQL_MAX_FIELDS = 19
    error = refusal(post(build(4)))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"] == "The query asks for too many fields: at most 19."
    assert standard_rules == []


def test_fields_of_a_fragment_no_operation_uses_count_too(db, settings, standard_rules):
    """The standard rules would still walk it, so it cannot be a place to hide thousands of fields."""
    settings.GRAPHQL_MAX_FIELDS = 10
    query = "{ me { id } } fragment Unused on Query { " + " ".join(["unreadNotificationCount"] * 10) + " }"
    assert refusal(post(query))["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert standard_rules == []


def test_fragments_spread_into_each_other_exponentially_are_refused_cheaply(db, standard_rules):
    """Each fragment spreads the next twice: 2**25 fields from a document of 1 KB."""
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(25))
    error = refusal(post("{ ...F0 } " + fragments + " fragment F25 on Query { me { id } }"))
    assert error["message"] == "The query asks for too many fields: at most 400."
    assert standard_rules == []


def test_a_fragment_cycle_is_refused_by_the_cycle_rule_alone(db, standard_rules):
    """A cycle makes counting meaningless: graphql-core's cycle rule (linear) answers before the others."""
    fragments = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(20))
    error = refusal(post("{ ...F0 } " + fragments + " fragment F20 on Query { ...F0 }"))
    assert error["extensions"]["detail"].startswith("Cannot spread fragment 'F0' within itself")
    assert standard_rules == []


def test_a_fragment_defined_twice_is_refused_before_the_standard_rules(db, standard_rules):
    many = " ".join(["unreadNotificationCount"] * 400)
    query = "{ ...Twice } fragment Twice on Query { me { id } } fragment Twice on Query { " + many + " }"
    error = refusal(post(query))
    assert "Twice" in error["extensions"]["detail"]
    assert standard_rules == []


def spread_fragments(count: int) -> str:
    return (
        "{ "
        + " ".join(f"...F{i}" for i in range(count))
        + " } "
        + " ".join(f"fragment F{i} on Query {{ f{i}: unreadNotificationCount }}" for i in range(count))
    )


def test_fragments_at_exactly_the_limit_are_accepted(db, settings):
    settings.GRAPHQL_MAX_FRAGMENTS = 5
    assert accepted(post(spread_fragments(5)))


def test_one_fragment_past_the_limit_is_refused(db, settings, standard_rules):
    """Field merging compares every pair of fragments spread together: their number is bounded."""
    settings.GRAPHQL_MAX_FRAGMENTS = 4
    error = refusal(post(spread_fragments(5)))
    assert error["message"] == "The query defines too many fragments: at most 4."
    assert standard_rules == []


def declaring(count: int) -> str:
    return (
        "query("
        + ", ".join(f"$v{i}: Int" for i in range(count))
        + ") { "
        + " ".join(f"c{i}: circles(first: $v{i}) {{ edges {{ node {{ id }} }} }}" for i in range(count))
        + " }"
    )


def test_variables_at_exactly_the_limit_are_accepted(db, settings):
    settings.GRAPHQL_MAX_VARIABLES = 5
    assert accepted(post(declaring(5), {f"v{i}": 1 for i in range(5)}))


def test_one_variable_past_the_limit_is_refused(db, settings, standard_rules):
    settings.GRAPHQL_MAX_VARIABLES = 4
    error = refusal(post(declaring(5), {f"v{i}": 1 for i in range(5)}))
    assert error["message"] == "The query declares too many variables: at most 4."
    assert standard_rules == []


# ------------------------------------------------------------------ aliases


def aliases_plain(count: int) -> str:
    return "{ " + " ".join(f"a{i}: unreadNotificationCount" for i in range(count)) + " }"


def aliases_named(count: int) -> str:
    """Five aliases in a fragment, spread count // 5 times under aliased-free parents."""
    fragment = "fragment Five on Query { " + " ".join(f"b{i}: unreadNotificationCount" for i in range(5)) + " }"
    spreads = " ".join("... on Query { ...Five }" for _ in range(count // 5))
    return "{ " + spreads + " } " + fragment


@pytest.mark.parametrize("build", [aliases_plain, aliases_named], ids=["plain", "named"])
def test_aliases_at_exactly_the_limit_are_accepted(db, settings, build):
    settings.GRAPHQL_MAX_ALIASES = 10
    settings.GRAPHQL_MAX_FIELD_REPEATS = 100
    assert accepted(post(build(10)))


@pytest.mark.parametrize("build", [aliases_plain, aliases_named], ids=["plain", "named"])
def test_aliases_one_past_the_limit_are_refused(db, settings, standard_rules, build):
    settings.GRAPHQL_MAX_ALIASES = 9
    settings.GRAPHQL_MAX_FIELD_REPEATS = 100
    error = refusal(post(build(10)))
    assert error["message"] == "The query has too many aliases: at most 9."
    assert standard_rules == []


# ------------------------------------------------------------------ one field repeated in one place


def repeats_plain(count: int) -> str:
    return "{ " + " ".join(["me { id }"] * count) + " }"


def repeats_named(count: int) -> str:
    """Spread `count` different fragments that each ask for `me` at the same place."""
    fragments = " ".join(f"fragment R{i} on Query {{ me {{ id }} }}" for i in range(count))
    return "{ " + " ".join(f"...R{i}" for i in range(count)) + " } " + fragments


def repeats_inline(count: int) -> str:
    return "{ " + " ".join(["... on Query { me { id } }"] * count) + " }"


def repeats_below(count: int) -> str:
    """Repeats merge across parents: `me` twice, each with half the `nickname`s, is one place."""
    half = " ".join(["nickname"] * (count // 2))
    return "{ me { " + half + " } me { " + half + " } }"


REPEAT_SHAPES = [repeats_plain, repeats_named, repeats_inline, repeats_below]
REPEAT_IDS = ["plain", "named", "inline", "merged-parents"]


@pytest.mark.parametrize("build", REPEAT_SHAPES, ids=REPEAT_IDS)
def test_a_field_repeated_exactly_the_limit_in_one_place_is_accepted(db, settings, build):
    settings.GRAPHQL_MAX_FIELD_REPEATS = 10
    assert accepted(post(build(10)))


@pytest.mark.parametrize("build", REPEAT_SHAPES, ids=REPEAT_IDS)
def test_a_field_repeated_once_more_in_one_place_is_refused(db, settings, standard_rules, build):
    settings.GRAPHQL_MAX_FIELD_REPEATS = 9
    error = refusal(post(build(10)))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "repeated too often in one place: at most 9 times" in error["message"]
    assert standard_rules == []


def test_thousands_of_repeated_fields_under_the_size_limit_are_refused_before_the_standard_rules(db, standard_rules):
    """The document that used to keep a server validating for half a minute."""
    query = "{" + " me { id }" * 1800 + " }"
    assert len(query.encode()) < 20_000
    error = refusal(post(query))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert standard_rules == []


# ------------------------------------------------------------------ tokens and nesting, at parse time


def test_tokens_at_exactly_the_limit_are_parsed(settings):
    query = "{ " + " ".join(["unreadNotificationCount"] * 20) + " }"
    settings.GRAPHQL_MAX_TOKENS = tokens(query)
    assert parse_document(query).definitions


def test_one_token_past_the_limit_is_refused_while_parsing(db, settings, standard_rules):
    query = "{ " + " ".join(["unreadNotificationCount"] * 20) + " }"
    settings.GRAPHQL_MAX_TOKENS = tokens(query) - 1
    error = refusal(post(query))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"] == f"The query is too long: at most {tokens(query) - 1} tokens."
    assert standard_rules == []


def bracketed(depth: int) -> str:
    """A selection set (one level) holding a list value `depth - 1` brackets deep."""
    return "{ user(id: " + "[" * (depth - 1) + "]" * (depth - 1) + ") { id } }"


def test_brackets_nested_exactly_three_times_the_depth_limit_are_parsed(settings):
    settings.GRAPHQL_MAX_DEPTH = 4
    assert parse_document(bracketed(12)).definitions


@pytest.mark.parametrize("opening", ["[", "{a: "], ids=["lists", "objects"])
def test_brackets_nested_one_past_are_refused_while_parsing(db, settings, opening):
    settings.GRAPHQL_MAX_DEPTH = 4
    closing = "]" if opening == "[" else "}"
    query = "{ user(id: " + opening * 12 + "1" + closing * 12 + ") { id } }"
    error = refusal(post(query))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_variable_types_nested_past_the_bound_are_refused_while_parsing(db, settings):
    settings.GRAPHQL_MAX_DEPTH = 4
    query = "query($v: " + "[" * 13 + "Int" + "]" * 13 + ") { me { id } }"
    assert refusal(post(query))["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_a_document_nested_thousands_deep_is_refused_not_a_crash(db, caplog):
    """graphql-core's parser recurses once per bracket: without the bound this is a RecursionError."""
    for query in ("{ " + "me{" * 3000 + "id" + "}" * 3001, "{ user(id: " + "[" * 9000 + "]" * 9000 + ") { id } }"):
        error = refusal(post(query))
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


# ------------------------------------------------------------------ size


def test_a_document_of_exactly_the_size_limit_is_accepted(db, settings):
    settings.GRAPHQL_MAX_QUERY_BYTES = 200
    query = "{ unreadNotificationCount }"
    query += "#" * (200 - len(query))
    assert len(query.encode()) == 200
    assert post(query).status_code == 200


def test_a_document_one_byte_over_the_size_limit_is_refused(db, settings):
    settings.GRAPHQL_MAX_QUERY_BYTES = 200
    query = "{ unreadNotificationCount }"
    query += "#" * (201 - len(query))
    response = post(query)
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_LARGE"


# ------------------------------------------------------------------ introspection


def test_graphiqls_introspection_query_passes_every_limit(db):
    """GraphiQL nests `ofType` nine deep; that depth comes from the schema, not the data."""
    from tests.community.graphql.client_queries import INTROSPECTION

    response = post(INTROSPECTION)
    assert response.status_code == 200
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


def test_introspection_nesting_its_lists_three_times_is_refused(db, standard_rules):
    """types { fields { type { fields { type { fields ... multiplies by every type's fields each time."""
    query = "{ __schema { types { fields { type { fields { type { fields { type { name } } } } } } } } }"
    error = refusal(post(query))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert standard_rules == []


def test_introspection_nesting_its_lists_twice_is_accepted(db):
    query = "{ __schema { types { fields { type { fields { name } } } } } }"
    assert post(query).status_code == 200
