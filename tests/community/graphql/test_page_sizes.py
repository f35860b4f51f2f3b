"""Page sizes at their edges: 100 is served, 101 is capped to 100, none is the default 20, negative is refused."""

from __future__ import annotations

import pytest

from gamification.models import Reward
from tests.helpers import data_of

REWARDS = """
query($first: Int, $after: String) {
  rewards(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { name } } }
}"""


@pytest.fixture
def mall(db):
    Reward.objects.bulk_create(Reward(name=f"奖品{i:03d}", cost=10, stock=1, position=i) for i in range(102))


def page(gql, **variables) -> dict:
    return data_of(gql(REWARDS, variables), "rewards")


def test_a_page_of_exactly_100_is_served_whole(gql, mall):
    result = page(gql, first=100)
    assert len(result["edges"]) == 100 and result["pageInfo"]["hasNextPage"] is True


def test_a_page_of_101_is_capped_at_100(gql, mall):
    result = page(gql, first=101)
    assert len(result["edges"]) == 100
    rest = page(gql, first=101, after=result["pageInfo"]["endCursor"])
    assert [edge["node"]["name"] for edge in rest["edges"]] == ["奖品100", "奖品101"]
    assert rest["pageInfo"]["hasNextPage"] is False


def test_no_page_size_is_the_default_of_20(gql, mall, settings):
    assert len(page(gql)["edges"]) == settings.GRAPHQL_PAGE_SIZE_DEFAULT == 20


def test_a_page_of_0_is_empty_and_of_minus_1_is_refused(gql, mall):
    assert page(gql, first=0)["edges"] == []
    refused = gql(REWARDS, {"first": -1})
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
