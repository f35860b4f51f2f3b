"""People you met at an event (other attendees not followed yet, strongest tie first, followed from the
list) and people you may know (shared events, followed by people you follow, shared circles), in
queries that do not grow with the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id

from community.accounts import services as community_services
from events.models import Event, Signup
from tests.circles.factories import make_circle
from tests.events.factories import make_event
from tests.factories import BrandStaffFactory, UserFactory
from tests.gamification.factories import make_tie
from tests.helpers import data_of

pytestmark = pytest.mark.django_db
MET = """query($id: ID!, $first: Int, $after: String) { peopleYouMet(eventId: $id, first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } edges { node { id nickname level isFollowedByViewer tie { strength } } } } }"""
MAY_KNOW = """query($first: Int) { peopleYouMayKnow(first: $first) {
  edges { node { nickname level isFollowedByViewer tie { level } } } } }"""
FOLLOW = "mutation($id: ID!) { follow(input: {userId: $id}) { user { isFollowedByViewer } errors { code } } }"


def tie(a, b, strength):
    make_tie(a, b, strength)


def attended(event, *users, status="ATTENDED"):
    for user in users:
        Signup.objects.create(event=event, user=user, status=status)


def test_people_you_met_rank_by_tie_skip_the_followed_and_can_be_followed(gql):
    me = UserFactory(nickname="我")
    close, known, new, followed, absent = (UserFactory(nickname=n) for n in ("老友", "面熟", "新人", "已关注", "没来"))
    event = make_event(brand=True)
    attended(event, me, close, known, new, followed)
    attended(event, absent, status="NO_SHOW")
    tie(me, close, 30), tie(me, known, 8), tie(me, followed, 50)
    community_services.follow(user=me, followee_id=followed.pk)
    variables = {"id": to_global_id("Event", event.pk), "first": 2}
    page = data_of(gql(MET, variables, user=me), "peopleYouMet")
    assert [e["node"]["nickname"] for e in page["edges"]] == ["老友", "面熟"] and page["pageInfo"]["hasNextPage"]
    rest = data_of(gql(MET, {**variables, "after": page["pageInfo"]["endCursor"]}, user=me), "peopleYouMet")
    assert [e["node"]["nickname"] for e in rest["edges"]] == ["新人"] and rest["edges"][0]["node"]["tie"] is None

    followed_now = data_of(gql(FOLLOW, {"id": rest["edges"][0]["node"]["id"]}, user=me), "follow")
    assert followed_now["user"]["isFollowedByViewer"] and not followed_now["errors"]
    again = data_of(gql(MET, {**variables, "first": 10}, user=me), "peopleYouMet")
    assert [e["node"]["nickname"] for e in again["edges"]] == ["老友", "面熟"]


def test_only_attendees_see_who_they_met(gql):
    attendee, no_show = UserFactory(), UserFactory()
    event = make_event(brand=True)
    attended(event, attendee)
    attended(event, no_show, status="NO_SHOW")
    variables = {"id": to_global_id("Event", event.pk)}
    assert gql(MET, variables, user=no_show)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gql(MET, variables)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    missing = gql(MET, {"id": to_global_id("Event", 999999)}, user=attendee)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_people_you_may_know_rank_shared_events_mutual_follows_and_circles(gql):
    me = UserFactory(nickname="我")
    friend = UserFactory(nickname="好友")
    event_mate, circle_mate, friend_of_friend, both = (
        UserFactory(nickname=n) for n in ("同场", "同圈", "朋友的朋友", "都有")
    )
    staff = BrandStaffFactory(nickname="运营")
    UserFactory(nickname="陌生人")
    community_services.follow(user=me, followee_id=friend.pk)
    community_services.follow(user=friend, followee_id=friend_of_friend.pk)
    community_services.follow(user=friend, followee_id=both.pk)
    event = Event.objects.create(
        title="活动",
        description="…",
        kind="DRIVE",
        origin="BRAND",
        status="FINISHED",
        organizer=staff,
        starts_at=make_event(brand=True).starts_at,
        ends_at=make_event(brand=True).ends_at,
        capacity=10,
    )
    attended(event, me, event_mate, both, staff)
    circle = make_circle(members=[me, circle_mate, both])
    ranked = data_of(gql(MAY_KNOW, {"first": 10}, user=me), "peopleYouMayKnow")["edges"]
    names = [e["node"]["nickname"] for e in ranked]
    # 都有: event 3 + followed by my followee 2 + circle 1; 同场 3; 朋友的朋友 2; 同圈 1; plus the circle's host 1
    assert names[:3] == ["都有", "同场", "朋友的朋友"]
    assert sorted(names[3:]) == sorted(["同圈", circle.created_by.nickname])
    assert "好友" not in names and "运营" not in names and "陌生人" not in names and "我" not in names


def test_both_lists_take_the_same_queries_for_any_page(gql):
    me = UserFactory()
    event = make_event(brand=True)
    others = UserFactory.create_batch(12)
    attended(event, me, *others)
    make_circle(members=[me, *others])
    for person in others[:6]:
        tie(me, person, 10)
    gql("{ me { id } }", user=me)  # signing in (and the token's first use) is not part of the count
    for query, field, variables in (
        (MET, "peopleYouMet", {"id": to_global_id("Event", event.pk)}),
        (MAY_KNOW, "peopleYouMayKnow", {}),
    ):
        counts = []
        for first in (2, 12):
            with CaptureQueriesContext(connection) as queries:
                edges = data_of(gql(query, {**variables, "first": first}, user=me), field)["edges"]
            assert len(edges) == first
            counts.append(len(queries))
        assert counts[0] == counts[1], (field, counts)
