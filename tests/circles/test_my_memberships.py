"""myMemberships: the viewer's own circles (the web client's "my circles" and the host area), by role and
status, paged, in a constant number of queries."""

from __future__ import annotations

import pytest

from circles import services
from circles.models import Membership
from tests.circles.factories import add_member, make_circle, verified_owner
from tests.factories import UserFactory
from tests.helpers import data_of

pytestmark = pytest.mark.django_db

MINE = """
query($first: Int, $after: String, $role: CircleRole, $status: MembershipStatus) {
  myMemberships(first: $first, after: $after, role: $role, status: $status) {
    pageInfo { hasNextPage endCursor }
    edges { node { id role status circle { id name status memberCount host { nickname } viewerMembership { role } } } }
  }
}"""


def names(result) -> list[str]:
    return [edge["node"]["circle"]["name"] for edge in data_of(result, "myMemberships")["edges"]]


def test_the_viewers_circles_newest_first_with_their_role(gql):
    owner = verified_owner()
    hosted = make_circle(host=owner, name="重庆欧尚车友会")
    joined = make_circle(name="川渝自驾游小分队", members=[owner])
    make_circle(name="别人的圈")
    result = gql(MINE, {"first": 10}, user=owner)
    assert names(result) == ["川渝自驾游小分队", "重庆欧尚车友会"]
    roles = {e["node"]["circle"]["name"]: e["node"]["role"] for e in data_of(result, "myMemberships")["edges"]}
    assert roles == {hosted.name: "HOST", joined.name: "MEMBER"}
    assert names(gql(MINE, {"role": "HOST"}, user=owner)) == ["重庆欧尚车友会"]


def test_a_circle_waiting_for_review_is_listed_for_its_founder(gql):
    owner = verified_owner()
    make_circle(host=owner, name="等待审核的圈", approve=False)
    edges = data_of(gql(MINE, {"role": "HOST"}, user=owner), "myMemberships")["edges"]
    circles = [(e["node"]["circle"]["name"], e["node"]["circle"]["status"]) for e in edges]
    assert circles == [("等待审核的圈", "PENDING")]


def test_requests_and_left_circles_by_status(gql, on_commit):
    owner = verified_owner()
    asking = make_circle(name="需要审核的圈", join_policy="APPROVAL")
    left = make_circle(name="退出的圈", members=[owner])
    with on_commit():
        services.join_circle(user=owner, circle_id=asking.pk)
        services.leave_circle(user=owner, circle_id=left.pk)
    assert names(gql(MINE, {}, user=owner)) == []
    assert names(gql(MINE, {"status": "PENDING"}, user=owner)) == ["需要审核的圈"]
    assert names(gql(MINE, {"status": "LEFT"}, user=owner)) == ["退出的圈"]


def test_pages_with_cursors(gql):
    owner = UserFactory()
    for n in range(5):
        add_member(make_circle(name=f"圈{n}"), owner)
    first = data_of(gql(MINE, {"first": 3}, user=owner), "myMemberships")
    assert first["pageInfo"]["hasNextPage"] is True
    rest = data_of(gql(MINE, {"first": 3, "after": first["pageInfo"]["endCursor"]}, user=owner), "myMemberships")
    seen = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(seen) == len(set(seen)) == 5
    assert rest["pageInfo"]["hasNextPage"] is False


def test_anonymous_viewers_are_told_to_log_in(gql):
    result = gql(MINE, {})
    assert result["data"]["myMemberships"] is None
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("size", [2, 8])
def test_query_count_does_not_grow_with_the_page(gql, django_assert_max_num_queries, size):
    owner = UserFactory()
    for n in range(size):
        add_member(make_circle(name=f"大小{size}圈{n}"), owner)
    assert Membership.objects.filter(user=owner).count() == size
    gql.token_for(owner)
    with django_assert_max_num_queries(8):
        result = gql(MINE, {"first": size}, user=owner)
    assert len(names(result)) == size
