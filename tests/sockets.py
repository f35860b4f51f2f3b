"""In-process graphql-transport-ws sockets for the subscription tests: each test on a channel-layer prefix of
its own (the services run uses Redis, shared by every test), sockets signed in by a bearer token, all closed
after. A plugin of tests/conftest.py (tests/live.py is the real daphne instead): a module uses them with
`pytestmark = pytest.mark.usefixtures("isolated_channel_layer")` and the `connect` fixture, then
`subscribe` and `until_listening` (the protocol has no "subscribed" acknowledgement)."""

from __future__ import annotations

import asyncio
import copy
import time
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connections

from community.accounts import services as account_services

PROTOCOL = "graphql-transport-ws"
TIMEOUT = 3


@pytest.fixture
def private_channel_layer(settings):
    """A fresh channel layer per test; on Redis, under its own prefix so concurrent runs never meet."""
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "prefix" in layers["default"].get("CONFIG", {}):
        layers["default"]["CONFIG"]["prefix"] = f"test-live-{uuid.uuid4().hex[:12]}"
    settings.CHANNEL_LAYERS = layers


@pytest.fixture
def isolated_channel_layer(settings, private_channel_layer):
    """A private channel layer, and no keepalive pings among the frames a test reads."""
    settings.WS_KEEPALIVE_SECONDS = 0


@pytest.fixture
async def connect():
    """`await connect(user)`: an acknowledged socket, signed in as `user` (anonymous with None), or with a
    bearer `token` of the test's own, or by what the handshake `headers` carry (a browser's session cookie)."""
    from community.asgi import application  # the whole ASGI stack, imported once Django is set up

    opened: list[WebsocketCommunicator] = []

    async def open_socket(user=None, *, token: str | None = None, headers=None) -> WebsocketCommunicator:
        socket = WebsocketCommunicator(application, "/graphql/", subprotocols=[PROTOCOL], headers=headers or [])
        connected, subprotocol = await socket.connect(timeout=TIMEOUT)
        assert connected and subprotocol == PROTOCOL
        opened.append(socket)
        if user is not None:
            token = await database_sync_to_async(account_services.issue_token)(user)
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await socket.send_json_to({"type": "connection_init", "payload": payload})
        assert await socket.receive_json_from(timeout=TIMEOUT) == {"type": "connection_ack"}
        return socket

    yield open_socket
    for socket in opened:
        await socket.disconnect(timeout=TIMEOUT)
    await database_sync_to_async(connections.close_all)()


async def subscribe(
    socket: WebsocketCommunicator, query: str, variables: dict | None = None, op_id: str = "op"
) -> None:
    """Send a `subscribe` message for `query` under the operation id `op_id`."""
    payload = {"query": query, "variables": variables} if variables is not None else {"query": query}
    await socket.send_json_to({"id": op_id, "type": "subscribe", "payload": payload})


async def group_size(topic: str) -> int:
    """How many channels are in a channel-layer group (the Redis or the in-memory layer)."""
    layer = get_channel_layer()
    if hasattr(layer, "_group_key"):  # channels_redis: a sorted set per group
        return await layer.connection(layer.consistent_hash(topic)).zcard(layer._group_key(topic))
    return len(layer.groups.get(topic, {}))


async def until_listening(topic: str, count: int = 1) -> None:
    """Wait until `count` connections listen to `topic`: how a test knows an event would now be delivered."""
    deadline = time.monotonic() + TIMEOUT
    while (size := await group_size(topic)) != count:
        assert time.monotonic() < deadline, f"{topic} has {size} listening connection(s), not {count}"
        await asyncio.sleep(0.01)
