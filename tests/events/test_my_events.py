"""events(signedUp: true): the viewer's events ("my events"), with their sign-up, in the list's usual
order and filters, in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from events import services
from tests.circles.factories import make_circle
from tests.events.factories import make_event, move
from tests.factories import UserFactory
from tests.helpers import data_of

pytestmark = pytest.mark.django_db

MINE = """
query($upcoming: Boolean, $first: Int, $after: String) {
  events(signedUp: true, upcoming: $upcoming, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id title viewerSignup { status guests waitlistPosition } } }
  }
}"""


def titles(result) -> list[str]:
    return [edge["node"]["title"] for edge in data_of(result, "events")["edges"]]


def test_only_events_with_a_live_or_past_sign_up_of_the_viewer(gql, on_commit):
    owner = UserFactory()
    circle = make_circle()
    soon = make_event(circle=circle, title="下周自驾", starts_in=timedelta(days=7))
    sooner = make_event(circle=circle, title="明天夜游", starts_in=timedelta(days=1), capacity=1)
    withdrawn = make_event(circle=circle, title="取消了的", starts_in=timedelta(days=2))
    make_event(circle=circle, title="没报名的", starts_in=timedelta(days=3))
    other = UserFactory()
    with on_commit():
        services.sign_up(user=other, event_id=sooner.pk)
        services.sign_up(user=owner, event_id=sooner.pk)  # waitlisted
        services.sign_up(user=owner, event_id=soon.pk, guests=1)
        services.sign_up(user=owner, event_id=withdrawn.pk)
        services.cancel_signup(user=owner, event_id=withdrawn.pk)
    result = gql(MINE, {"upcoming": True}, user=owner)
    assert titles(result) == ["明天夜游", "下周自驾"]
    signups = [edge["node"]["viewerSignup"] for edge in data_of(result, "events")["edges"]]
    assert signups == [
        {"status": "WAITLISTED", "guests": 0, "waitlistPosition": 1},
        {"status": "CONFIRMED", "guests": 1, "waitlistPosition": None},
    ]


def test_past_events_the_viewer_went_to(gql, on_commit):
    owner = UserFactory()
    event = make_event(title="上个月的公益", starts_in=timedelta(days=1))
    with on_commit():
        services.sign_up(user=owner, event_id=event.pk)
    move(event, starts_in=-timedelta(days=30))
    assert titles(gql(MINE, {"upcoming": False}, user=owner)) == ["上个月的公益"]
    assert titles(gql(MINE, {"upcoming": True}, user=owner)) == []


def test_anonymous_viewers_are_told_to_log_in(gql):
    result = gql(MINE, {})
    assert result["data"]["events"] is None
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("size", [2, 8])
def test_query_count_does_not_grow_with_the_page(gql, on_commit, django_assert_max_num_queries, size):
    owner = UserFactory()
    circle = make_circle()
    with on_commit():
        for n in range(size):
            event = make_event(circle=circle, title=f"活动{n}", starts_in=timedelta(days=n + 1))
            services.sign_up(user=owner, event_id=event.pk)
    gql.token_for(owner)
    with django_assert_max_num_queries(8):
        result = gql(MINE, {"upcoming": True, "first": size}, user=owner)
    assert len(titles(result)) == size
