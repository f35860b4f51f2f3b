"""A channel layer that restarts without any receive raising: the sockets of the process notice and resume.

channels-redis raises in one receiver per process at most, and in none when Redis restarts between two of
its blocking pops; the process's group memberships are gone with the old Redis and nothing says so. The
per-process watcher (`_LayerWatcher` in community/graphql/consumers.py) sees the layer's epoch key gone,
and every socket joins its groups again and replays from the database what it missed.
"""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from circles import services
from community.kernel.realtime import circle_access_topic
from tests.circles.factories import make_circle
from tests.factories import UserFactory
from tests.helpers import gid
from tests.sockets import TIMEOUT

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("isolated_channel_layer"),
]

CHAT = "subscription($c: ID!) { chatMessages(circleId: $c) { id body } }"


async def bodies(socket, count: int, timeout: float) -> list[str]:
    received = []
    for _ in range(count):
        message = await socket.receive_json_from(timeout=timeout)
        assert message["type"] == "next", message
        received.append(message["payload"]["data"]["chatMessages"]["body"])
    return received


async def forget_everything(layer) -> None:
    """What a Redis restarted empty leaves of this layer: nothing (its groups and its epoch key), and no error."""
    for index in range(layer.ring_size):
        connection = layer.connection(index)
        keys = await connection.keys(f"{layer.prefix}*")
        if keys:
            await connection.delete(*keys)


async def test_a_socket_whose_groups_vanished_silently_joins_again_and_replays_what_it_missed(connect, settings):
    settings.CHANNEL_LAYER_WATCH_SECONDS = 0.1
    layer = get_channel_layer()
    if not hasattr(layer, "connection"):
        pytest.skip("the silent loss of memberships is a Redis layer's")

    @database_sync_to_async
    def setup():
        member = UserFactory()
        circle = make_circle(visibility="PRIVATE", members=[member])
        return circle, circle.created_by, member

    circle, host, member = await setup()
    send = database_sync_to_async(services.send_chat_message)
    listener, bystander = await connect(member), await connect(host)
    for socket in (listener, bystander):
        await socket.send_json_to(
            {"id": "op", "type": "subscribe", "payload": {"query": CHAT, "variables": {"c": gid(circle)}}}
        )
    await asyncio.sleep(0.3)
    await send(user=host, circle_id=circle.pk, body="之前")
    assert await bodies(listener, 1, TIMEOUT) == ["之前"]
    assert await bodies(bystander, 1, TIMEOUT) == ["之前"]

    await forget_everything(layer)  # the receive loop stays idle on its blocking pop: nothing raises
    await send(user=host, circle_id=circle.pk, body="期间")
    await asyncio.sleep(1.5)
    await send(user=host, circle_id=circle.pk, body="之后")

    for socket in (listener, bystander):
        heard = await bodies(socket, 2, TIMEOUT * 2)
        assert sorted(heard) == ["之后", "期间"]  # each once, the missed one from the database
        assert await socket.receive_nothing(timeout=0.5)
    assert sorted(await layer.connection(0).keys(f"{layer.prefix}:group:*")), "the groups were not joined again"


async def test_a_live_message_arriving_while_rejoining_does_not_skip_what_the_replay_must_send(
    connect, settings, monkeypatch
):
    """The rejoin joins the chat's group, then the access group: a message published between the two reaches
    the socket before the resume. Delivered then, it moved the replay's cursor past the messages sent while
    the groups were gone, and those were never sent; held back, the replay sends all of them in order."""
    settings.CHANNEL_LAYER_WATCH_SECONDS = 0.1
    layer = get_channel_layer()
    if not hasattr(layer, "connection"):
        pytest.skip("the silent loss of memberships is a Redis layer's")

    @database_sync_to_async
    def setup():
        member = UserFactory()
        circle = make_circle(visibility="PRIVATE", members=[member])
        return circle, circle.created_by, member

    circle, host, member = await setup()
    send = database_sync_to_async(services.send_chat_message)
    listener = await connect(member)
    await listener.send_json_to(
        {"id": "op", "type": "subscribe", "payload": {"query": CHAT, "variables": {"c": gid(circle)}}}
    )
    await asyncio.sleep(0.3)
    await send(user=host, circle_id=circle.pk, body="之前")
    assert await bodies(listener, 1, TIMEOUT) == ["之前"]

    group_add = layer.group_add
    overtaking: list[str] = []

    async def group_add_then_publish_meanwhile(group: str, channel: str) -> None:
        await group_add(group, channel)
        if group == circle_access_topic(circle.pk) and not overtaking:
            overtaking.append(group)
            await send(user=host, circle_id=circle.pk, body="抢先")  # the chat's group is joined again already
            await asyncio.sleep(0.5)  # long enough for the live copy to reach the socket

    monkeypatch.setattr(layer, "group_add", group_add_then_publish_meanwhile)
    await forget_everything(layer)
    for n in range(3):
        await send(user=host, circle_id=circle.pk, body=f"期间{n}")

    assert await bodies(listener, 4, TIMEOUT * 2) == ["期间0", "期间1", "期间2", "抢先"]
    assert overtaking, "the rejoin never joined the access group"
    assert await listener.receive_nothing(timeout=0.5)
