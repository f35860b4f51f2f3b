"""eventComparison: every figure of host-led against brand-led events, checked against a small fixture
computed by hand (new ties from the tie history: ties formed, and milestones reached, around each event)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.content.models import Post
from events.models import Event, Signup
from tests.circles.factories import make_circle
from tests.factories import BrandStaffFactory, UserFactory
from tests.gamification.factories import make_tie
from tests.helpers import data_of

pytestmark = pytest.mark.django_db

COMPARISON = """
query($since: DateTime, $until: DateTime) {
  eventComparison(since: $since, until: $until) {
    host { ...figures }
    brand { ...figures }
  }
}
fragment figures on EventOriginStats {
  origin events signups fillRate attendanceRate noShowRate repeatAttendeeRate newTiesPerAttendee postsPerEvent
  postInteractions interactionsPerPost
}"""


def fixture():
    """Host-led H1 (40 days ago), H2 (20 days ago); brand-led B1 (30 days ago), B2 (in 5 days); and events
    that must not count: a draft, a cancelled one, one before the period."""
    now = timezone.now()
    circle = make_circle()
    host, staff = circle.created_by, BrandStaffFactory()
    people = {name: UserFactory(nickname=name) for name in "abcdefghijk"}

    def event(origin, days, capacity, status="FINISHED", seats=0):
        starts = now + timedelta(days=days)
        return Event.objects.create(
            title=f"{origin}{days}",
            description="…",
            kind="MEETUP",
            origin=origin,
            status=status,
            circle=circle if origin == "HOST" else None,
            organizer=host if origin == "HOST" else staff,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            capacity=capacity,
            confirmed_seats=seats,
        )

    def signups(event, *rows):
        for name, status, guests in rows:
            Signup.objects.create(event=event, user=people[name], status=status, guests=guests)

    h1 = event("HOST", -40, 10, seats=4)
    signups(
        h1,
        ("a", "ATTENDED", 1),
        ("b", "ATTENDED", 0),
        ("c", "NO_SHOW", 0),
        ("d", "CANCELLED", 0),
        ("e", "WAITLISTED", 0),
    )
    h2 = event("HOST", -20, 5, status="PUBLISHED", seats=4)  # ended, not finished by the task yet
    signups(h2, ("a", "ATTENDED", 0), ("f", "CONFIRMED", 0), ("k", "ATTENDED", 0), ("g", "ATTENDED", 0))
    b1 = event("BRAND", -30, 20, seats=6)
    signups(b1, ("b", "ATTENDED", 0), ("g", "ATTENDED", 2), ("h", "NO_SHOW", 0), ("i", "NO_SHOW", 0))
    b2 = event("BRAND", 5, 10, status="PUBLISHED", seats=2)
    signups(b2, ("j", "CONFIRMED", 1))
    # not counted: a draft, a cancelled event, an event before the period
    signups(event("HOST", -10, 5, status="DRAFT"), ("a", "CONFIRMED", 0))
    cancelled = event("HOST", -15, 5, status="CANCELLED")
    signups(cancelled, ("b", "CANCELLED", 0))
    signups(event("HOST", -100, 50, seats=2), ("k", "ATTENDED", 0), ("a", "ATTENDED", 0))

    def tie(x, y, formed, *milestones):
        make_tie(people[x], people[y], 20, created_at=formed, milestones=[("ACQUAINTANCE", formed), *milestones])

    tie("a", "b", h1.starts_at + timedelta(days=2))  # formed after H1, both attended it: new for a and b
    # k and g knew each other long before H2; their tie reached FRIEND the day after it: raised, new for both
    tie("k", "g", h2.starts_at - timedelta(days=50), ("FRIEND", h2.starts_at + timedelta(days=1)))
    tie("a", "k", h2.starts_at - timedelta(days=5))  # formed before H2 (and k was not at H1): not new
    tie("a", "g", h2.starts_at - timedelta(days=60), ("FRIEND", h2.starts_at + timedelta(days=40)))  # too late
    tie("g", "b", b1.starts_at + timedelta(days=3))  # co-attendees of B1: new for g and b
    tie("c", "a", h1.starts_at + timedelta(days=1))  # c did not attend H1

    def post(event, status="PUBLISHED", likes=0, comments=0):
        Post.objects.create(
            author=people["a"], body="回顾", event=event, status=status, like_count=likes, comment_count=comments
        )

    post(h1, likes=3, comments=1), post(h1), post(h2, likes=2), post(h1, status="HIDDEN", likes=10)
    post(b1, comments=1), post(cancelled, likes=4)
    return now


def test_host_led_against_brand_led_computed_from_the_data(gql, brand_staff):
    now = fixture()
    since, until = (now - timedelta(days=60)).isoformat(), (now + timedelta(days=10)).isoformat()
    figures = data_of(gql(COMPARISON, {"since": since, "until": until}, user=brand_staff), "eventComparison")
    approx = lambda value: pytest.approx(value, abs=1e-4)  # noqa: E731
    assert figures["host"] == {
        "origin": "HOST",
        "events": 2,
        "signups": 8,  # H1: a b c e; H2: a f k g (d withdrew)
        "fillRate": approx(8 / 15),  # seats 4 + 4 of 10 + 5
        "attendanceRate": approx(5 / 7),  # attended a b (H1), a k g (H2); missed c (no-show), f (never came)
        "noShowRate": approx(2 / 7),
        "repeatAttendeeRate": approx(2 / 4),  # a (H1 then H2), b (H1 then B1); not k, g
        "newTiesPerAttendee": approx(4 / 5),  # a~b at H1 (for a and for b), k~g at H2 (both); 5 attendances
        "postsPerEvent": approx(3 / 2),  # the hidden recap does not count
        "postInteractions": 6,  # 3 likes + 1 comment, 2 likes; not the hidden recap's
        "interactionsPerPost": approx(6 / 3),
    }
    assert figures["brand"] == {
        "origin": "BRAND",
        "events": 2,
        "signups": 5,
        "fillRate": approx(8 / 30),  # seats 6 + 2 of 20 + 10
        "attendanceRate": approx(2 / 4),  # B2 has not happened yet
        "noShowRate": approx(2 / 4),
        "repeatAttendeeRate": approx(1 / 2),  # g (B1 then H2); not b
        "newTiesPerAttendee": approx(2 / 2),  # g~b after B1, for g and for b
        "postsPerEvent": approx(1 / 2),
        "postInteractions": 1,
        "interactionsPerPost": approx(1.0),
    }
    # the default period is the last 90 days up to now: B2 (upcoming) and the old event are out
    default = data_of(gql(COMPARISON, {}, user=brand_staff), "eventComparison")
    assert (default["host"]["events"], default["brand"]["events"]) == (2, 1)


def test_brand_staff_only_and_a_sane_period(gql, user):
    refused = gql(COMPARISON, {}, user=user)
    assert refused["data"]["eventComparison"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gql(COMPARISON, {})["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    now = timezone.now()
    backwards = gql(
        COMPARISON, {"since": now.isoformat(), "until": (now - timedelta(days=1)).isoformat()}, user=BrandStaffFactory()
    )
    assert backwards["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    empty = data_of(gql(COMPARISON, {}, user=BrandStaffFactory()), "eventComparison")
    assert empty["host"]["events"] == 0 and empty["host"]["fillRate"] == 0.0


def test_the_figures_take_a_handful_of_queries(brand_staff, django_assert_max_num_queries):
    fixture()
    from events.selectors import compare_origins

    with django_assert_max_num_queries(5):
        compare_origins()
