"""The directMessages subscription over the graphql-transport-ws WebSocket, in process: both
participants receive a message live, a third user never does, anonymous sockets are refused."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from community.accounts import services as account_services
from community.kernel.realtime import user_direct_messages_topic
from community.messaging import services
from tests.content.helpers import veteran
from tests.sockets import TIMEOUT, subscribe, until_listening

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_channel_layer")]

QUIET = 0.3
LIVE = "subscription { directMessages { body sender { nickname } } }"


@pytest.fixture
def sockets(connect):
    """`await sockets(user)`: a signed-in socket already listening to its direct messages."""

    async def open_listening(user=None):
        socket = await connect(user)
        await subscribe(socket, LIVE, op_id="dm")
        return socket

    return open_listening


@database_sync_to_async
def people():
    alice, bob, eve = veteran(), veteran(), veteran()
    for a, b in ((alice, bob), (bob, alice)):
        account_services.follow(user=a, followee_id=b.pk)
    return alice, bob, eve


say = database_sync_to_async(
    lambda user, to, body: services.send_direct_message(user=user, recipient_id=to.pk, body=body)
)


async def test_both_participants_receive_it_live_and_a_third_user_never_does(sockets):
    alice, bob, eve = await people()
    to_bob, to_alice, to_eve = await sockets(bob), await sockets(alice), await sockets(eve)
    for user in (alice, bob, eve):
        await until_listening(user_direct_messages_topic(user.pk))
    await say(alice, bob, "今晚见")
    expected = {"directMessages": {"body": "今晚见", "sender": {"nickname": alice.nickname}}}
    for socket in (to_bob, to_alice):
        received = await socket.receive_json_from(timeout=TIMEOUT)
        assert received == {"id": "dm", "type": "next", "payload": {"data": expected}}
    assert await to_eve.receive_nothing(timeout=QUIET)


async def test_anonymous_sockets_are_refused(sockets):
    socket = await sockets()
    answer = await socket.receive_json_from(timeout=TIMEOUT)
    assert answer["type"] == "error" and answer["payload"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
