"""A PRIVATE circle is listed, but its members and chat are for its members (and brand staff) only, in
every query; a PUBLIC circle's content is open to anyone. (The subscription: test_chat_subscription.)"""

import pytest

from circles import services
from circles.models import ChatMessage, Membership
from tests.circles.factories import make_circle, membership
from tests.factories import UserFactory
from tests.helpers import data_of, gid

CONTENT = """
query($id: ID!) {
  circle(id: $id) {
    name visibility memberCount host { nickname }
    members(first: 10) { edges { node { user { nickname } } } }
    chatMessages(last: 10) { edges { node { body } } }
  }
}"""
LISTED = """
{ circles(first: 10) { edges { node { name visibility
    members(first: 10) { edges { node { id } } }
    chatMessages(last: 10) { edges { node { body } } } } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id } }"
MANAGERS_ONLY = """
query($id: ID!) { circle(id: $id) {
  dashboard { activeMembersThisWeek } invites(first: 5) { edges { node { code } } }
  members(first: 5, status: BANNED) { edges { node { id } } }
} }"""


@pytest.fixture
def private(db):
    member = UserFactory(nickname="圈内人")
    circle = make_circle(name="露营私密圈", visibility="PRIVATE", join_policy="APPROVAL", members=[member])
    services.send_chat_message(user=member, circle_id=circle.pk, body="周末营地见")
    return circle, member


def forbidden_paths(result) -> set[tuple]:
    return {tuple(error["path"]) for error in result.get("errors", []) if error["extensions"]["code"] == "FORBIDDEN"}


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "requester", "former member"])
def test_outsiders_see_the_circle_but_not_its_content(gql, private, viewer):
    circle, member = private
    user = None
    if viewer == "outsider":
        user = UserFactory()
    elif viewer == "requester":
        user = UserFactory()
        services.join_circle(user=user, circle_id=circle.pk)  # PENDING
    elif viewer == "former member":
        user = member
        services.leave_circle(user=member, circle_id=circle.pk)
    result = gql(CONTENT, {"id": gid(circle)}, user=user)
    shown = result["data"]["circle"]
    assert (shown["name"], shown["visibility"], shown["members"], shown["chatMessages"]) == (
        "露营私密圈",
        "PRIVATE",
        None,
        None,
    )
    assert forbidden_paths(result) == {("circle", "members"), ("circle", "chatMessages")}
    listed = gql(LISTED, user=user)
    node = listed["data"]["circles"]["edges"][0]["node"]
    assert node["name"] == "露营私密圈" and node["members"] is None and node["chatMessages"] is None
    hidden = [ChatMessage.objects.get(), membership(circle, circle.created_by)]
    if user != member:
        hidden.append(membership(circle, member))  # everyone sees their own membership, even a past one
    for row in hidden:
        assert data_of(gql(NODE, {"id": gid(row)}, user=user), "node") is None


def test_members_and_brand_staff_read_a_private_circle(gql, private, brand_staff):
    circle, member = private
    for viewer in (member, circle.created_by, brand_staff):
        shown = data_of(gql(CONTENT, {"id": gid(circle)}, user=viewer), "circle")
        assert [e["node"]["body"] for e in shown["chatMessages"]["edges"]] == ["周末营地见"]
        assert len(shown["members"]["edges"]) == 2
    assert data_of(gql(NODE, {"id": gid(ChatMessage.objects.get())}, user=member), "node")["id"]
    assert data_of(gql(NODE, {"id": gid(membership(circle, member))}, user=member), "node")["id"]


def test_anyone_reads_a_public_circle(gql):
    member = UserFactory()
    circle = make_circle(visibility="PUBLIC", members=[member])
    services.send_chat_message(user=member, circle_id=circle.pk, body="欢迎新车友")
    shown = data_of(gql(CONTENT, {"id": gid(circle)}), "circle")
    assert [e["node"]["body"] for e in shown["chatMessages"]["edges"]] == ["欢迎新车友"]
    assert len(shown["members"]["edges"]) == 2
    assert data_of(gql(NODE, {"id": gid(ChatMessage.objects.get())}), "node")["id"]


def test_only_hosts_see_requests_bans_invites_and_figures(gql, private):
    circle, member = private
    services.create_invite(user=circle.created_by, circle_id=circle.pk)
    for viewer in (member, UserFactory(), None):
        result = gql(MANAGERS_ONLY, {"id": gid(circle)}, user=viewer)
        assert forbidden_paths(result) >= {("circle", "dashboard"), ("circle", "invites"), ("circle", "members")}
        assert all(result["data"]["circle"][field] is None for field in ("dashboard", "invites", "members"))
    host = data_of(gql(MANAGERS_ONLY, {"id": gid(circle)}, user=circle.created_by), "circle")
    assert host["dashboard"] is not None and len(host["invites"]["edges"]) == 1


def test_a_pending_request_is_visible_to_its_author_and_the_hosts_only(gql, private):
    circle, member = private
    asking = UserFactory()
    request = services.join_circle(user=asking, circle_id=circle.pk)
    assert request.status == Membership.Status.PENDING
    assert data_of(gql(NODE, {"id": gid(request)}, user=asking), "node")["id"]
    assert data_of(gql(NODE, {"id": gid(request)}, user=circle.created_by), "node")["id"]
    assert data_of(gql(NODE, {"id": gid(request)}, user=member), "node") is None
