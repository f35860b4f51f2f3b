"""Tie levels at exactly their floors (5, 15, 40) and just below: the level, the filter and the count agree."""

from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from gamification import ties
from gamification.models import Tie
from tests.factories import UserFactory
from tests.gamification.factories import make_tie
from tests.helpers import data_of

pytestmark = pytest.mark.django_db

JUST_BELOW = 1e-9
FLOORS = [(5.0, "STRANGER", "ACQUAINTANCE"), (15.0, "ACQUAINTANCE", "FRIEND"), (40.0, "FRIEND", "STRONG")]
MY_TIES = "query($min: TieLevel) { myTies(first: 100, minLevel: $min) { edges { node { strength level } } } }"


def tie(a, b, strength: float) -> Tie:
    return make_tie(a, b, strength, acted=True)


@pytest.mark.parametrize(("floor", "below", "at"), FLOORS)
def test_a_strength_of_exactly_the_floor_is_that_level_and_just_below_is_the_one_before(floor, below, at):
    assert ties.level_of(floor) == at
    assert ties.level_of(floor - JUST_BELOW) == below


def test_the_floors_are_the_ones_the_design_names():
    assert (ties.ACQUAINTANCE_AT, ties.FRIEND_AT, ties.STRONG_AT) == (5.0, 15.0, 40.0)
    assert ties.RECIPROCITY_CAP < ties.FRIEND_AT


@pytest.mark.parametrize(("floor", "below", "at"), FLOORS)
def test_the_min_level_filter_includes_a_tie_at_exactly_the_floor(gql, floor, below, at):
    viewer = UserFactory()
    tie(viewer, UserFactory(), floor)
    tie(viewer, UserFactory(), floor - JUST_BELOW)
    shown = data_of(gql(MY_TIES, {"min": at}, user=viewer), "myTies")["edges"]
    assert [(edge["node"]["strength"], edge["node"]["level"]) for edge in shown] == [(floor, at)]


def test_a_tie_of_exactly_40_counts_as_strong_and_just_below_does_not():
    viewer = UserFactory()
    tie(viewer, UserFactory(), 40.0)
    tie(viewer, UserFactory(), 40.0 - JUST_BELOW)
    assert ties.strong_tie_count(viewer.pk) == 1


def test_the_api_shows_a_tie_at_exactly_a_floor_at_that_level(gql):
    viewer, friend = UserFactory(), UserFactory()
    tie(viewer, friend, 15.0)
    shown = data_of(
        gql(
            "query($id: ID!) { user(id: $id) { tie { level } } }", {"id": to_global_id("User", friend.pk)}, user=viewer
        ),
        "user",
    )
    assert shown["tie"]["level"] == "FRIEND"
