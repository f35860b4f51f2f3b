"""A real client (Python gql) on a real server (daphne): a chat message sent over HTTP reaches an open
chatMessages subscription; with Redis, also when the two are on different daphne processes."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from tests.circles.factories import make_circle
from tests.factories import UserFactory
from tests.helpers import gid
from tests.live import LiveServer, live_server, second_live_server, token_for

__all__ = ["live_server", "second_live_server"]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CHAT = gql("subscription($circleId: ID!) { chatMessages(circleId: $circleId) { body author { nickname } } }")
SEND = """mutation($input: SendChatMessageInput!) {
  sendChatMessage(input: $input) { message { id } errors { code message } }
}"""
TIMEOUT = 5.0
SETTLE = 0.5  # no "subscribed" acknowledgement in the protocol: give the server this long to join


@pytest.fixture
def circle_chat():
    member = UserFactory(nickname="小周")
    circle = make_circle(name="欧尚Z6车主群", visibility="PRIVATE", members=[member])
    return circle, (circle.created_by, token_for(circle.created_by)), (member, token_for(member))


def transport(server: LiveServer, token: str) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=server.ws_url,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"authorization": f"Bearer {token}"},
        connect_timeout=TIMEOUT,
        ack_timeout=TIMEOUT,
    )


def send_over_http(server: LiveServer, token: str, circle, body: str) -> None:
    result = server.graphql(SEND, {"input": {"circleId": gid(circle), "body": body}}, token=token)
    assert result["data"]["sendChatMessage"]["errors"] == [], result


async def first_message(listen_on: LiveServer, send_through: LiveServer, circle, listener_token, sender_token):
    async with Client(transport=transport(listen_on, listener_token)) as session:
        messages = session.subscribe(CHAT, variable_values={"circleId": gid(circle)})
        first = asyncio.ensure_future(messages.__anext__())
        try:
            await asyncio.sleep(SETTLE)
            assert not first.done(), first.result() if not first.exception() else first.exception()
            await asyncio.to_thread(send_over_http, send_through, sender_token, circle, "周末去武隆，报名接龙")
            return await asyncio.wait_for(first, TIMEOUT)
        finally:
            first.cancel()
            await messages.aclose()


async def test_a_message_sent_over_http_reaches_a_members_subscription(live_server, circle_chat):
    circle, (host, host_token), (_member, member_token) = circle_chat
    received = await first_message(live_server, live_server, circle, member_token, host_token)
    assert received == {"chatMessages": {"body": "周末去武隆，报名接龙", "author": {"nickname": host.nickname}}}


@pytest.mark.services
async def test_a_message_sent_on_one_server_reaches_a_subscription_on_another(
    live_server, second_live_server, circle_chat
):
    circle, (_host, host_token), (_member, member_token) = circle_chat
    received = await first_message(live_server, second_live_server, circle, member_token, host_token)
    assert received["chatMessages"]["body"] == "周末去武隆，报名接龙"


async def test_an_outsider_is_refused_a_private_circles_chat(live_server, circle_chat):
    circle, *_ = circle_chat
    outsider_token = await database_sync_to_async(lambda: token_for(UserFactory()))()
    async with Client(transport=transport(live_server, outsider_token)) as session:
        with pytest.raises(TransportQueryError) as refused:
            async for _ in session.subscribe(CHAT, variable_values={"circleId": gid(circle)}):
                pytest.fail("an outsider received a private circle's message")
    assert refused.value.errors[0]["extensions"] == {"code": "FORBIDDEN"}
