"""Memberships: the three join policies, requests, leaving, roles, removal and bans, and who is told."""

import pytest
from graphql_relay import to_global_id

from circles.models import Circle, Membership
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from tests.circles.factories import add_member, make_circle, membership, verified_owner
from tests.circles.helpers import JOIN, LEAVE, MUTE, REMOVE, REVIEW_REQUEST, SET_ROLE, UNBAN
from tests.factories import UserFactory
from tests.helpers import codes, data_of, gid, run

MEMBERS = """
query($id: ID!, $role: CircleRole, $status: MembershipStatus) {
  circle(id: $id) {
    viewerMembership { role status }
    members(first: 20, role: $role, status: $status) { edges { node { role status user { nickname } } } }
  }
}"""


@pytest.fixture
def crew(db):
    """A circle with a host, a co-host and a member."""
    host, co_host, member = (
        verified_owner(nickname="圈主"),
        UserFactory(nickname="副圈主"),
        UserFactory(nickname="成员"),
    )
    circle = make_circle(host=host, join_policy="APPROVAL", co_hosts=[co_host], members=[member])
    return circle, host, co_host, member


def join(gql, user, circle, **extra):
    return run(gql, JOIN, "joinCircle", user=user, circleId=gid(circle), **extra)


# ---------------------------------------------------------------- joining


def test_an_open_circle_takes_members_at_once_and_once(gql, user):
    circle = make_circle(join_policy="OPEN")
    first = join(gql, user, circle)
    assert first["errors"] == []
    assert first["membership"]["role"] == "MEMBER" and first["membership"]["status"] == "ACTIVE"
    assert first["membership"]["circle"]["memberCount"] == 2
    again = join(gql, user, circle)
    assert again["membership"]["id"] == first["membership"]["id"]
    circle.refresh_from_db()
    assert circle.member_count == 2
    joined = Activity.objects.get(verb=Verb.CIRCLE_JOINED, actor=user)
    assert joined.circle_id == circle.pk and joined.data == {"via": "open"}


def test_an_approval_circle_asks_its_hosts_who_are_notified(gql, crew):
    circle, host, co_host, _member = crew
    newcomer = UserFactory(nickname="新人")
    result = join(gql, newcomer, circle)
    assert result["errors"] == [] and result["membership"]["status"] == "PENDING"
    assert result["membership"]["joinedAt"] is None
    assert join(gql, newcomer, circle)["membership"]["status"] == "PENDING"  # asking twice asks once
    requested = Notification.objects.filter(verb=NotificationVerb.JOIN_REQUESTED)
    assert sorted(n.recipient_id for n in requested) == sorted([host.pk, co_host.pk])
    text = data_of(gql("{ notifications { edges { node { text } } } }", user=host), "notifications")
    assert {"node": {"text": f"新人 申请加入「{circle.name}」"}} in text["edges"]
    circle.refresh_from_db()
    assert circle.member_count == 3


def test_join_refusals(gql, user, brand_staff):
    invite_only = make_circle(join_policy="INVITE_ONLY")
    assert join(gql, user, invite_only)["errors"] == [
        {"field": "inviteCode", "code": "FORBIDDEN", "message": "该车友圈仅限邀请加入，需要邀请码。"}
    ]
    assert codes(join(gql, None, invite_only)) == ["UNAUTHENTICATED"]
    pending = make_circle(approve=False)
    assert join(gql, user, pending)["errors"] == [{"field": None, "code": "CLOSED", "message": "该车友圈尚在审核中。"}]
    archived = make_circle()
    from circles import services

    services.archive_circle(user=brand_staff, circle_id=archived.pk)
    assert codes(join(gql, user, archived)) == ["CLOSED"]
    missing = run(gql, JOIN, "joinCircle", user=user, circleId=to_global_id("Circle", 10**9))
    assert codes(missing) == ["NOT_FOUND"]
    garbage = run(gql, JOIN, "joinCircle", user=user, circleId="nonsense")
    assert garbage["errors"] == [{"field": "circleId", "code": "INVALID", "message": "ID 无效。"}]
    assert not Membership.objects.filter(user=user).exists()


def test_a_banned_user_cannot_rejoin_until_the_ban_is_lifted(gql, crew):
    circle, host, co_host, member = crew
    banned = run(gql, REMOVE, "removeMember", user=co_host, membershipId=gid(membership(circle, member)), ban=True)
    assert banned["errors"] == [] and banned["membership"]["status"] == "BANNED"
    assert join(gql, member, circle)["errors"] == [
        {"field": None, "code": "FORBIDDEN", "message": "你已被该车友圈封禁。"}
    ]
    assert codes(run(gql, UNBAN, "unbanMember", user=member, membershipId=gid(membership(circle, member)))) == [
        "FORBIDDEN"
    ]
    lifted = run(gql, UNBAN, "unbanMember", user=host, membershipId=gid(membership(circle, member)))
    assert lifted["membership"]["status"] == "LEFT"
    assert join(gql, member, circle)["membership"]["status"] == "PENDING"


