"""The chatMessages(circleId) subscription over the graphql-transport-ws WebSocket, in process: who may
listen, what arrives, and a private circle's subscription ending when its member is removed."""

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

from circles import services
from community.accounts import services as account_services
from community.asgi import application
from community.kernel.realtime import circle_chat_topic
from community.models import SensitiveWord
from tests.circles.factories import make_circle, membership
from tests.factories import UserFactory
from tests.helpers import gid

pytestmark = pytest.mark.django_db(transaction=True)

PROTOCOL = "graphql-transport-ws"
TIMEOUT = 3
QUIET = 0.2
CHAT = """subscription($circleId: ID!) {
  chatMessages(circleId: $circleId) { body author { nickname } circle { name } replyTo { body } }
}"""


class Socket:
    def __init__(self) -> None:
        self.communicator = WebsocketCommunicator(application, "/graphql/", subprotocols=[PROTOCOL])

    async def open(self, user=None) -> Socket:
        connected, subprotocol = await self.communicator.connect(timeout=TIMEOUT)
        assert connected and subprotocol == PROTOCOL
        payload = {}
        if user is not None:
            token = await database_sync_to_async(account_services.issue_token)(user)
            payload = {"authorization": f"Bearer {token}"}
        await self.communicator.send_json_to({"type": "connection_init", "payload": payload})
        assert await self.receive() == {"type": "connection_ack"}
        return self

    async def subscribe(self, op_id: str, circle) -> None:
        message = {"id": op_id, "type": "subscribe", "payload": {"query": CHAT, "variables": {"circleId": gid(circle)}}}
        await self.communicator.send_json_to(message)

    async def receive(self, timeout: float = TIMEOUT) -> dict:
        return await self.communicator.receive_json_from(timeout=timeout)

    async def silent(self) -> bool:
        return await self.communicator.receive_nothing(timeout=QUIET)


@pytest.fixture
async def sockets():
    opened: list[Socket] = []

    async def open_socket(user=None) -> Socket:
        socket = await Socket().open(user)
        opened.append(socket)
        return socket

    yield open_socket
    for socket in opened:
        await socket.communicator.disconnect(timeout=TIMEOUT)
    await database_sync_to_async(connections.close_all)()


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.WS_KEEPALIVE_SECONDS = 0
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "prefix" in layers["default"].get("CONFIG", {}):
        layers["default"]["CONFIG"]["prefix"] = f"test-chat-{uuid.uuid4().hex[:12]}"
    settings.CHANNEL_LAYERS = layers


async def until_listening(circle, count: int = 1) -> None:
    """Wait until `count` connections listen to the circle's chat (the protocol has no 'subscribed')."""
    layer = get_channel_layer()
    topic = circle_chat_topic(circle.pk)
    deadline = time.monotonic() + TIMEOUT
    while True:
        if hasattr(layer, "_group_key"):
            size = await layer.connection(layer.consistent_hash(topic)).zcard(layer._group_key(topic))
        else:
            size = len(layer.groups.get(topic, {}))
        if size == count:
            return
        assert time.monotonic() < deadline, f"{topic} has {size} listeners, not {count}"
        await asyncio.sleep(0.01)


@database_sync_to_async
def crew(visibility: str):
    member = UserFactory(nickname="小刘")
    circle = make_circle(name="重庆自驾群", visibility=visibility, members=[member])
    return circle, circle.created_by, member


say = database_sync_to_async(
    lambda user, circle, body, **kw: services.send_chat_message(user=user, circle_id=circle.pk, body=body, **kw)
)


async def test_a_member_receives_the_circles_messages(sockets):
    circle, host, member = await crew("PRIVATE")
    socket = await sockets(member)
    await socket.subscribe("chat", circle)
    await until_listening(circle)
    first = await say(host, circle, "今晚七点解放碑集合")
    assert await socket.receive() == {
        "id": "chat",
        "type": "next",
        "payload": {
            "data": {
                "chatMessages": {
                    "body": "今晚七点解放碑集合",
                    "author": {"nickname": host.nickname},
                    "circle": {"name": "重庆自驾群"},
                    "replyTo": None,
                }
            }
        },
    }
    await say(member, circle, "收到", reply_to_id=first.pk)
    reply = await socket.receive()
    assert reply["payload"]["data"]["chatMessages"]["replyTo"] == {"body": "今晚七点解放碑集合"}


