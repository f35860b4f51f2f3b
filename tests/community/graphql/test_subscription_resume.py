"""Resume cursors: a client that reconnects says what it saw last (chatMessages(after:), notifications(after:),
eventSeats(afterRevision:)) and gets what it missed from the database first, then the live ones, with no gap
and no repeat. The channel layer coming back from an outage replays the same way: tests/faults/test_redis_outage.py."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from circles import services
from community.kernel.verbs import NotificationVerb
from community.notifications.services import notify
from events import services as event_services
from tests.circles.factories import make_circle
from tests.events.factories import make_event
from tests.factories import UserFactory
from tests.helpers import gid
from tests.sockets import TIMEOUT, subscribe

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_channel_layer")]

CHAT = "subscription($c: ID!, $after: ID) { chatMessages(circleId: $c, after: $after) { id body } }"
NOTIFICATIONS = "subscription($after: ID) { notifications(after: $after) { id } }"
SEATS = "subscription($e: ID!, $r: Int) { eventSeats(eventId: $e, afterRevision: $r) { confirmedSeats revision } }"


async def nexts(socket, field: str, count: int) -> list[dict]:
    received = []
    for _ in range(count):
        message = await socket.receive_json_from(timeout=TIMEOUT)
        assert message["type"] == "next", message
        received.append(message["payload"]["data"][field])
    return received


@database_sync_to_async
def private_chat(messages: int):
    """A private circle, one member, and `messages` chat messages of the host (第0条, 第1条...)."""
    member = UserFactory()
    circle = make_circle(visibility="PRIVATE", members=[member])
    host = circle.created_by
    sent = [services.send_chat_message(user=host, circle_id=circle.pk, body=f"第{i}条") for i in range(messages)]
    return circle, host, member, sent


async def test_chat_resumes_after_the_last_message_seen(connect):
    circle, host, member, sent = await private_chat(4)
    socket = await connect(member)
    await subscribe(socket, CHAT, {"c": gid(circle), "after": gid(sent[1])})
    assert [m["body"] for m in await nexts(socket, "chatMessages", 2)] == ["第2条", "第3条"]
    await asyncio.sleep(0.2)
    await database_sync_to_async(services.send_chat_message)(user=host, circle_id=circle.pk, body="直播")
    assert [m["body"] for m in await nexts(socket, "chatMessages", 1)] == ["直播"]
    assert await socket.receive_nothing(timeout=0.3)


async def test_a_resume_further_behind_than_one_page_gets_every_page(connect, monkeypatch):
    monkeypatch.setattr("circles.selectors.REPLAY_LIMIT", 2)
    circle, _host, member, sent = await private_chat(6)
    socket = await connect(member)
    await subscribe(socket, CHAT, {"c": gid(circle), "after": gid(sent[0])})
    replayed = [m["body"] for m in await nexts(socket, "chatMessages", 5)]
    assert replayed == ["第1条", "第2条", "第3条", "第4条", "第5条"]  # three pages of two
    assert await socket.receive_nothing(timeout=0.3)


async def test_chat_without_a_cursor_replays_nothing_and_a_bad_cursor_is_bad_input(connect):
    @database_sync_to_async
    def setup():
        circle = make_circle(visibility="PUBLIC")
        services.send_chat_message(user=circle.created_by, circle_id=circle.pk, body="早先")
        return circle

    circle = await setup()
    socket = await connect(await database_sync_to_async(UserFactory)())
    await subscribe(socket, CHAT, {"c": gid(circle)})
    assert await socket.receive_nothing(timeout=0.3)
    await subscribe(socket, CHAT, {"c": gid(circle), "after": "x"}, "bad")
    message = await socket.receive_json_from(timeout=TIMEOUT)
    assert message["type"] == "error" and message["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_notifications_resume_after_the_last_one_seen(connect):
    @database_sync_to_async
    def setup():
        owner, fan = UserFactory(), UserFactory()
        made = [notify(recipient_id=owner.pk, verb=NotificationVerb.FOLLOWED, actor=fan) for _ in range(1)]
        made += [notify(recipient_id=owner.pk, verb=NotificationVerb.FOLLOWED, actor=UserFactory()) for _ in range(2)]
        return owner, made

    owner, made = await setup()
    socket = await connect(owner)
    await subscribe(socket, NOTIFICATIONS, {"after": gid(made[0])})
    assert [n["id"] for n in await nexts(socket, "notifications", 2)] == [gid(made[1]), gid(made[2])]
    assert await socket.receive_nothing(timeout=0.3)


async def test_seats_resume_with_the_current_state_when_they_changed_since(connect):
    @database_sync_to_async
    def setup():
        circle = make_circle(visibility="PUBLIC")
        event = make_event(circle=circle, organizer=circle.created_by)
        event_services.sign_up(user=UserFactory(), event_id=event.pk)
        event.refresh_from_db()
        return event

    event = await setup()
    behind, current = await connect(await database_sync_to_async(UserFactory)()), None
    await subscribe(behind, SEATS, {"e": gid(event), "r": event.seats_revision - 1})
    assert await nexts(behind, "eventSeats", 1) == [{"confirmedSeats": 1, "revision": event.seats_revision}]
    current = await connect(await database_sync_to_async(UserFactory)())
    await subscribe(current, SEATS, {"e": gid(event), "r": event.seats_revision})
    assert await current.receive_nothing(timeout=0.3)