# ---------------------------------------------------------------- requests


def test_a_co_host_approves_a_request_and_the_member_is_notified(gql, crew):
    circle, host, co_host, _member = crew
    newcomer = UserFactory()
    request = join(gql, newcomer, circle)["membership"]
    result = run(gql, REVIEW_REQUEST, "reviewJoinRequest", user=co_host, membershipId=request["id"], approve=True)
    assert result["errors"] == []
    assert result["membership"]["status"] == "ACTIVE" and result["membership"]["joinedAt"]
    assert result["membership"]["circle"]["memberCount"] == 4
    approved = Notification.objects.get(verb=NotificationVerb.JOIN_APPROVED)
    assert (approved.recipient, approved.actor) == (newcomer, co_host)
    text = data_of(gql("{ notifications { edges { node { text } } } }", user=newcomer), "notifications")
    assert text["edges"] == [{"node": {"text": f"你已成为「{circle.name}」的成员"}}]
    again = run(gql, REVIEW_REQUEST, "reviewJoinRequest", user=host, membershipId=request["id"], approve=False)
    assert again["errors"] == [{"field": "membershipId", "code": "CONFLICT", "message": "该申请已处理过。"}]


def test_a_declined_request_leaves_no_member(gql, crew):
    circle, host, *_ = crew
    request = join(gql, UserFactory(), circle)["membership"]
    result = run(gql, REVIEW_REQUEST, "reviewJoinRequest", user=host, membershipId=request["id"], approve=False)
    assert result["membership"]["status"] == "LEFT"
    circle.refresh_from_db()
    assert circle.member_count == 3
    assert not Notification.objects.filter(verb=NotificationVerb.JOIN_APPROVED).exists()


def test_review_request_refusals(gql, crew):
    circle, _host, _co_host, member = crew
    request = join(gql, UserFactory(), circle)["membership"]
    for actor, code in ((None, "UNAUTHENTICATED"), (UserFactory(), "FORBIDDEN"), (member, "FORBIDDEN")):
        result = run(gql, REVIEW_REQUEST, "reviewJoinRequest", user=actor, membershipId=request["id"], approve=True)
        assert codes(result) == [code], actor
    assert (
        run(gql, REVIEW_REQUEST, "reviewJoinRequest", user=member, membershipId=request["id"], approve=True)["errors"][
            0
        ]["message"]
        == "只有圈主和副圈主可以审核加入申请。"
    )
    assert Membership.objects.filter(circle=circle, status="PENDING").count() == 1
    assert not Notification.objects.filter(verb=NotificationVerb.JOIN_APPROVED).exists()


# ---------------------------------------------------------------- leaving


def test_leaving_and_withdrawing(gql, crew):
    circle, _host, _co_host, member = crew
    left = run(gql, LEAVE, "leaveCircle", user=member, circleId=gid(circle))
    assert left["errors"] == [] and left["membership"]["status"] == "LEFT"
    assert left["membership"]["circle"]["memberCount"] == 2
    again = run(gql, LEAVE, "leaveCircle", user=member, circleId=gid(circle))
    assert again["errors"] == [{"field": "circleId", "code": "NOT_FOUND", "message": "你不是该车友圈的成员。"}]
    asking = UserFactory()
    join(gql, asking, circle)
    withdrawn = run(gql, LEAVE, "leaveCircle", user=asking, circleId=gid(circle))
    assert withdrawn["membership"]["status"] == "LEFT"
    assert codes(run(gql, LEAVE, "leaveCircle", circleId=gid(circle))) == ["UNAUTHENTICATED"]
    circle.refresh_from_db()
    assert circle.member_count == 2


# ---------------------------------------------------------------- roles


def test_the_host_appoints_a_co_host_who_is_notified(gql, crew):
    circle, host, _co_host, member = crew
    result = run(
        gql, SET_ROLE, "setMemberRole", user=host, membershipId=gid(membership(circle, member)), role="CO_HOST"
    )
    assert result["errors"] == [] and result["membership"]["role"] == "CO_HOST"
    text = data_of(gql("{ notifications { edges { node { verb text } } } }", user=member), "notifications")
    assert text["edges"] == [
        {"node": {"verb": NotificationVerb.ROLE_CHANGED, "text": f"你现在是「{circle.name}」的副圈主"}}
    ]
    english = data_of(gql("{ notifications { edges { node { text } } } }", user=member, language="en"), "notifications")
    assert english["edges"] == [{"node": {"text": f"You are now a co-host of {circle.name}"}}]
    back = run(gql, SET_ROLE, "setMemberRole", user=host, membershipId=gid(membership(circle, member)), role="MEMBER")
    assert back["membership"]["role"] == "MEMBER"


