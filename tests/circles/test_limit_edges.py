"""Every limit of the circles app at exactly its value and one past it: invite uses and lifetime, an invite
expiring at exactly its time and used up at exactly its uses, mute days, circle names and descriptions, and
chat messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from circles import selectors, services
from circles.models import ChatMessage, Invite
from circles.services.lifecycle import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, NAME_MIN_LENGTH
from community.kernel.errors import ServiceError
from tests.circles.factories import make_circle, membership, verified_owner
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TICK = timedelta(microseconds=1)


def refused(call, field: str | None) -> ServiceError:
    with pytest.raises(ServiceError) as error:
        call()
    assert [(e.code, e.field) for e in error.value.errors] == [("INVALID", field)]
    return error.value


def test_invite_uses_at_exactly_the_bounds_and_one_past():
    circle = make_circle()
    host = circle.created_by
    assert services.create_invite(user=host, circle_id=circle.pk, max_uses=services.INVITE_MAX_USES).max_uses == 1000
    assert services.create_invite(user=host, circle_id=circle.pk, max_uses=1).max_uses == 1
    refused(
        lambda: services.create_invite(user=host, circle_id=circle.pk, max_uses=services.INVITE_MAX_USES + 1), "maxUses"
    )
    refused(lambda: services.create_invite(user=host, circle_id=circle.pk, max_uses=0), "maxUses")
    assert Invite.objects.count() == 2


def test_an_invite_may_last_exactly_the_maximum_days_and_not_a_tick_longer():
    circle = make_circle()
    host = circle.created_by
    with time_machine.travel(timezone.now(), tick=False):
        now = timezone.now()
        furthest = now + timedelta(days=services.INVITE_MAX_DAYS)
        assert services.create_invite(user=host, circle_id=circle.pk, expires_at=furthest).expires_at == furthest
        refused(lambda: services.create_invite(user=host, circle_id=circle.pk, expires_at=furthest + TICK), "expiresAt")
        refused(lambda: services.create_invite(user=host, circle_id=circle.pk, expires_at=now), "expiresAt")
        assert services.create_invite(user=host, circle_id=circle.pk, expires_at=now + TICK).expires_at == now + TICK


def test_an_invite_works_a_tick_before_it_expires_and_not_at_exactly_its_expiry():
    circle = make_circle()
    invite = services.create_invite(
        user=circle.created_by, circle_id=circle.pk, expires_at=timezone.now() + timedelta(days=1)
    )
    assert selectors.invite_problem(invite, now=invite.expires_at - TICK) is None
    assert selectors.invite_problem(invite, now=invite.expires_at) is not None


def test_an_invite_lets_in_exactly_its_uses_and_not_one_more():
    circle = make_circle(join_policy="INVITE_ONLY")
    invite = services.create_invite(user=circle.created_by, circle_id=circle.pk, max_uses=2)
    for _ in range(2):
        services.join_by_invite_code(user=UserFactory(), invite_code=invite.code)
    late = UserFactory()
    with pytest.raises(ServiceError):
        services.join_by_invite_code(user=late, invite_code=invite.code)
    invite.refresh_from_db()
    assert invite.uses == 2 and not circle.memberships.filter(user=late, status="ACTIVE").exists()


def test_mutes_last_at_most_the_maximum_days():
    member = UserFactory()
    circle = make_circle(members=[member])
    target = membership(circle, member).pk
    muted = services.mute_member(user=circle.created_by, membership_id=target, days=services.MUTE_MAX_DAYS)
    assert muted.muted_until > timezone.now() + timedelta(days=services.MUTE_MAX_DAYS - 1)
    refused(
        lambda: services.mute_member(user=circle.created_by, membership_id=target, days=services.MUTE_MAX_DAYS + 1),
        "days",
    )
    assert services.mute_member(user=circle.created_by, membership_id=target, days=0).muted_until is None
    refused(lambda: services.mute_member(user=circle.created_by, membership_id=target, days=-1), "days")


def found(name: str, description: str = "一起自驾、露营、做公益。"):
    return services.create_circle(
        user=verified_owner(),
        name=name,
        description=description,
        kind="INTEREST",
        join_policy="OPEN",
        visibility="PUBLIC",
    )


def test_circle_names_at_exactly_their_bounds_and_one_past():
    assert found("露" * NAME_MIN_LENGTH).name == "露" * NAME_MIN_LENGTH
    assert found("营" * NAME_MAX_LENGTH).name == "营" * NAME_MAX_LENGTH
    refused(lambda: found("车" * (NAME_MIN_LENGTH - 1)), "name")
    refused(lambda: found("友" * (NAME_MAX_LENGTH + 1)), "name")


def test_circle_descriptions_at_exactly_the_maximum_and_one_past():
    assert len(found("长简介车友会", "简" * DESCRIPTION_MAX_LENGTH).description) == DESCRIPTION_MAX_LENGTH
    refused(lambda: found("超长简介车友会", "简" * (DESCRIPTION_MAX_LENGTH + 1)), "description")


def test_a_chat_message_of_exactly_the_maximum_and_one_past():
    member = UserFactory()
    circle = make_circle(members=[member])
    limit = services.CHAT_BODY_MAX_LENGTH
    assert len(services.send_chat_message(user=member, circle_id=circle.pk, body="聊" * limit).body) == limit
    refused(lambda: services.send_chat_message(user=member, circle_id=circle.pk, body="聊" * (limit + 1)), "body")
    assert ChatMessage.objects.count() == 1
