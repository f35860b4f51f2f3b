"""A real client (Python gql) on a real server (daphne): a follow made over HTTP reaches the followee's
open `notifications` subscription. With Redis, also across two daphne processes sharing the layer."""

from __future__ import annotations

import asyncio

import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport
from graphql_relay import to_global_id

from community.kernel.verbs import NotificationVerb
from tests.factories import UserFactory
from tests.live import LiveServer, live_server, second_live_server, token_for

# The live-server fixtures, imported rather than put in the shared conftest.
__all__ = ["live_server", "second_live_server"]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NOTIFICATIONS = gql("subscription { notifications { verb text actor { nickname } } }")
FOLLOW = "mutation($input: UserIdInput!){ follow(input:$input){ errors{code} user{id} } }"
DELIVERY_TIMEOUT = 5.0
# The protocol has no "subscribed" acknowledgement: give the server this long to join the group.
SETTLE = 0.5


@pytest.fixture
def followee():
    user = UserFactory(nickname="小明")
    return user, token_for(user)


@pytest.fixture
def follower():
    user = UserFactory(nickname="老王")
    return user, token_for(user)


def transport(server: LiveServer, token: str | None) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=server.ws_url,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"authorization": f"Bearer {token}"} if token else {},
        connect_timeout=DELIVERY_TIMEOUT,
        ack_timeout=DELIVERY_TIMEOUT,
    )


def follow_over_http(server: LiveServer, token: str, followee) -> None:
    result = server.graphql(FOLLOW, {"input": {"userId": to_global_id("User", followee.pk)}}, token=token)
    assert result == {"data": {"follow": {"errors": [], "user": {"id": to_global_id("User", followee.pk)}}}}


async def receive_follow(subscribe_on: LiveServer, follow_through: LiveServer, followee, follower) -> dict:
    """Subscribe as the followee on one server, follow through the other; the first notification."""
    (followee_user, followee_token), (_, follower_token) = followee, follower
    async with Client(transport=transport(subscribe_on, followee_token)) as session:
        notifications = session.subscribe(NOTIFICATIONS)
        first = asyncio.ensure_future(notifications.__anext__())
        try:
            await asyncio.sleep(SETTLE)
            assert not first.done(), first.result() if not first.exception() else first.exception()
            await asyncio.to_thread(follow_over_http, follow_through, follower_token, followee_user)
            return await asyncio.wait_for(first, DELIVERY_TIMEOUT)
        finally:
            first.cancel()
            await notifications.aclose()


async def test_a_follow_over_http_reaches_the_followees_subscription(live_server, followee, follower):
    result = await receive_follow(live_server, live_server, followee, follower)
    assert result == {
        "notifications": {"verb": NotificationVerb.FOLLOWED, "text": "老王 关注了你", "actor": {"nickname": "老王"}}
    }


@pytest.mark.services
async def test_a_follow_on_one_server_reaches_a_subscription_on_another(
    live_server, second_live_server, followee, follower
):
    assert live_server.http_url != second_live_server.http_url
    result = await receive_follow(live_server, second_live_server, followee, follower)
    assert result["notifications"]["verb"] == NotificationVerb.FOLLOWED
    assert result["notifications"]["actor"] == {"nickname": "老王"}


async def test_an_anonymous_subscription_is_refused_as_unauthenticated(live_server):
    async with Client(transport=transport(live_server, None)) as session:
        with pytest.raises(TransportQueryError) as refused:
            async for _ in session.subscribe(NOTIFICATIONS):
                pytest.fail("an anonymous connection received a notification")
    assert refused.value.errors[0]["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_a_query_over_the_socket_uses_the_bearer_token(live_server, followee):
    _, token = followee
    async with Client(transport=transport(live_server, token)) as session:
        result = await session.execute(gql("{ me { nickname } }"))
    assert result == {"me": {"nickname": "小明"}}