def test_only_the_host_appoints(gql, crew):
    circle, host, co_host, member = crew
    target = gid(membership(circle, member))
    cases = (
        (None, "UNAUTHENTICATED"),
        (UserFactory(), "FORBIDDEN"),  # not a member
        (member, "FORBIDDEN"),  # a member acting as host
        (co_host, "FORBIDDEN"),  # a co-host appointing co-hosts
    )
    for actor, code in cases:
        result = run(gql, SET_ROLE, "setMemberRole", user=actor, membershipId=target, role="CO_HOST")
        assert codes(result) == [code]
    refused = run(gql, SET_ROLE, "setMemberRole", user=co_host, membershipId=target, role="CO_HOST")
    assert refused["errors"][0]["message"] == "只有圈主可以任命副圈主。"
    own = run(gql, SET_ROLE, "setMemberRole", user=host, membershipId=gid(membership(circle, host)), role="MEMBER")
    assert codes(own) == ["INVALID"]
    assert membership(circle, member).role == "MEMBER"
    assert not Notification.objects.filter(verb=NotificationVerb.ROLE_CHANGED, recipient=member).exists()


def test_a_banned_or_departed_member_gets_no_role(gql, crew):
    circle, host, _co_host, member = crew
    run(gql, REMOVE, "removeMember", user=host, membershipId=gid(membership(circle, member)), ban=True)
    result = run(
        gql, SET_ROLE, "setMemberRole", user=host, membershipId=gid(membership(circle, member)), role="CO_HOST"
    )
    assert result["errors"] == [{"field": "membershipId", "code": "INVALID", "message": "只有正式成员可以被任命角色。"}]


# ---------------------------------------------------------------- removal


def test_removal_rules(gql, crew):
    circle, host, co_host, member = crew
    other = UserFactory()
    add_member(circle, other)
    cases = (
        (None, member, "UNAUTHENTICATED"),
        (UserFactory(), member, "FORBIDDEN"),  # not a member
        (other, member, "FORBIDDEN"),  # a member acting as host
        (co_host, host, "FORBIDDEN"),  # nobody but brand staff removes the host
        (member, co_host, "FORBIDDEN"),
    )
    for actor, target, code in cases:
        result = run(gql, REMOVE, "removeMember", user=actor, membershipId=gid(membership(circle, target)))
        assert codes(result) == [code], (actor, target)
    second_co_host = UserFactory()
    add_member(circle, second_co_host)
    run(gql, SET_ROLE, "setMemberRole", user=host, membershipId=gid(membership(circle, second_co_host)), role="CO_HOST")
    co_on_co = run(gql, REMOVE, "removeMember", user=co_host, membershipId=gid(membership(circle, second_co_host)))
    assert co_on_co["errors"][0]["message"] == "只有圈主可以移出副圈主。"
    themselves = run(gql, REMOVE, "removeMember", user=co_host, membershipId=gid(membership(circle, co_host)))
    assert codes(themselves) == ["INVALID"]
    circle.refresh_from_db()
    assert circle.member_count == 5

    removed = run(gql, REMOVE, "removeMember", user=co_host, membershipId=gid(membership(circle, member)))
    assert removed["errors"] == [] and removed["membership"]["status"] == "LEFT"
    assert removed["membership"]["circle"]["memberCount"] == 4
    by_host = run(gql, REMOVE, "removeMember", user=host, membershipId=gid(membership(circle, second_co_host)))
    assert by_host["membership"]["status"] == "LEFT" and by_host["membership"]["role"] == "MEMBER"
    activity = Activity.objects.filter(verb=Verb.CIRCLE_MEMBER_REMOVED).first()
    assert activity.data == {"member_id": member.pk, "banned": False, "was_active": True}
    # removed, not banned: may come back (the circle asks for approval)
    assert join(gql, member, circle)["membership"]["status"] == "PENDING"


def test_banning_someone_who_already_left_keeps_them_out(gql, crew):
    circle, host, _co_host, member = crew
    run(gql, LEAVE, "leaveCircle", user=member, circleId=gid(circle))
    banned = run(gql, REMOVE, "removeMember", user=host, membershipId=gid(membership(circle, member)), ban=True)
    assert banned["membership"]["status"] == "BANNED"
    circle.refresh_from_db()
    assert circle.member_count == 2  # counted out once, when they left
    assert codes(join(gql, member, circle)) == ["FORBIDDEN"]