async def test_outsiders_cannot_listen_to_a_private_circle(sockets):
    circle, host, _member = await crew("PRIVATE")
    outsider = await database_sync_to_async(UserFactory)()
    for user, code in ((outsider, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        socket = await sockets(user)
        await socket.subscribe("chat", circle)
        answer = await socket.receive()
        assert answer["type"] == "error" and answer["id"] == "chat"
        assert answer["payload"][0]["extensions"] == {"code": code}
        assert answer["payload"][0]["path"] == ["chatMessages"]
    await say(host, circle, "只有成员能看到")
    await until_listening(circle, 0)


async def test_anyone_may_listen_to_a_public_circle(sockets):
    circle, _host, member = await crew("PUBLIC")
    socket = await sockets()  # anonymous
    await socket.subscribe("chat", circle)
    await until_listening(circle)
    await say(member, circle, "欢迎围观")
    received = await socket.receive()
    assert received["payload"]["data"]["chatMessages"]["body"] == "欢迎围观"


async def test_a_pending_circle_is_not_found_and_a_bad_id_is_bad_input(sockets):
    pending = await database_sync_to_async(make_circle)(approve=False)
    socket = await sockets(await database_sync_to_async(UserFactory)())
    await socket.subscribe("chat", pending)
    answer = await socket.receive()
    assert answer["type"] == "error" and answer["payload"][0]["extensions"] == {"code": "NOT_FOUND"}
    await socket.communicator.send_json_to(
        {"id": "bad", "type": "subscribe", "payload": {"query": CHAT, "variables": {"circleId": "nope"}}}
    )
    bad = await socket.receive()
    assert bad["type"] == "error" and bad["payload"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_a_removed_member_stops_hearing_a_private_circle(sockets):
    circle, host, member = await crew("PRIVATE")
    socket = await sockets(member)
    await socket.subscribe("chat", circle)
    await until_listening(circle)

    @database_sync_to_async
    def ban():
        services.remove_member(user=host, membership_id=membership(circle, member).pk, ban=True)

    await ban()
    ended = await socket.receive()
    assert ended["type"] == "error" and ended["payload"][0]["extensions"] == {"code": "FORBIDDEN"}
    await until_listening(circle, 0)
    await say(host, circle, "他听不到了")
    assert await socket.silent()


async def test_held_messages_are_not_sent_live(sockets):
    circle, host, member = await crew("PUBLIC")
    await database_sync_to_async(SensitiveWord.objects.create)(word="加微信", action="HOLD")
    socket = await sockets(member)
    await socket.subscribe("chat", circle)
    await until_listening(circle)
    await say(host, circle, "有事加微信")
    await say(host, circle, "正常消息")
    received = await socket.receive()
    assert received["payload"]["data"]["chatMessages"]["body"] == "正常消息"
    assert await socket.silent()


async def test_a_fanned_out_event_costs_no_extra_database_hop(sockets, monkeypatch):
    """Delivering an event queues it without channels' close_old_connections hop (the execution that
    follows does that itself): with hundreds of subscribers per process, hops are the cost."""
    import channels.consumer

    hops: list[str] = []
    real = channels.consumer.aclose_old_connections

    async def counting():
        hops.append("hop")
        await real()

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counting)
    circle, host, member = await crew("PUBLIC")
    socket = await sockets(member)
    await socket.subscribe("chat", circle)
    await until_listening(circle)
    assert hops  # the client's own frames still go through it
    hops.clear()
    await say(host, circle, "一跳都不多")
    assert (await socket.receive())["payload"]["data"]["chatMessages"]["body"] == "一跳都不多"
    assert hops == []


async def test_the_live_chat_leaves_out_people_blocked_either_way_from_the_moment_of_the_block(sockets):
    circle, host, member = await crew("PRIVATE")
    socket = await sockets(member)
    await socket.subscribe("chat", circle)
    await until_listening(circle)
    await say(host, circle, "拉黑之前")
    assert (await socket.receive())["payload"]["data"]["chatMessages"]["body"] == "拉黑之前"
    # Blocked while subscribed: the very next message of the host no longer arrives, others' still do.
    await database_sync_to_async(account_services.block_user)(user=host, blocked_id=member.pk)
    await say(host, circle, "拉黑之后")
    assert await socket.silent()
    await say(member, circle, "我自己的")
    assert (await socket.receive())["payload"]["data"]["chatMessages"]["body"] == "我自己的"
    await database_sync_to_async(account_services.unblock_user)(user=host, blocked_id=member.pk)
    await say(host, circle, "解除之后")
    assert (await socket.receive())["payload"]["data"]["chatMessages"]["body"] == "解除之后"
