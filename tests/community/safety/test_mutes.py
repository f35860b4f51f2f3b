"""Mutes reach everything that puts a user's words in front of others: a user muted by brand staff cannot
create or publish events, make invites, found or edit circles (nor post, comment or chat); a member muted by
a circle's hosts cannot do it in that circle. Every refusal is MUTED, in the reader's language, and
nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from circles.models import Circle, Invite, Membership
from community.models import Mute
from events.models import Event
from tests.circles.factories import make_circle, membership, verified_owner
from tests.circles.helpers import CREATE_CIRCLE, CREATE_INVITE, SEND, UPDATE_CIRCLE
from tests.events.factories import make_event
from tests.events.helpers import CREATE, PUBLISH
from tests.factories import UserFactory
from tests.helpers import codes, gid, run

pytestmark = pytest.mark.django_db


def event_input(circle) -> dict:
    starts = timezone.now() + timedelta(days=7)
    return {
        "title": "川西自驾",
        "description": "成都出发，走G318到新都桥。",
        "kind": "ROAD_TRIP",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(days=1)).isoformat(),
        "capacity": 20,
        "circleId": gid(circle),
    }


def mute(user, *, days: float = 3) -> Mute:
    return Mute.objects.create(user=user, until=timezone.now() + timedelta(days=days))


def test_a_muted_host_cannot_create_or_publish_events_invite_or_change_the_circle(gql):
    circle = make_circle()
    host = circle.created_by
    draft = make_event(circle=circle, publish=False)
    description = circle.description
    mute(host)

    created = run(gql, CREATE, "createEvent", user=host, **event_input(circle))
    assert codes(created) == ["MUTED"] and "禁言" in created["errors"][0]["message"]
    assert codes(run(gql, PUBLISH, "publishEvent", user=host, eventId=gid(draft))) == ["MUTED"]
    assert codes(run(gql, CREATE_INVITE, "createInvite", user=host, circleId=gid(circle))) == ["MUTED"]
    updated = run(gql, UPDATE_CIRCLE, "updateCircle", user=host, circleId=gid(circle), description="加我私聊")
    assert codes(updated) == ["MUTED"]
    founded = run(
        gql,
        CREATE_CIRCLE,
        "createCircle",
        user=host,
        name="新的车友会",
        description="一起玩",
        kind="INTEREST",
        joinPolicy="OPEN",
        visibility="PUBLIC",
    )
    assert codes(founded) == ["MUTED"]

    assert Event.objects.filter(circle=circle).count() == 1
    assert Event.objects.get(pk=draft.pk).status == Event.Status.DRAFT
    assert not Invite.objects.exists()
    assert Circle.objects.get(pk=circle.pk).description == description
    assert not Circle.objects.filter(name="新的车友会").exists()


def test_the_refusal_reads_in_the_readers_language(gql):
    circle = make_circle()
    mute(circle.created_by)
    result = gql(
        "mutation($input: CreateInviteInput!) { createInvite(input: $input) { errors { code message } } }",
        {"input": {"circleId": gid(circle)}},
        user=circle.created_by,
        language="en",
    )
    [error] = result["data"]["createInvite"]["errors"]
    assert error["code"] == "MUTED" and error["message"].startswith("You are muted until")


def test_once_the_mute_is_over_everything_works_again(gql):
    circle = make_circle()
    host = circle.created_by
    Mute.objects.create(user=host, until=timezone.now() - timedelta(seconds=1))
    assert run(gql, CREATE, "createEvent", user=host, **event_input(circle))["errors"] == []
    assert run(gql, CREATE_INVITE, "createInvite", user=host, circleId=gid(circle))["errors"] == []
    assert (
        run(gql, UPDATE_CIRCLE, "updateCircle", user=host, circleId=gid(circle), description="新简介")["errors"] == []
    )


def test_a_co_host_muted_in_one_circle_is_muted_there_only(gql):
    co_host = verified_owner()
    muted_in = make_circle(co_hosts=[co_host])
    elsewhere = make_circle(co_hosts=[co_host])
    Membership.objects.filter(pk=membership(muted_in, co_host).pk).update(
        muted_until=timezone.now() + timedelta(days=1)
    )
    created = run(gql, CREATE, "createEvent", user=co_host, **event_input(muted_in))
    assert codes(created) == ["MUTED"] and "该车友圈" in created["errors"][0]["message"]
    assert codes(run(gql, CREATE_INVITE, "createInvite", user=co_host, circleId=gid(muted_in))) == ["MUTED"]
    assert codes(run(gql, SEND, "sendChatMessage", user=co_host, circleId=gid(muted_in), body="在吗")) == ["MUTED"]
    assert not Event.objects.filter(circle=muted_in).exists() and not Invite.objects.filter(circle=muted_in).exists()

    assert run(gql, CREATE, "createEvent", user=co_host, **event_input(elsewhere))["errors"] == []
    assert run(gql, CREATE_INVITE, "createInvite", user=co_host, circleId=gid(elsewhere))["errors"] == []


def test_a_muted_member_cannot_chat_anywhere(gql):
    member = UserFactory()
    circle = make_circle(members=[member])
    mute(member)
    assert codes(run(gql, SEND, "sendChatMessage", user=member, circleId=gid(circle), body="在吗")) == ["MUTED"]
