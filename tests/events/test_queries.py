"""events, event and Circle.events: filters, order, visibility (it follows the circle's), query counts that
do not grow with the page size; and posts linked to events (Post.event, createPost with eventId)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.content.models import Post
from events import services
from events.models import Event, Signup
from tests.circles.factories import make_circle
from tests.events.factories import make_event, move
from tests.factories import BrandStaffFactory, UserFactory
from tests.helpers import codes, data_of, gid, run

pytestmark = pytest.mark.django_db

EVENTS = """
query($first: Int, $after: String, $circleId: ID, $city: String, $upcoming: Boolean, $origin: EventOrigin) {
  events(first: $first, after: $after, circleId: $circleId, city: $city, upcoming: $upcoming, origin: $origin) {
    pageInfo { hasNextPage endCursor }
    edges { node { id title origin status city } }
  }
}"""
LIST = """
query($first: Int) {
  events(first: $first) {
    edges { node {
      id title status seatsLeft confirmedSeats waitlistCount viewerCanManage
      organizer { nickname isBrandStaff isVerifiedOwner }
      circle { name memberCount host { nickname } }
      viewerSignup { status guests waitlistPosition }
    } }
  }
}"""
CIRCLE_EVENTS = """
query($id: ID!, $upcoming: Boolean) {
  circle(id: $id) { events(first: 10, upcoming: $upcoming) { edges { node { title } } } }
}"""
EVENT = "query($id: ID!) { event(id: $id) { title status circle { name } } }"


def titles(result) -> list[str]:
    return [edge["node"]["title"] for edge in data_of(result, "events")["edges"]]


def test_filters_and_order(gql, brand_staff):
    chongqing = make_circle(city="重庆")
    chengdu = make_circle(city="成都")
    soon = make_event(circle=chongqing, title="洗车保养课堂", starts_in=timedelta(days=1))
    later = make_event(circle=chengdu, title="川西自驾", starts_in=timedelta(days=9))
    brand = make_event(brand=True, title="欧尚Style 车主节", starts_in=timedelta(days=4), city="重庆")
    past = move(make_event(circle=chongqing, title="周末南山夜游"), starts_in=-timedelta(days=3))
    make_event(circle=chongqing, title="草稿活动", publish=False)
    cancelled = make_event(circle=chongqing, title="取消的活动", starts_in=timedelta(days=2))
    services.cancel_event(user=cancelled.organizer, event_id=cancelled.pk)
    viewer = UserFactory()
    assert titles(gql(EVENTS, {"upcoming": True}, user=viewer)) == [soon.title, brand.title, later.title]
    assert titles(gql(EVENTS, {"upcoming": False}, user=viewer)) == [past.title]
    assert titles(gql(EVENTS, {"city": "成都"})) == [later.title]
    assert titles(gql(EVENTS, {"origin": "BRAND"})) == [brand.title]
    assert titles(gql(EVENTS, {"circleId": gid(chongqing), "upcoming": True})) == [soon.title]
    everything = titles(gql(EVENTS, {}, user=viewer))
    assert everything == [later.title, brand.title, cancelled.title, soon.title, past.title]
    # pages follow each other without gaps or repeats
    first = data_of(gql(EVENTS, {"first": 2}, user=viewer), "events")
    rest = data_of(gql(EVENTS, {"first": 10, "after": first["pageInfo"]["endCursor"]}, user=viewer), "events")
    assert [e["node"]["title"] for e in first["edges"] + rest["edges"]] == everything
    # drafts are listed for those who run them
    assert "草稿活动" in titles(gql(EVENTS, {}, user=chongqing.created_by))
    assert "草稿活动" in titles(gql(EVENTS, {}, user=brand_staff))
    bad = gql(EVENTS, {"circleId": "nonsense"})
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_visibility_follows_the_circle(gql):
    member, outsider = UserFactory(), UserFactory()
    private = make_circle(visibility="PRIVATE", members=[member])
    event = make_event(circle=private, title="亲子露营")
    draft = make_event(circle=private, title="还没发布", publish=False)
    assert titles(gql(EVENTS, {}, user=outsider)) == []
    assert titles(gql(EVENTS, {})) == []
    assert set(titles(gql(EVENTS, {}, user=member))) == {"亲子露营"}
    assert gql(EVENT, {"id": gid(event)}, user=member)["data"]["event"]["title"] == "亲子露营"
    hidden = gql(EVENT, {"id": gid(event)}, user=outsider)
    assert hidden["data"]["event"] is None and hidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = gql(EVENT, {"id": gid(event)})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gql(EVENT, {"id": gid(draft)}, user=member) == {"data": {"event": None}}
    assert gql(EVENT, {"id": "RXZlbnQ6OTk5OTk="}, user=member) == {"data": {"event": None}}
    node = gql("query($id: ID!) { node(id: $id) { ... on Event { title } } }", {"id": gid(event)}, user=outsider)
    assert node["data"]["node"] is None
    # Circle.events: readable like the circle's other content
    assert [
        e["node"]["title"]
        for e in data_of(gql(CIRCLE_EVENTS, {"id": gid(private)}, user=member), "circle")["events"]["edges"]
    ] == ["亲子露营"]
    refused = gql(CIRCLE_EVENTS, {"id": gid(private)}, user=outsider)
    assert refused["data"]["circle"]["events"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    public = make_circle()
    make_event(circle=public, title="公开活动")
    move(make_event(circle=public, title="过去的活动"), starts_in=-timedelta(days=2))
    seen = data_of(gql(CIRCLE_EVENTS, {"id": gid(public), "upcoming": True}), "circle")["events"]["edges"]
    assert [e["node"]["title"] for e in seen] == ["公开活动"]


def test_signups_list_for_organizers_only(gql):
    event = make_event(capacity=1, max_guests=0)
    people = [UserFactory(nickname=n) for n in ("甲", "乙", "丙")]
    for person in people:
        services.sign_up(user=person, event_id=event.pk)
    query = """query($id: ID!, $status: SignupStatus) { event(id: $id) { signups(first: 10, status: $status) {
      edges { node { user { nickname } status waitlistPosition } } } } }"""
    rows = data_of(gql(query, {"id": gid(event)}, user=event.organizer), "event")["signups"]["edges"]
    assert [(r["node"]["user"]["nickname"], r["node"]["status"], r["node"]["waitlistPosition"]) for r in rows] == [
        ("甲", "CONFIRMED", None),
        ("乙", "WAITLISTED", 1),
        ("丙", "WAITLISTED", 2),
    ]
    waiting = data_of(gql(query, {"id": gid(event), "status": "WAITLISTED"}, user=event.organizer), "event")
    assert len(waiting["signups"]["edges"]) == 2
    refused = gql(query, {"id": gid(event)}, user=people[0])
    assert refused["data"]["event"]["signups"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def bulk_events(count: int, viewer) -> None:
    """`count` published events in as many circles, each with the viewer signed up (waitlisted on odd ones)."""
    now = timezone.now()
    start = Event.objects.count()
    for n in range(start, start + count):
        circle = make_circle(name=f"批量圈{n}")
        event = Event.objects.create(
            title=f"批量活动{n}",
            description="…",
            kind="MEETUP",
            origin="HOST",
            status="PUBLISHED",
            circle=circle,
            organizer=circle.created_by,
            starts_at=now + timedelta(days=1, minutes=n),
            ends_at=now + timedelta(days=1, hours=2),
            capacity=5,
            published_at=now,
        )
        Signup.objects.create(event=event, user=viewer, status="WAITLISTED" if n % 2 else "CONFIRMED")


def test_the_events_list_costs_the_same_for_any_page_size(gql, django_assert_max_num_queries):
    viewer = UserFactory()
    bulk_events(3, viewer)
    with django_assert_max_num_queries(20) as small:
        assert len(data_of(gql(LIST, {"first": 50}, user=viewer), "events")["edges"]) == 3
    bulk_events(12, viewer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = data_of(gql(LIST, {"first": 50}, user=viewer), "events")
    assert len(result["edges"]) == 15
    positions = {e["node"]["viewerSignup"]["waitlistPosition"] for e in result["edges"]}
    assert positions == {None, 1}


def test_posts_link_events_their_author_can_see(gql):
    member, outsider = UserFactory(), UserFactory()
    private = make_circle(visibility="PRIVATE", members=[member])
    event = make_event(circle=private, title="亲子露营")
    create = """mutation($input: CreatePostInput!) { createPost(input: $input) {
      post { id event { id title } } errors { field code message } } }"""
    made = run(gql, create, "createPost", user=member, body="露营回顾：孩子们玩疯了", eventId=gid(event))
    assert made["errors"] == [] and made["post"]["event"] == {"id": gid(event), "title": "亲子露营"}
    assert Post.objects.get().event_id == event.pk
    refused = run(gql, create, "createPost", user=outsider, body="我也去过", eventId=gid(event))
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("NOT_FOUND", "eventId")]
    unknown = run(gql, create, "createPost", user=member, body="…", eventId="RXZlbnQ6OTk5OTk=")
    assert codes(unknown) == ["NOT_FOUND"]
    assert Post.objects.count() == 1
    # who cannot see the event sees the post without it
    public_post = run(gql, create, "createPost", user=member, body="公开回顾", eventId=gid(event))["post"]
    shown = gql(
        "query($id: ID!) { post(id: $id) { event { title } } }", {"id": public_post["id"]}, user=BrandStaffFactory()
    )
    assert shown["data"]["post"]["event"] == {"title": "亲子露营"}
    stranger = gql(
        "query($id: ID!) { post(id: $id) { body event { title } } }", {"id": public_post["id"]}, user=outsider
    )
    assert stranger["data"]["post"] == {"body": "公开回顾", "event": None}
