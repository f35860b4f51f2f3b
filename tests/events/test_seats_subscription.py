"""The eventSeats(eventId) subscription over the graphql-transport-ws WebSocket, in process: every seat change
arrives, and who may listen follows who may see the event."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from community.kernel import realtime
from community.kernel.realtime import event_seats_topic
from events import services
from events.services.common import seats_payload
from tests.circles.factories import make_circle
from tests.events.factories import make_event
from tests.factories import UserFactory
from tests.helpers import gid
from tests.sockets import TIMEOUT, subscribe, until_listening

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_channel_layer")]

SEATS = "subscription($id: ID!) { eventSeats(eventId: $id) { eventId confirmedSeats seatsLeft waitlistCount } }"


async def watch(socket, event_id: str, op: str = "seats") -> None:
    await subscribe(socket, SEATS, {"id": event_id}, op)


async def test_every_seat_change_arrives(connect):
    event = await database_sync_to_async(make_event)(capacity=3, max_guests=2)
    first, second = await database_sync_to_async(UserFactory)(), await database_sync_to_async(UserFactory)()
    socket = await connect()  # a public event: anyone may watch the seats
    await watch(socket, gid(event))
    await until_listening(event_seats_topic(event.pk))
    await database_sync_to_async(services.sign_up)(user=first, event_id=event.pk, guests=2)
    assert await socket.receive_json_from(timeout=TIMEOUT) == {
        "id": "seats",
        "type": "next",
        "payload": {
            "data": {"eventSeats": {"eventId": gid(event), "confirmedSeats": 3, "seatsLeft": 0, "waitlistCount": 0}}
        },
    }
    await database_sync_to_async(services.sign_up)(user=second, event_id=event.pk)
    waiting = await socket.receive_json_from(timeout=TIMEOUT)
    assert waiting["payload"]["data"]["eventSeats"]["waitlistCount"] == 1
    await database_sync_to_async(services.cancel_signup)(user=first, event_id=event.pk)
    promoted = await socket.receive_json_from(timeout=TIMEOUT)
    assert promoted["payload"]["data"]["eventSeats"] == {
        "eventId": gid(event),
        "confirmedSeats": 1,
        "seatsLeft": 2,
        "waitlistCount": 0,
    }


async def test_who_may_listen(connect):
    @database_sync_to_async
    def private_event():
        member = UserFactory()
        circle = make_circle(visibility="PRIVATE", members=[member])
        return make_event(circle=circle), make_event(circle=circle, publish=False), member

    event, draft, member = await private_event()
    outsider = await database_sync_to_async(UserFactory)()
    for user, code in ((outsider, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        socket = await connect(user)
        await watch(socket, gid(event))
        answer = await socket.receive_json_from(timeout=TIMEOUT)
        assert answer["type"] == "error" and answer["payload"][0]["extensions"] == {"code": code}
    socket = await connect(member)
    await watch(socket, gid(draft), op="draft")
    answer = await socket.receive_json_from(timeout=TIMEOUT)
    assert answer["type"] == "error" and answer["payload"][0]["extensions"] == {"code": "NOT_FOUND"}
    await watch(socket, "nonsense", op="bad")
    bad = await socket.receive_json_from(timeout=TIMEOUT)
    assert bad["payload"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    await watch(socket, gid(event), op="ok")
    await until_listening(event_seats_topic(event.pk))
    await database_sync_to_async(services.sign_up)(user=member, event_id=event.pk)
    heard = await socket.receive_json_from(timeout=TIMEOUT)
    assert heard["id"] == "ok" and heard["payload"]["data"]["eventSeats"]["confirmedSeats"] == 1


async def test_a_late_update_is_dropped(connect):
    """Two commits racing can publish out of order: the older revision never overwrites the newer."""
    event = await database_sync_to_async(make_event)(capacity=10)
    socket = await connect()
    await watch(socket, gid(event))
    topic = event_seats_topic(event.pk)
    await until_listening(topic)
    now = await database_sync_to_async(seats_payload)(event)
    for revision in (1, 3, 2, 4):  # the seats taken tell the revisions apart
        await realtime.send_async(topic, {**now, "confirmedSeats": revision, "revision": revision})
    seen = [(await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["eventSeats"] for _ in range(3)]
    assert [payload["confirmedSeats"] for payload in seen] == [1, 3, 4]
    assert await socket.receive_nothing(timeout=0.3)
