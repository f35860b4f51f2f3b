"""Errors in the request itself carry a code and a message in the user's language."""

import pytest

CASES = [
    ("{ nope }", "GRAPHQL_VALIDATION_FAILED", "类型 Query 没有字段 nope。", "The type Query has no field nope."),
    (
        "{ me { ",
        "GRAPHQL_PARSE_FAILED",
        "查询在第 1 行第 8 列有语法错误。",
        "The query has a syntax error at line 1, column 8.",
    ),
    (
        "{ me { nickname(x: 1) } }",
        "GRAPHQL_VALIDATION_FAILED",
        "字段 User.nickname 没有参数 x。",
        "The field User.nickname has no argument x.",
    ),
    ("{ me }", "GRAPHQL_VALIDATION_FAILED", "字段 me 需要选择子字段。", "The field me needs a selection of subfields."),
    (
        '{ circles(first: "a") { edges { node { id } } } }',
        "GRAPHQL_VALIDATION_FAILED",
        "值的类型不对：应为 Int。",
        "A value has the wrong type: Int expected.",
    ),
]


@pytest.mark.parametrize(("query", "code", "chinese", "english"), CASES)
def test_request_errors_have_codes_and_translated_messages(gql, query, code, chinese, english):
    for language, message in (("zh-hans", chinese), ("en", english)):
        error = gql(query, language=language, status=400)["errors"][0]
        assert error["extensions"]["code"] == code
        assert error["message"] == message
        assert error["extensions"]["detail"]  # graphql-core's own text, for developers


def test_a_missing_variable_is_told_by_name(gql):
    query = "query($id: ID!) { user(id: $id) { nickname } }"
    error = gql(query, language="en", status=400)["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == "The variable $id is required."
    assert gql(query, status=400)["errors"][0]["message"] == "缺少必填变量 $id。"


def test_an_unmatched_validation_error_still_gets_a_translated_sentence(gql):
    error = gql("query { ...missing }", language="en", status=400)["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error["message"] == "The query does not fit the API's schema."
    assert "missing" in error["extensions"]["detail"]
