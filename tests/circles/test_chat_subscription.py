"""The chatMessages(circleId) subscription over the graphql-transport-ws WebSocket, in process: who may
listen, what arrives, and a private circle's subscription ending when its member is removed."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from circles import services
from community.accounts import services as account_services
from community.kernel.realtime import circle_chat_topic
from community.models import SensitiveWord
from tests.circles.factories import make_circle, membership
from tests.circles.helpers import CHAT_MESSAGES as CHAT
from tests.factories import UserFactory
from tests.helpers import gid
from tests.sockets import TIMEOUT, subscribe, until_listening

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_channel_layer")]

QUIET = 0.2


@database_sync_to_async
def crew(visibility: str):
    member = UserFactory(nickname="小刘")
    circle = make_circle(name="重庆自驾群", visibility=visibility, members=[member])
    return circle, circle.created_by, member


say = database_sync_to_async(
    lambda user, circle, body, **kw: services.send_chat_message(user=user, circle_id=circle.pk, body=body, **kw)
)


async def test_a_member_receives_the_circles_messages(connect):
    circle, host, member = await crew("PRIVATE")
    socket = await connect(member)
    await subscribe(socket, CHAT, {"circleId": gid(circle)}, "chat")
    await until_listening(circle_chat_topic(circle.pk))
    first = await say(host, circle, "今晚七点解放碑集合")
    assert await socket.receive_json_from(timeout=TIMEOUT) == {
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
    reply = await socket.receive_json_from(timeout=TIMEOUT)
    assert reply["payload"]["data"]["chatMessages"]["replyTo"] == {"body": "今晚七点解放碑集合"}


async def test_outsiders_cannot_listen_to_a_private_circle(connect):
    circle, host, _member = await crew("PRIVATE")
    outsider = await database_sync_to_async(UserFactory)()
    for user, code in ((outsider, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
        socket = await connect(user)
        await subscribe(socket, CHAT, {"circleId": gid(circle)}, "chat")
        answer = await socket.receive_json_from(timeout=TIMEOUT)
        assert answer["type"] == "error" and answer["id"] == "chat"
        assert answer["payload"][0]["extensions"] == {"code": code}
        assert answer["payload"][0]["path"] == ["chatMessages"]
    await say(host, circle, "只有成员能看到")
    await until_listening(circle_chat_topic(circle.pk), 0)


async def test_anyone_may_listen_to_a_public_circle(connect):
    circle, _host, member = await crew("PUBLIC")
    socket = await connect()  # anonymous
    await subscribe(socket, CHAT, {"circleId": gid(circle)}, "chat")
    await until_listening(circle_chat_topic(circle.pk))
    await say(member, circle, "欢迎围观")
    received = await socket.receive_json_from(timeout=TIMEOUT)
    assert received["payload"]["data"]["chatMessages"]["body"] == "欢迎围观"


async def test_a_pending_circle_is_not_found_and_a_bad_id_is_bad_input(connect):
    pending = await database_sync_to_async(make_circle)(approve=False)
    socket = await connect(await database_sync_to_async(UserFactory)())
    await subscribe(socket, CHAT, {"circleId": gid(pending)}, "chat")
    answer = await socket.receive_json_from(timeout=TIMEOUT)
    assert answer["type"] == "error" and answer["payload"][0]["extensions"] == {"code": "NOT_FOUND"}
    await subscribe(socket, CHAT, {"circleId": "nope"}, "bad")
    bad = await socket.receive_json_from(timeout=TIMEOUT)
    assert bad["type"] == "error" and bad["payload"][0]["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_a_removed_member_stops_hearing_a_private_circle(connect):
    circle, host, member = await crew("PRIVATE")
    socket = await connect(member)
    await subscribe(socket, CHAT, {"circleId": gid(circle)}, "chat")
    await until_listening(circle_chat_topic(circle.pk))

    @database_sync_to_async
    def ban():
        services.remove_member(user=host, membership_id=membership(circle, member).pk, ban=True)

    await ban()
    ended = await socket.receive_json_from(timeout=TIMEOUT)
    assert ended["type"] == "error" and ended["payload"][0]["extensions"] == {"code": "FORBIDDEN"}
    await until_listening(circle_chat_topic(circle.pk), 0)
    await say(host, circle, "他听不到了")
    assert await socket.receive_nothing(timeout=QUIET)


async def test_held_messages_are_not_sent_live(connect):
    circle, host, member = await crew("PUBLIC")
    await database_sync_to_async(SensitiveWord.objects.create)(word="加微信", action="HOLD")
    socket = await connect(member)
    await subscribe(socket, CHAT, {"circleId": gid(circle)}, "chat")
    await until_listening(circle_chat_topic(circle.pk))
    await say(host, circle, "有事加微信")
    await say(host, circle, "正常消息")
    received = await socket.receive_json_from(timeout=TIMEOUT)
    assert received["payload"]["data"]["chatMessages"]["body"] == "正常消息"
    assert await socket.receive_nothing(timeout=QUIET)


async def test_a_fanned_out_event_costs_no_extra_database_hop(connect, monkeypatch):
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
    socket = await connect(member)
    await subscribe(socket, CHAT, {"circleId": gid(circle)}, "chat")
    await until_listening(circle_chat_topic(circle.pk))
    assert hops  # the client's own frames still go through it
    hops.clear()
    await say(host, circle, "一跳都不多")
    assert (await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"]["body"] == "一跳都不多"
    assert hops == []


async def test_the_live_chat_leaves_out_people_blocked_either_way_from_the_moment_of_the_block(connect):
    circle, host, member = await crew("PRIVATE")
    socket = await connect(member)
    await subscribe(socket, CHAT, {"circleId": gid(circle)}, "chat")
    await until_listening(circle_chat_topic(circle.pk))
    await say(host, circle, "拉黑之前")
    assert (await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"]["body"] == "拉黑之前"
    # Blocked while subscribed: the very next message of the host no longer arrives, others' still do.
    await database_sync_to_async(account_services.block_user)(user=host, blocked_id=member.pk)
    await say(host, circle, "拉黑之后")
    assert await socket.receive_nothing(timeout=QUIET)
    await say(member, circle, "我自己的")
    assert (await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"]["body"] == "我自己的"
    await database_sync_to_async(account_services.unblock_user)(user=host, blocked_id=member.pk)
    await say(host, circle, "解除之后")
    assert (await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"]["body"] == "解除之后"
