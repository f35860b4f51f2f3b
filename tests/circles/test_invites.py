"""Invites: made by hosts and co-hosts, unguessable, limited in uses and time, recording who invited whom."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from circles import services
from circles.models import Invite, InviteUse, Membership
from circles.services import invites
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import User
from tests.circles.factories import add_member, make_circle, membership
from tests.circles.helpers import CREATE_INVITE, JOIN, REMOVE, SET_ROLE
from tests.factories import PASSWORD, UserFactory
from tests.helpers import at_once, codes, data_of, gid, run

REGISTER = """
mutation($input: RegisterInput!) {
  register(input: $input) { token user { id } errors { field code message } }
}"""
MY_CIRCLES = "query($id: ID!) { circle(id: $id) { viewerMembership { status role } memberCount } }"


@pytest.fixture
def circle(db):
    return make_circle(join_policy="INVITE_ONLY", co_hosts=[UserFactory(nickname="副圈主")])


def host_of(circle):
    return circle.created_by


def co_host_of(circle):
    return Membership.objects.get(circle=circle, role="CO_HOST").user


def invite(gql, user, circle, **fields):
    return run(gql, CREATE_INVITE, "createInvite", user=user, circleId=gid(circle), **fields)


def test_hosts_and_co_hosts_make_invites(gql, circle):
    later = (timezone.now() + timedelta(days=7)).isoformat()
    made = invite(gql, host_of(circle), circle, maxUses=5, expiresAt=later)
    assert made["errors"] == []
    assert made["invite"]["maxUses"] == 5 and made["invite"]["uses"] == 0
    assert made["invite"]["circle"]["id"] == gid(circle)
    assert invite(gql, co_host_of(circle), circle)["invite"]["expiresAt"] is None
    assert Activity.objects.filter(verb=Verb.CIRCLE_INVITE_CREATED, circle_id=circle.pk).count() == 2


def test_invite_refusals(gql, circle, brand_staff):
    member = UserFactory()
    add_member(circle, member)
    for actor, code in ((None, "UNAUTHENTICATED"), (UserFactory(), "FORBIDDEN"), (member, "FORBIDDEN")):
        assert codes(invite(gql, actor, circle)) == [code]
    assert invite(gql, member, circle)["errors"][0]["message"] == "只有圈主和副圈主可以创建邀请。"
    pending = make_circle(approve=False)
    assert codes(invite(gql, pending.created_by, pending)) == ["CLOSED"]
    bad = invite(gql, host_of(circle), circle, maxUses=0, expiresAt=(timezone.now() - timedelta(hours=1)).isoformat())
    assert {(e["field"], e["code"]) for e in bad["errors"]} == {("maxUses", "INVALID"), ("expiresAt", "INVALID")}
    too_long = invite(gql, host_of(circle), circle, expiresAt=(timezone.now() + timedelta(days=91)).isoformat())
    assert too_long["errors"][0]["field"] == "expiresAt"
    assert not Invite.objects.exclude(pk=membership(circle, member).invite_id).exists()  # the member came by one


def test_codes_are_long_random_and_distinct(db, circle):
    codes_made = {services.create_invite(user=host_of(circle), circle_id=circle.pk).code for _ in range(50)}
    assert len(codes_made) == 50
    assert all(len(code) >= 16 and code.replace("-", "").replace("_", "").isalnum() for code in codes_made)


def test_an_invite_lets_someone_in_and_records_who_invited_whom(gql, circle):
    inviter = co_host_of(circle)
    code = invite(gql, inviter, circle, maxUses=2)["invite"]["code"]
    guest = UserFactory()
    joined = run(gql, JOIN, "joinCircle", user=guest, circleId=gid(circle), inviteCode=code)
    assert joined["errors"] == [] and joined["membership"]["status"] == "ACTIVE"
    row = membership(circle, guest)
    assert (row.invited_by, row.invite.code) == (inviter, code)
    use = InviteUse.objects.get()
    assert (use.inviter, use.invitee, use.circle) == (inviter, guest, circle)
    assert Invite.objects.get().uses == 1
    accepted = Activity.objects.get(verb=Verb.CIRCLE_INVITE_ACCEPTED)
    assert (accepted.actor, accepted.data["inviter_id"]) == (guest, inviter.pk)
    assert Activity.objects.get(verb=Verb.CIRCLE_JOINED, actor=guest).data["via"] == "invite"
    shown = data_of(
        gql(
            """query($id: ID!) {
              circle(id: $id) { members(first: 10) { edges { node { user { id } invitedBy { nickname } } } } }
            }""",
            {"id": gid(circle)},
            user=guest,
        ),
        "circle",
    )
    assert {"user": {"id": gid(guest)}, "invitedBy": {"nickname": "副圈主"}} in [
        e["node"] for e in shown["members"]["edges"]
    ]


def test_an_invite_skips_approval(gql):
    circle = make_circle(join_policy="APPROVAL")
    code = services.create_invite(user=circle.created_by, circle_id=circle.pk).code
    joined = run(gql, JOIN, "joinCircle", user=UserFactory(), circleId=gid(circle), inviteCode=code)
    assert joined["membership"]["status"] == "ACTIVE"


def test_used_up_expired_revoked_and_foreign_invites_are_refused(gql, circle):
    host = host_of(circle)
    once = services.create_invite(user=host, circle_id=circle.pk, max_uses=1)
    run(gql, JOIN, "joinCircle", user=UserFactory(), circleId=gid(circle), inviteCode=once.code)
    used_up = run(gql, JOIN, "joinCircle", user=UserFactory(), circleId=gid(circle), inviteCode=once.code)
    assert used_up["errors"] == [{"field": "inviteCode", "code": "INVALID", "message": "该邀请的使用次数已用完。"}]

    expired = services.create_invite(user=host, circle_id=circle.pk)
    Invite.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    result = run(gql, JOIN, "joinCircle", user=UserFactory(), circleId=gid(circle), inviteCode=expired.code)
    assert result["errors"][0]["message"] == "该邀请已过期。"

    revoked = services.create_invite(user=host, circle_id=circle.pk)
    services.revoke_invite(user=host, code=revoked.code)
    result = run(gql, JOIN, "joinCircle", user=UserFactory(), circleId=gid(circle), inviteCode=revoked.code)
    assert result["errors"][0]["message"] == "该邀请已被作废。"

    other = make_circle(join_policy="INVITE_ONLY")
    foreign = services.create_invite(user=other.created_by, circle_id=other.pk)
    result = run(gql, JOIN, "joinCircle", user=UserFactory(), circleId=gid(circle), inviteCode=foreign.code)
    assert result["errors"][0]["message"] == "邀请码无效。"
    english = gql(JOIN, {"input": {"circleId": gid(circle), "inviteCode": "nope"}}, user=UserFactory(), language="en")
    assert data_of(english, "joinCircle")["errors"][0]["message"] == "This invite code is not valid."
    circle.refresh_from_db()
    assert circle.member_count == 3  # host, co-host, the one who used `once`


def test_an_invite_lapses_when_its_maker_no_longer_runs_the_circle(gql, circle):
    co_host = co_host_of(circle)
    code = services.create_invite(user=co_host, circle_id=circle.pk).code
    run(
        gql,
        SET_ROLE,
        "setMemberRole",
        user=host_of(circle),
        membershipId=gid(membership(circle, co_host)),
        role="MEMBER",
    )
    result = run(gql, JOIN, "joinCircle", user=UserFactory(), circleId=gid(circle), inviteCode=code)
    assert result["errors"][0]["message"] == "该邀请已失效。"


def test_a_banned_user_cannot_be_invited_back(gql, circle):
    host = host_of(circle)
    troublemaker = UserFactory()
    add_member(circle, troublemaker)
    run(gql, REMOVE, "removeMember", user=host, membershipId=gid(membership(circle, troublemaker)), ban=True)
    code = services.create_invite(user=host, circle_id=circle.pk).code
    result = run(gql, JOIN, "joinCircle", user=troublemaker, circleId=gid(circle), inviteCode=code)
    assert codes(result) == ["FORBIDDEN"]
    assert Invite.objects.get(code=code).uses == 0 and not InviteUse.objects.filter(invite__code=code).exists()


def test_registering_with_an_invite_joins_the_circle_at_once(gql, circle):
    code = services.create_invite(user=co_host_of(circle), circle_id=circle.pk, max_uses=1).code
    payload = {"username": "xiaoli", "password": PASSWORD, "nickname": "小李", "inviteCode": code}
    result = data_of(gql(REGISTER, {"input": payload}), "register")
    assert result["errors"] == []
    newcomer = User.objects.get(username="xiaoli")
    assert data_of(gql(MY_CIRCLES, {"id": gid(circle)}, token=result["token"]), "circle") == {
        "viewerMembership": {"status": "ACTIVE", "role": "MEMBER"},
        "memberCount": 3,
    }
    assert membership(circle, newcomer).invited_by == co_host_of(circle)
    assert Activity.objects.get(verb=Verb.CIRCLE_JOINED, actor=newcomer).data["via"] == "register"
    # the invite is used up now: the next registration is refused and writes nothing
    again = data_of(gql(REGISTER, {"input": {**payload, "username": "xiaozhang"}}), "register")
    assert again["errors"] == [{"field": "inviteCode", "code": "INVALID", "message": "该邀请的使用次数已用完。"}]
    assert not User.objects.filter(username="xiaozhang").exists()


def test_registering_with_an_expired_invite_writes_nothing(gql, circle):
    made = services.create_invite(user=host_of(circle), circle_id=circle.pk)
    Invite.objects.filter(pk=made.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    payload = {"username": "laozhao", "password": PASSWORD, "nickname": "老赵", "inviteCode": made.code}
    result = data_of(gql(REGISTER, {"input": payload}), "register")
    assert result["token"] is None
    assert result["errors"] == [{"field": "inviteCode", "code": "INVALID", "message": "该邀请已过期。"}]
    assert not User.objects.filter(username="laozhao").exists()


def test_a_race_for_the_last_use_of_an_invite_lets_one_in(db, circle, monkeypatch):
    """The check and the count happen under the invite's lock: when the check passed on stale
    data, the database's check constraint still refuses going over max_uses."""
    made = services.create_invite(user=host_of(circle), circle_id=circle.pk, max_uses=1)
    services.join_circle(user=UserFactory(), circle_id=circle.pk, invite_code=made.code)
    monkeypatch.setattr(invites, "invite_problem", lambda *args, **kwargs: None)  # as if the check saw uses=0
    with pytest.raises(IntegrityError) as refused:
        services.join_circle(user=UserFactory(), circle_id=circle.pk, invite_code=made.code)
    assert "invite_uses_within_max" in str(refused.value)
    assert Invite.objects.get().uses == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_users_never_overuse_an_invite():
    circle = make_circle(join_policy="INVITE_ONLY")
    made = services.create_invite(user=circle.created_by, circle_id=circle.pk, max_uses=3)
    guests = UserFactory.create_batch(8)
    outcomes = at_once(
        [
            lambda guest=guest: services.join_circle(user=guest, circle_id=circle.pk, invite_code=made.code)
            for guest in guests
        ],
        wait=10,
        join=30,
    )
    assert outcomes.crashes == []
    assert (sorted(outcomes.codes), len(outcomes.results)) == (["INVALID"] * 5, 3)
    assert Invite.objects.get().uses == 3 == InviteUse.objects.count()
    circle.refresh_from_db()
    assert circle.member_count == 4
