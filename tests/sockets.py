"""In-process graphql-transport-ws sockets for the subscription tests: each test on a channel-layer prefix of
its own (the services run uses Redis, shared by every test), sockets signed in by a bearer token, all closed
after. A plugin of tests/conftest.py (tests/live.py is the real daphne instead): a module uses them with
`pytestmark = pytest.mark.usefixtures("isolated_channel_layer")` and the `connect` fixture."""

from __future__ import annotations

import copy
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from community.accounts import services as account_services

PROTOCOL = "graphql-transport-ws"
TIMEOUT = 3


@pytest.fixture
def isolated_channel_layer(settings):
    settings.WS_KEEPALIVE_SECONDS = 0
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "prefix" in layers["default"].get("CONFIG", {}):
        layers["default"]["CONFIG"]["prefix"] = f"test-live-{uuid.uuid4().hex[:12]}"
    settings.CHANNEL_LAYERS = layers


@pytest.fixture
async def connect():
    """`await connect(user)`: an acknowledged socket, signed in as `user` (anonymous with None)."""
    from community.asgi import application  # the whole ASGI stack, imported once Django is set up

    opened: list[WebsocketCommunicator] = []

    async def open_socket(user=None) -> WebsocketCommunicator:
        socket = WebsocketCommunicator(application, "/graphql/", subprotocols=[PROTOCOL])
        connected, _ = await socket.connect(timeout=TIMEOUT)
        assert connected
        opened.append(socket)
        payload = {}
        if user is not None:
            token = await database_sync_to_async(account_services.issue_token)(user)
            payload = {"authorization": f"Bearer {token}"}
        await socket.send_json_to({"type": "connection_init", "payload": payload})
        assert await socket.receive_json_from(timeout=TIMEOUT) == {"type": "connection_ack"}
        return socket

    yield open_socket
    for socket in opened:
        await socket.disconnect(timeout=TIMEOUT)
    await database_sync_to_async(connections.close_all)()
