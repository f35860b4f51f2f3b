"""Live subscriptions are checked again when access changes: a circle going private, a member removed or
banned, a co-host demoted. Whoever may no longer read ends with FORBIDDEN (`error` for that subscription
id), the socket stays open for the rest, and whoever still may goes on hearing."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from circles import services
from events import services as event_services
from tests.circles.factories import make_circle, membership
from tests.events.factories import make_event
from tests.factories import UserFactory
from tests.helpers import gid
from tests.sockets import TIMEOUT, subscribe

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_channel_layer")]

CHAT = "subscription($id: ID!) { chatMessages(circleId: $id) { body } }"
SEATS = "subscription($id: ID!) { eventSeats(eventId: $id) { confirmedSeats } }"


async def watch(socket, op_id: str, query: str, object_id: str) -> None:
    await subscribe(socket, query, {"id": object_id}, op_id)
    await asyncio.sleep(0.3)  # the protocol has no "subscribed": let the resolver join its groups


async def forbidden(socket, op_id: str) -> None:
    message = await socket.receive_json_from(timeout=TIMEOUT)
    assert message["id"] == op_id and message["type"] == "error", message
    assert message["payload"][0]["extensions"] == {"code": "FORBIDDEN"}


async def chat_body(socket) -> str:
    message = await socket.receive_json_from(timeout=TIMEOUT)
    assert message["type"] == "next", message
    return message["payload"]["data"]["chatMessages"]["body"]


say = database_sync_to_async(
    lambda user, circle, body: services.send_chat_message(user=user, circle_id=circle.pk, body=body)
)


async def test_a_circle_going_private_ends_the_outsiders_chat_and_seats(connect):
    @database_sync_to_async
    def setup():
        member, outsider = UserFactory(), UserFactory()
        circle = make_circle(visibility="PUBLIC", members=[member])
        return circle, circle.created_by, member, outsider, make_event(circle=circle, organizer=circle.created_by)

    circle, host, member, outsider, event = await setup()
    outside, inside = await connect(outsider), await connect(member)
    await watch(outside, "chat", CHAT, gid(circle))
    await watch(outside, "seats", SEATS, gid(event))
    await watch(inside, "chat", CHAT, gid(circle))
    await say(host, circle, "还是公开的")
    assert await chat_body(outside) == "还是公开的" and await chat_body(inside) == "还是公开的"

    await database_sync_to_async(services.update_circle)(user=host, circle_id=circle.pk, visibility="PRIVATE")
    ended = {(await outside.receive_json_from(timeout=TIMEOUT))["id"] for _ in range(2)}
    assert ended == {"chat", "seats"}
    await say(host, circle, "只有成员听得到")
    assert await chat_body(inside) == "只有成员听得到"
    assert await outside.receive_nothing(timeout=0.3)
    await outside.send_json_to({"type": "ping"})  # the socket itself stays open
    assert await outside.receive_json_from(timeout=TIMEOUT) == {"type": "pong"}


async def test_a_member_banned_from_a_private_circle_loses_its_events_seats(connect):
    @database_sync_to_async
    def setup():
        member, other = UserFactory(), UserFactory()
        circle = make_circle(visibility="PRIVATE", members=[member, other])
        return circle, circle.created_by, member, other, make_event(circle=circle, organizer=circle.created_by)

    circle, host, member, other, event = await setup()
    banned, staying = await connect(member), await connect(other)
    await watch(banned, "seats", SEATS, gid(event))
    await watch(staying, "seats", SEATS, gid(event))
    ban = database_sync_to_async(services.remove_member)
    await ban(user=host, membership_id=(await database_sync_to_async(membership)(circle, member)).pk, ban=True)
    await forbidden(banned, "seats")
    await database_sync_to_async(event_services.sign_up)(user=other, event_id=event.pk)
    seats = await staying.receive_json_from(timeout=TIMEOUT)
    assert seats["type"] == "next" and seats["payload"]["data"]["eventSeats"]["confirmedSeats"] == 1
    assert await banned.receive_nothing(timeout=0.3)


async def test_a_demoted_co_host_loses_the_draft_events_seats_and_a_member_removed_from_a_public_circle_keeps_chat(
    connect,
):
    @database_sync_to_async
    def setup():
        co_host, member = UserFactory(), UserFactory()
        circle = make_circle(visibility="PUBLIC", co_hosts=[co_host], members=[member])
        draft = make_event(circle=circle, organizer=circle.created_by, publish=False)
        return circle, circle.created_by, co_host, member, draft

    circle, host, co_host, member, draft = await setup()
    demoted, removed = await connect(co_host), await connect(member)
    await watch(demoted, "seats", SEATS, gid(draft))
    await watch(demoted, "chat", CHAT, gid(circle))
    await watch(removed, "chat", CHAT, gid(circle))
    co_host_membership = await database_sync_to_async(membership)(circle, co_host)
    await database_sync_to_async(services.set_member_role)(
        user=host, membership_id=co_host_membership.pk, role="MEMBER"
    )
    await forbidden(demoted, "seats")
    member_membership = await database_sync_to_async(membership)(circle, member)
    await database_sync_to_async(services.remove_member)(user=host, membership_id=member_membership.pk)
    await say(host, circle, "公开圈子谁都能看")
    assert await chat_body(demoted) == "公开圈子谁都能看"  # the chat of a public circle stays theirs
    assert await chat_body(removed) == "公开圈子谁都能看"
