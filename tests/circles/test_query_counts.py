"""No circles list issues a number of SQL queries that grows with the page size."""

from django.utils import timezone

from circles.models import ChatMessage, Circle, Membership
from tests.circles.factories import make_circle
from tests.factories import BrandStaffFactory, UserFactory
from tests.helpers import data_of, gid

CIRCLES = """
query($first: Int) {
  circles(first: $first) {
    edges { node {
      id name memberCount activityScore
      host { nickname avatarUrl isVerifiedOwner isBrandStaff isFollowedByViewer }
      viewerMembership { role status joinedAt }
    } }
  }
}"""
MEMBERS = """
query($id: ID!, $first: Int) {
  circle(id: $id) {
    members(first: $first) {
      edges { node { id role status joinedAt circle { name } invitedBy { nickname }
                     user { nickname isVerifiedOwner isFollowedByViewer } } }
    }
  }
}"""
CHAT = """
query($id: ID!, $last: Int) {
  circle(id: $id) {
    chatMessages(last: $last) {
      edges { node { body circle { name } author { nickname isBrandStaff } replyTo { body author { nickname } } } }
    }
  }
}"""
PENDING = """
query($first: Int) { pendingCircles(first: $first) { edges { node { name host { nickname } memberCount } } } }"""


def bulk_circles(count: int, *, status="ACTIVE", viewer=None) -> list[Circle]:
    now = timezone.now()
    start = Circle.objects.count()
    circles = Circle.objects.bulk_create(
        [
            Circle(
                name=f"批量圈{start + n}",
                description="…",
                kind="INTEREST",
                join_policy="OPEN",
                visibility="PUBLIC" if n % 2 else "PRIVATE",
                status=status,
                member_count=1,
            )
            for n in range(count)
        ]
    )
    hosts = UserFactory.create_batch(count)
    rows = [
        Membership(circle=c, user=h, role="HOST", status="ACTIVE", joined_at=now)
        for c, h in zip(circles, hosts, strict=True)
    ]
    if viewer is not None:
        rows += [Membership(circle=c, user=viewer, status="ACTIVE", joined_at=now) for c in circles[::2]]
    Membership.objects.bulk_create(rows)
    return circles


def test_circles_with_host_and_viewer_membership(gql, user, django_assert_max_num_queries):
    bulk_circles(5, viewer=user)
    token = gql.token_for(user)
    with django_assert_max_num_queries(12) as small:
        edges = data_of(gql(CIRCLES, {"first": 5}, token=token), "circles")["edges"]
    assert len(edges) == 5 and all(edge["node"]["host"] for edge in edges)
    bulk_circles(45, viewer=user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        edges = data_of(gql(CIRCLES, {"first": 50}, token=token), "circles")["edges"]
    assert len(edges) == 50
    assert sum(1 for edge in edges if edge["node"]["viewerMembership"]) == 3 + 23


def test_members_of_a_circle(gql, django_assert_max_num_queries):
    circle = make_circle(members=UserFactory.create_batch(4))
    viewer = circle.created_by
    token = gql.token_for(viewer)
    with django_assert_max_num_queries(14) as small:
        edges = data_of(gql(MEMBERS, {"id": gid(circle), "first": 5}, token=token), "circle")["members"]["edges"]
    assert len(edges) == 5
    now = timezone.now()
    Membership.objects.bulk_create(
        [Membership(circle=circle, user=u, status="ACTIVE", joined_at=now) for u in UserFactory.create_batch(100)]
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        edges = data_of(gql(MEMBERS, {"id": gid(circle), "first": 100}, token=token), "circle")["members"]["edges"]
    assert len(edges) == 100


def test_chat_history(gql, django_assert_max_num_queries):
    member = UserFactory()
    circle = make_circle(members=[member])
    first = ChatMessage.objects.create(circle=circle, author=circle.created_by, body="第一条")
    ChatMessage.objects.bulk_create(
        [ChatMessage(circle=circle, author=member, body=f"回复{n}", reply_to=first) for n in range(4)]
    )
    token = gql.token_for(member)
    with django_assert_max_num_queries(12) as small:
        edges = data_of(gql(CHAT, {"id": gid(circle), "last": 5}, token=token), "circle")["chatMessages"]["edges"]
    assert len(edges) == 5
    authors = UserFactory.create_batch(10)
    ChatMessage.objects.bulk_create(
        [ChatMessage(circle=circle, author=authors[n % 10], body=f"消息{n}", reply_to=first) for n in range(100)]
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        edges = data_of(gql(CHAT, {"id": gid(circle), "last": 100}, token=token), "circle")["chatMessages"]["edges"]
    assert len(edges) == 100


def test_pending_circles(gql, django_assert_max_num_queries):
    staff = BrandStaffFactory()
    bulk_circles(3, status="PENDING")
    token = gql.token_for(staff)
    with django_assert_max_num_queries(10) as small:
        assert len(data_of(gql(PENDING, {"first": 3}, token=token), "pendingCircles")["edges"]) == 3
    bulk_circles(40, status="PENDING")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(data_of(gql(PENDING, {"first": 43}, token=token), "pendingCircles")["edges"]) == 43
