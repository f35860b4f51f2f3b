"""Hosts: exactly one active host per active circle, in the services and in the database; handing over;
succession when the host leaves or is removed; and the rule holding under concurrent changes."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from circles import services
from circles.models import Circle, Membership
from community.kernel.errors import ServiceError
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from tests.circles.factories import add_member, make_circle, membership, verified_owner
from tests.circles.helpers import LEAVE, REMOVE, SET_ROLE, TRANSFER
from tests.factories import UserFactory
from tests.helpers import at_once, codes, data_of, gid, run


def hosts(circle) -> list[int]:
    return list(
        Membership.objects.filter(circle=circle, role="HOST", status="ACTIVE").values_list("user_id", flat=True)
    )


@pytest.fixture
def circle(db):
    """Host 圈主; co-hosts 老副 (appointed first) and 新副; members 老成员 (joined long ago) and 新成员."""
    host = verified_owner(nickname="圈主")
    old_co, new_co = UserFactory(nickname="老副"), UserFactory(nickname="新副")
    circle = make_circle(host=host, co_hosts=[new_co, old_co])  # new_co joined first...
    for nickname, days in (("老成员", 300), ("新成员", 1)):
        add_member(circle, UserFactory(nickname=nickname), joined_days_ago=days)
    # ...but old_co has been co-host longer: succession goes by time in the role.
    Membership.objects.filter(circle=circle, user=old_co).update(
        role_since=Membership.objects.get(circle=circle, user=new_co).role_since.replace(year=2024)
    )
    circle.refresh_from_db()
    return circle


def user(circle, nickname):
    return Membership.objects.get(circle=circle, user__nickname=nickname).user


def test_the_host_hands_over_and_everyone_is_told(gql, circle):
    host, heir = circle.created_by, user(circle, "新成员")
    result = run(gql, TRANSFER, "transferHost", user=host, circleId=gid(circle), userId=gid(heir))
    assert result["errors"] == []
    assert result["membership"]["role"] == "HOST" and result["membership"]["user"]["nickname"] == "新成员"
    assert hosts(circle) == [heir.pk]
    assert membership(circle, host).role == "CO_HOST"  # the old host stays, as a co-host
    changed = Activity.objects.get(verb=Verb.CIRCLE_HOST_CHANGED)
    assert changed.data == {"reason": "transfer", "previous_host_id": host.pk, "new_host_id": heir.pk}
    texts = data_of(gql("{ notifications { edges { node { text } } } }", user=heir), "notifications")
    assert {"node": {"text": f"你现在是「{circle.name}」的圈主"}} in texts["edges"]
    member_texts = data_of(
        gql("{ notifications { edges { node { text } } } }", user=user(circle, "老成员")), "notifications"
    )
    assert member_texts["edges"] == [{"node": {"text": f"新成员 成为了「{circle.name}」的新圈主"}}]
    told = set(Notification.objects.filter(verb=NotificationVerb.ROLE_CHANGED).values_list("recipient_id", flat=True))
    members = set(circle.memberships.filter(status="ACTIVE").values_list("user_id", flat=True))
    assert told == members - {host.pk}  # everyone but the one who handed over


def test_set_member_role_host_is_a_transfer(gql, circle):
    heir = user(circle, "老副")
    run(gql, SET_ROLE, "setMemberRole", user=circle.created_by, membershipId=gid(membership(circle, heir)), role="HOST")
    assert hosts(circle) == [heir.pk]


def test_transfer_refusals(gql, circle, brand_staff):
    host, co_host, member = circle.created_by, user(circle, "老副"), user(circle, "老成员")
    cases = (
        (None, member, "UNAUTHENTICATED"),
        (UserFactory(), member, "FORBIDDEN"),  # not a member
        (member, co_host, "FORBIDDEN"),  # a member acting as host
        (co_host, co_host, "FORBIDDEN"),  # a co-host taking over
        (host, host, "INVALID"),
        (host, UserFactory(), "INVALID"),  # not a member of the circle
    )
    for actor, heir, code in cases:
        result = run(gql, TRANSFER, "transferHost", user=actor, circleId=gid(circle), userId=gid(heir))
        assert codes(result) == [code], (actor, heir)
    refused = run(gql, TRANSFER, "transferHost", user=co_host, circleId=gid(circle), userId=gid(co_host))
    assert refused["errors"][0]["message"] == "只有圈主可以转让车友圈。"
    run(gql, REMOVE, "removeMember", user=host, membershipId=gid(membership(circle, member)), ban=True)
    banned = run(gql, TRANSFER, "transferHost", user=host, circleId=gid(circle), userId=gid(member))
    assert banned["errors"] == [{"field": "userId", "code": "INVALID", "message": "新圈主必须是该车友圈的正式成员。"}]
    assert hosts(circle) == [host.pk]
    # brand staff may hand a circle over (an absent host)
    by_brand = run(gql, TRANSFER, "transferHost", user=brand_staff, circleId=gid(circle), userId=gid(co_host))
    assert by_brand["errors"] == [] and hosts(circle) == [co_host.pk]


def test_when_the_host_leaves_the_longest_serving_co_host_takes_over(gql, circle):
    host = circle.created_by
    left = run(gql, LEAVE, "leaveCircle", user=host, circleId=gid(circle))
    assert left["errors"] == [] and left["membership"]["status"] == "LEFT" and left["membership"]["role"] == "MEMBER"
    heir = user(circle, "老副")
    assert hosts(circle) == [heir.pk]
    changed = Activity.objects.get(verb=Verb.CIRCLE_HOST_CHANGED)
    assert changed.data["reason"] == "succession" and changed.actor == host
    told = set(Notification.objects.filter(verb=NotificationVerb.ROLE_CHANGED).values_list("recipient_id", flat=True))
    assert told == set(circle.memberships.filter(status="ACTIVE").values_list("user_id", flat=True))
    circle.refresh_from_db()
    assert circle.status == "ACTIVE" and circle.member_count == 4


def test_without_co_hosts_the_longest_serving_member_takes_over(db, circle, on_commit):
    host = circle.created_by
    with on_commit():
        for nickname in ("老副", "新副"):
            services.set_member_role(
                user=host, membership_id=membership(circle, user(circle, nickname)).pk, role="MEMBER"
            )
        # joined first among the members now: 新副 and 老副 joined just now, 老成员 300 days ago
        services.leave_circle(user=host, circle_id=circle.pk)
    assert hosts(circle) == [user(circle, "老成员").pk]


def test_the_last_member_leaving_archives_the_circle(gql):
    circle = make_circle()
    result = run(gql, LEAVE, "leaveCircle", user=circle.created_by, circleId=gid(circle))
    assert result["errors"] == []
    circle.refresh_from_db()
    assert (circle.status, circle.member_count) == ("ARCHIVED", 0)
    assert hosts(circle) == []
    assert Activity.objects.get(verb=Verb.CIRCLE_ARCHIVED).data == {"reason": "last_member_left"}


def test_brand_staff_removing_the_host_triggers_succession(gql, circle, brand_staff):
    host = circle.created_by
    result = run(gql, REMOVE, "removeMember", user=brand_staff, membershipId=gid(membership(circle, host)), ban=True)
    assert result["errors"] == [] and result["membership"]["status"] == "BANNED"
    assert hosts(circle) == [user(circle, "老副").pk]


def test_the_database_allows_one_active_host(db, circle):
    other = membership(circle, user(circle, "新成员"))
    other.role = "HOST"
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save(update_fields=["role"])
    # a left or banned former host does not count
    Membership.objects.filter(pk=other.pk).update(status="LEFT", role="MEMBER")
    assert hosts(circle) == [circle.created_by_id]


def test_roles_above_member_are_for_active_members_only(db, circle):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(circle=circle, role="CO_HOST").update(status="LEFT")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the deferred trigger is PostgreSQL's")
def test_postgres_refuses_to_commit_an_active_circle_without_a_host(db, circle):
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Membership.objects.filter(circle=circle, role="HOST").update(role="CO_HOST")
        with connection.cursor() as cursor:  # what COMMIT would do: run the deferred check now
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert "no active host" in str(refused.value)
    with transaction.atomic():  # demoting and promoting in one transaction is fine, in either order
        Membership.objects.filter(circle=circle, role="HOST").update(role="CO_HOST")
        Membership.objects.filter(circle=circle, user=user(circle, "老成员")).update(role="HOST")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert hosts(circle) == [user(circle, "老成员").pk]
    with pytest.raises(IntegrityError), transaction.atomic():  # approving a circle that has no host
        pending = make_circle(approve=False)
        Membership.objects.filter(circle=pending).update(status="LEFT", role="MEMBER")
        Circle.objects.filter(pk=pending.pk).update(status="ACTIVE")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# ---------------------------------------------------------------- concurrency on PostgreSQL


def race(*calls) -> list:
    """Run the calls at the same moment; each one's result, its refusal's code, or the unexpected error."""
    return [
        outcome.code
        if isinstance(outcome, ServiceError)
        else repr(outcome)
        if isinstance(outcome, BaseException)
        else outcome
        for outcome in at_once(calls, wait=10, join=30).each
    ]


def crew(rounds_label: str):
    host = verified_owner(nickname=f"圈主{rounds_label}")
    co_a, co_b, member = UserFactory(), UserFactory(), UserFactory()
    circle = make_circle(host=host, name=f"并发圈{rounds_label}", co_hosts=[co_a, co_b], members=[member])
    return circle, host, co_a, co_b, member


def assert_one_host(circle) -> int:
    circle.refresh_from_db()
    assert circle.status == "ACTIVE"
    current = hosts(circle)
    assert len(current) == 1, current
    assert circle.member_count == circle.memberships.filter(status="ACTIVE").count()
    return current[0]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_host_leaving_while_handing_over_leaves_exactly_one_host():
    for round_ in range(4):
        circle, host, _co_a, _co_b, member = crew(f"L{round_}")
        outcomes = race(
            lambda c=circle, h=host: services.leave_circle(user=h, circle_id=c.pk),
            lambda c=circle, h=host, m=member: services.transfer_host(user=h, circle_id=c.pk, new_host_id=m.pk),
        )
        new_host = assert_one_host(circle)
        assert new_host != host.pk
        assert membership(circle, host).status == "LEFT"
        assert isinstance(outcomes[0], Membership), outcomes  # leaving always works
        # whichever came second saw the first: either the transfer made 'member' host and the old host
        # (then a co-host) left, or the leave made the longest-serving co-host host and the transfer
        # was refused because the one asking was no longer the host
        assert outcomes[1] == "FORBIDDEN" or new_host == member.pk, outcomes


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_co_hosts_promoted_at_once_leave_exactly_one_host():
    for round_ in range(4):
        circle, host, co_a, co_b, _member = crew(f"P{round_}")
        a, b = membership(circle, co_a), membership(circle, co_b)
        outcomes = race(
            lambda h=host, m=a: services.set_member_role(user=h, membership_id=m.pk, role="HOST"),
            lambda h=host, m=b: services.set_member_role(user=h, membership_id=m.pk, role="HOST"),
        )
        winner = assert_one_host(circle)
        assert winner in (co_a.pk, co_b.pk)
        assert sorted(o if isinstance(o, str) else "ok" for o in outcomes) == ["FORBIDDEN", "ok"], outcomes


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_hosts_cannot_be_written_even_around_the_services():
    """What the services' locks prevent, the database refuses too: two transactions each promoting a
    different member (after demoting the host) cannot both commit. The first holds its transaction
    open until the second has started writing, so the two always overlap."""
    circle, _host, co_a, co_b, _member = crew("raw")
    first_wrote = threading.Event()

    def promote(user_id, *, first: bool):
        def write():
            if not first:
                first_wrote.wait(timeout=10)
            with transaction.atomic():
                Membership.objects.filter(circle=circle, role="HOST").update(role="CO_HOST")
                if first:
                    first_wrote.set()
                    time.sleep(1.0)  # the second transaction starts and waits on our row locks
                Membership.objects.filter(circle=circle, user_id=user_id).update(role="HOST")
            return "committed"

        return write

    outcomes = race(promote(co_a.pk, first=True), promote(co_b.pk, first=False))
    assert outcomes[0] == "committed", outcomes
    assert "IntegrityError" in outcomes[1], outcomes
    assert_one_host(circle)