def test_muting(gql, crew):
    circle, host, co_host, member = crew
    muted = run(gql, MUTE, "muteMember", user=co_host, membershipId=gid(membership(circle, member)), days=3)
    assert muted["errors"] == [] and muted["membership"]["mutedUntil"]
    assert codes(run(gql, MUTE, "muteMember", user=co_host, membershipId=gid(membership(circle, host)), days=1)) == [
        "FORBIDDEN"
    ]
    assert codes(run(gql, MUTE, "muteMember", user=member, membershipId=gid(membership(circle, co_host)), days=1)) == [
        "FORBIDDEN"
    ]
    assert codes(run(gql, MUTE, "muteMember", user=host, membershipId=gid(membership(circle, member)), days=99)) == [
        "INVALID"
    ]
    lifted = run(gql, MUTE, "muteMember", user=host, membershipId=gid(membership(circle, member)), days=0)
    assert lifted["membership"]["mutedUntil"] is None


# ---------------------------------------------------------------- lists


def test_members_by_role_and_status_and_the_viewers_membership(gql, crew):
    circle, _host, co_host, member = crew
    asking = UserFactory(nickname="申请人")
    join(gql, asking, circle)

    def nodes(viewer, **variables):
        result = data_of(gql(MEMBERS, {"id": gid(circle), **variables}, user=viewer), "circle")
        return result["viewerMembership"], [edge["node"] for edge in result["members"]["edges"]]

    mine, everyone = nodes(member)
    assert mine == {"role": "MEMBER", "status": "ACTIVE"}
    assert [(n["role"], n["user"]["nickname"]) for n in everyone] == [
        ("HOST", "圈主"),
        ("CO_HOST", "副圈主"),
        ("MEMBER", "成员"),
    ]
    assert [n["user"]["nickname"] for n in nodes(member, role="CO_HOST")[1]] == ["副圈主"]
    assert nodes(asking)[0] == {"role": "MEMBER", "status": "PENDING"}
    assert nodes(UserFactory())[0] is None
    assert [n["user"]["nickname"] for n in nodes(co_host, status="PENDING")[1]] == ["申请人"]
    refused = gql(MEMBERS, {"id": gid(circle), "status": "PENDING"}, user=member)
    assert refused["data"]["circle"]["members"] is None
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_members_pages_by_cursor(gql):
    circle = make_circle(members=UserFactory.create_batch(5))
    query = """query($id: ID!, $after: String) {
      circle(id: $id) { members(first: 4, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }
    }"""
    first = data_of(gql(query, {"id": gid(circle)}), "circle")["members"]
    assert first["pageInfo"]["hasNextPage"] is True and len(first["edges"]) == 4
    rest = data_of(gql(query, {"id": gid(circle), "after": first["pageInfo"]["endCursor"]}), "circle")["members"]
    assert rest["pageInfo"]["hasNextPage"] is False and len(rest["edges"]) == 2
    seen = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(set(seen)) == 6 == Circle.objects.get().member_count


def test_a_banned_former_co_host_can_do_nothing_in_the_circle(gql, crew):
    from tests.circles.helpers import CREATE_INVITE, SEND, TRANSFER

    circle, host, co_host, member = crew
    request = join(gql, UserFactory(), circle)["membership"]
    run(gql, REMOVE, "removeMember", user=host, membershipId=gid(membership(circle, co_host)), ban=True)
    target = gid(membership(circle, member))
    attempts = {
        "joinCircle": (JOIN, {"circleId": gid(circle)}, "FORBIDDEN"),
        "leaveCircle": (LEAVE, {"circleId": gid(circle)}, "NOT_FOUND"),
        "reviewJoinRequest": (REVIEW_REQUEST, {"membershipId": request["id"], "approve": True}, "FORBIDDEN"),
        "setMemberRole": (SET_ROLE, {"membershipId": target, "role": "CO_HOST"}, "FORBIDDEN"),
        "removeMember": (REMOVE, {"membershipId": target}, "FORBIDDEN"),
        "muteMember": (MUTE, {"membershipId": target, "days": 1}, "FORBIDDEN"),
        "transferHost": (TRANSFER, {"circleId": gid(circle), "userId": gid(co_host)}, "FORBIDDEN"),
        "createInvite": (CREATE_INVITE, {"circleId": gid(circle)}, "FORBIDDEN"),
        "sendChatMessage": (SEND, {"circleId": gid(circle), "body": "我又来了"}, "FORBIDDEN"),
    }
    for field, (document, fields, code) in attempts.items():
        assert codes(run(gql, document, field, user=co_host, **fields)) == [code], field
    assert membership(circle, member).role == "MEMBER" and membership(circle, co_host).status == "BANNED"
    assert Membership.objects.get(pk=membership(circle, host).pk).role == "HOST"
