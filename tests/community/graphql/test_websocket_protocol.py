"""The graphql-transport-ws protocol on /graphql/, in process, against the real ASGI application.

Protocol: https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md. Every refusal is
asserted by its close code, every answer by its content.
"""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client

from community.accounts import services as account_services
from community.asgi import application
from community.graphql.consumers import GraphQLTransportWSConsumer
from community.kernel.realtime import user_notifications_topic
from community.kernel.verbs import NotificationVerb
from tests.factories import PASSWORD, UserFactory
from tests.sockets import group_size
from tests.sockets import until_listening as until_listening_to

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("private_channel_layer")]

PROTOCOL = "graphql-transport-ws"
NOTIFICATIONS = "subscription { notifications { verb text actor { nickname } } }"
ME = "query { me { nickname } }"
TIMEOUT = 2  # seconds to wait for something that must come
QUIET = 0.2  # seconds of silence that count as "nothing was sent"


class Socket:
    """A WebsocketCommunicator with the protocol's vocabulary."""

    def __init__(self, headers=None, subprotocols=(PROTOCOL,), client: tuple[str, int] | None = None) -> None:
        self.communicator = WebsocketCommunicator(
            application, "/graphql/", headers=headers or [], subprotocols=list(subprotocols)
        )
        if client is not None:
            self.communicator.scope["client"] = client
        self.disconnected = False

    async def connect(self):
        return await self.communicator.connect(timeout=TIMEOUT)

    async def open(self, payload: dict | None = None) -> Socket:
        """Connect and initialise; returns self once the server acknowledged."""
        connected, subprotocol = await self.connect()
        assert connected, f"handshake refused with {subprotocol}"
        assert subprotocol == PROTOCOL
        message = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await self.send(message)
        assert await self.receive() == {"type": "connection_ack"}
        return self

    async def send(self, message: dict) -> None:
        await self.communicator.send_json_to(message)

    async def send_text(self, text: str) -> None:
        await self.communicator.send_to(text_data=text)

    async def receive(self, timeout: float = TIMEOUT) -> dict:
        return await self.communicator.receive_json_from(timeout=timeout)

    async def subscribe(self, op_id: str, query: str, variables: dict | None = None) -> None:
        payload = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        await self.send({"id": op_id, "type": "subscribe", "payload": payload})

    async def closed_with(self, timeout: float = TIMEOUT) -> int:
        """The code of the close the server sends next (failing if it sends anything else)."""
        output = await self.communicator.receive_output(timeout)
        assert output["type"] == "websocket.close", output
        return output.get("code", 1000)

    async def silent(self, timeout: float = QUIET) -> bool:
        return await self.communicator.receive_nothing(timeout=timeout)

    async def disconnect(self) -> None:
        if not self.disconnected:
            self.disconnected = True
            if self.communicator.future.cancelled():
                # The test timed out waiting and the communicator cancelled the consumer. Disconnecting
                # would raise CancelledError, a BaseException, which stops pytest from running the other
                # finalizers (restoring settings, flushing the database) and spoils every later test.
                return
            await self.communicator.disconnect(timeout=TIMEOUT)


@pytest.fixture
async def sockets():
    """Opens sockets and disconnects every one of them at the end, so no consumer outlives its test."""
    opened: list[Socket] = []

    def make(**kwargs) -> Socket:
        socket = Socket(**kwargs)
        opened.append(socket)
        return socket

    yield make
    for socket in opened:
        await socket.disconnect()


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    """database_sync_to_async runs in one long-lived thread whose connections (CONN_MAX_AGE) would
    otherwise stay open and keep PostgreSQL from dropping the test database."""
    yield
    await database_sync_to_async(connections.close_all)()


@pytest.fixture
def fast_timers(settings):
    """Keepalive and init timeout off unless a test turns them on."""
    settings.WS_KEEPALIVE_SECONDS = 0
    settings.WS_CONNECTION_INIT_TIMEOUT = 30


create_user = database_sync_to_async(UserFactory)
token_for = database_sync_to_async(account_services.issue_token)


@database_sync_to_async
def follow(follower, followee) -> None:
    account_services.follow(user=follower, followee_id=followee.pk)


async def until_listening(user, sockets: int = 1) -> None:
    """Wait until `sockets` connections listen to the user's notifications."""
    await until_listening_to(user_notifications_topic(user.pk), sockets)


async def signed_in(sockets, user) -> Socket:
    token = await token_for(user)
    return await sockets().open({"authorization": f"Bearer {token}"})


# ---------------------------------------------------------------- handshake and initialisation


async def test_connection_init_is_acknowledged(sockets, fast_timers):
    socket = await sockets().open()
    assert await socket.silent()


async def test_connection_init_with_a_valid_token_is_acknowledged(sockets, fast_timers):
    user = await create_user(nickname="小明")
    socket = await signed_in(sockets, user)
    await socket.subscribe("me", ME)
    assert await socket.receive() == {"id": "me", "type": "next", "payload": {"data": {"me": {"nickname": "小明"}}}}
    assert await socket.receive() == {"id": "me", "type": "complete"}


async def test_no_subprotocol_refuses_the_handshake(sockets, fast_timers):
    connected, _code = await sockets(subprotocols=()).connect()
    assert connected is False


async def test_only_the_graphql_transport_ws_subprotocol_is_spoken(sockets, fast_timers):
    connected, _code = await sockets(subprotocols=("graphql-ws",)).connect()
    assert connected is False
    connected, subprotocol = await sockets(subprotocols=("graphql-ws", PROTOCOL)).connect()
    assert (connected, subprotocol) == (True, PROTOCOL)


async def test_a_foreign_origin_is_refused(sockets, fast_timers):
    connected, _code = await sockets(headers=[(b"origin", b"http://evil.example")]).connect()
    assert connected is False


@pytest.mark.parametrize("origin", [b"http://evil.example:99999", b"http://evil.example:port", b"null", b""])
async def test_a_malformed_origin_is_refused(sockets, fast_timers, origin):
    connected, _code = await sockets(headers=[(b"origin", origin)]).connect()
    assert connected is False


async def test_no_origin_is_accepted_as_a_native_app(sockets, fast_timers):
    connected, subprotocol = await sockets().connect()
    assert (connected, subprotocol) == (True, PROTOCOL)


@pytest.mark.parametrize("origin", [b"http://localhost:5173", b"http://127.0.0.1:8000", b"http://[::1]:8000"])
async def test_our_own_origin_is_accepted(sockets, fast_timers, origin):
    connected, subprotocol = await sockets(headers=[(b"origin", origin)]).connect()
    assert (connected, subprotocol) == (True, PROTOCOL)


async def test_a_trusted_origin_is_accepted(sockets, fast_timers, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example.com"]
    connected, _ = await sockets(headers=[(b"origin", b"https://app.example.com")]).connect()
    assert connected is True
    connected, _ = await sockets(headers=[(b"origin", b"https://other.example.com")]).connect()
    assert connected is False


async def test_no_connection_init_in_time_closes_4408(sockets, fast_timers, settings):
    settings.WS_CONNECTION_INIT_TIMEOUT = 0.05
    socket = sockets()
    connected, _ = await socket.connect()
    assert connected
    assert await socket.closed_with() == 4408
    assert await socket.silent()  # closed once, nothing after


async def test_init_timeout_does_not_fire_once_acknowledged(sockets, fast_timers, settings):
    settings.WS_CONNECTION_INIT_TIMEOUT = 0.05
    socket = await sockets().open()
    assert await socket.silent(0.2)


async def test_a_second_connection_init_closes_4429(sockets, fast_timers):
    socket = await sockets().open()
    await socket.send({"type": "connection_init"})
    assert await socket.closed_with() == 4429


async def test_an_invalid_token_closes_4401(sockets, fast_timers):
    socket = sockets()
    await socket.connect()
    await socket.send({"type": "connection_init", "payload": {"authorization": "Bearer nope"}})
    assert await socket.closed_with() == 4401
    assert await socket.silent()


@pytest.mark.parametrize("authorization", ["Basic Zm9vOmJhcg==", "Bearer ", 42])
async def test_an_unusable_authorization_closes_4401(sockets, fast_timers, authorization):
    socket = sockets()
    await socket.connect()
    await socket.send({"type": "connection_init", "payload": {"authorization": authorization}})
    assert await socket.closed_with() == 4401


async def test_a_non_object_init_payload_closes_4400(sockets, fast_timers):
    socket = sockets()
    await socket.connect()
    await socket.send({"type": "connection_init", "payload": "Bearer x"})
    assert await socket.closed_with() == 4400


async def test_a_revoked_token_closes_4401(sockets, fast_timers):
    user = await create_user()
    token = await token_for(user)
    await database_sync_to_async(account_services.logout)(user=user, token=token)
    socket = sockets()
    await socket.connect()
    await socket.send({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    assert await socket.closed_with() == 4401


async def test_a_browser_session_authenticates_the_connection(sockets, fast_timers):
    user = await create_user(nickname="小红")

    @database_sync_to_async
    def session_cookie() -> bytes:
        client = Client()
        client.force_login(user)
        name = django_settings.SESSION_COOKIE_NAME
        return f"{name}={client.cookies[name].value}".encode()

    headers = [(b"cookie", await session_cookie()), (b"origin", b"http://localhost:5173")]
    socket = await sockets(headers=headers).open()
    await socket.subscribe("me", ME)
    assert await socket.receive() == {"id": "me", "type": "next", "payload": {"data": {"me": {"nickname": "小红"}}}}


# ---------------------------------------------------------------- ping and pong


async def test_ping_is_answered_with_pong(sockets, fast_timers):
    socket = await sockets().open()
    await socket.send({"type": "ping"})
    assert await socket.receive() == {"type": "pong"}
    await socket.send({"type": "ping", "payload": {"at": 1}})
    assert await socket.receive() == {"type": "pong", "payload": {"at": 1}}


async def test_ping_is_answered_before_connection_init(sockets, fast_timers):
    socket = sockets()
    await socket.connect()
    await socket.send({"type": "ping"})
    assert await socket.receive() == {"type": "pong"}


async def test_server_pings_to_keep_the_connection_alive(sockets, fast_timers, settings):
    settings.WS_KEEPALIVE_SECONDS = 0.05
    socket = await sockets().open()
    for _ in range(2):
        assert await socket.receive() == {"type": "ping"}
        await socket.send({"type": "pong"})
    # Still a working connection after answering.
    await socket.subscribe("q", "{ __typename }")
    messages = [await socket.receive() for _ in range(4)]
    answers = [m for m in messages if m["type"] != "ping"]
    assert answers[0] == {"id": "q", "type": "next", "payload": {"data": {"__typename": "Query"}}}


async def test_server_does_not_ping_before_acknowledging(sockets, fast_timers, settings):
    settings.WS_KEEPALIVE_SECONDS = 0.05
    socket = sockets()
    await socket.connect()
    assert await socket.silent(0.2)


# ---------------------------------------------------------------- malformed messages


async def test_subscribe_before_ack_closes_4401(sockets, fast_timers):
    socket = sockets()
    await socket.connect()
    await socket.subscribe("1", "{ __typename }")
    assert await socket.closed_with() == 4401


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[1, 2]",
        '"connection_init"',
        '{"payload": {}}',
        '{"type": 1}',
        '{"type": "hello"}',
        '{"type": "connection_ack"}',
        '{"type": "next", "id": "1", "payload": {}}',
        '{"type": "subscribe", "id": "1", "payload": ' + "[" * 30_000 + "]" * 30_000 + "}",  # past json's recursion
    ],
    ids=lambda text: text[:40],
)
async def test_invalid_or_unknown_messages_close_4400(sockets, fast_timers, text):
    socket = await sockets().open()
    await socket.send_text(text)
    assert await socket.closed_with() == 4400


async def test_binary_messages_close_4400(sockets, fast_timers):
    socket = await sockets().open()
    await socket.communicator.send_to(bytes_data=b'{"type": "ping"}')
    assert await socket.closed_with() == 4400


@pytest.mark.parametrize(
    "message",
    [
        {"type": "subscribe", "payload": {"query": "{ __typename }"}},
        {"type": "subscribe", "id": "", "payload": {"query": "{ __typename }"}},
        {"type": "subscribe", "id": 1, "payload": {"query": "{ __typename }"}},
        {"type": "subscribe", "id": "1"},
        {"type": "subscribe", "id": "1", "payload": {"variables": {}}},
        {"type": "subscribe", "id": "1", "payload": {"query": "{ __typename }", "variables": [1]}},
        {"type": "complete"},
        {"type": "complete", "id": 7},
    ],
)
async def test_malformed_subscribe_or_complete_closes_4400(sockets, fast_timers, message):
    socket = await sockets().open()
    await socket.send(message)
    assert await socket.closed_with() == 4400


async def test_nothing_is_processed_after_the_server_closed(sockets, fast_timers):
    socket = await sockets().open()
    await socket.send_text("not json")
    await socket.send({"type": "ping"})
    assert await socket.closed_with() == 4400
    assert await socket.silent()


# ---------------------------------------------------------------- operations


async def test_a_query_gives_next_then_complete(sockets, fast_timers):
    socket = await sockets().open()
    query = "query Q($me: Boolean!) { __typename me @include(if: $me) { nickname } }"
    await socket.subscribe("q1", query, {"me": False})
    assert await socket.receive() == {
        "id": "q1",
        "type": "next",
        "payload": {"data": {"__typename": "Query"}},  # the variable was applied
    }
    assert await socket.receive() == {"id": "q1", "type": "complete"}
    # The id is free again once the operation completed.
    await socket.subscribe("q1", "{ __typename }")
    assert (await socket.receive())["type"] == "next"
    assert await socket.receive() == {"id": "q1", "type": "complete"}


async def test_a_validation_error_gives_an_error_message(sockets, fast_timers):
    socket = await sockets().open()
    await socket.subscribe("bad", "{ xyzzy }")
    message = await socket.receive()
    assert message["id"] == "bad"
    assert message["type"] == "error"
    assert [e["message"] for e in message["payload"]] == ["类型 Query 没有字段 xyzzy。"]
    assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert message["payload"][0]["locations"] == [{"line": 1, "column": 3}]
    assert await socket.silent()  # `error` ends the operation: no `complete` follows
    await socket.send({"type": "ping"})  # and the socket stays open
    assert await socket.receive() == {"type": "pong"}


async def test_a_syntax_error_gives_an_error_message(sockets, fast_timers):
    socket = await sockets().open()
    await socket.subscribe("bad", "{ me { ")
    message = await socket.receive()
    assert (message["id"], message["type"]) == ("bad", "error")
    assert message["payload"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert message["payload"][0]["extensions"]["detail"].startswith("Syntax Error")


async def test_an_unknown_operation_name_gives_an_error_message(sockets, fast_timers):
    socket = await sockets().open()
    await socket.send(
        {"id": "x", "type": "subscribe", "payload": {"query": "query A { __typename }", "operationName": "B"}}
    )
    message = await socket.receive()
    assert (message["id"], message["type"]) == ("x", "error")


async def test_a_too_deep_query_is_refused_with_its_code(sockets, fast_timers, settings):
    settings.GRAPHQL_MAX_DEPTH = 2
    socket = await sockets().open()
    await socket.subscribe("deep", "{ me { vehicles { model } } }")
    message = await socket.receive()
    assert (message["id"], message["type"]) == ("deep", "error")
    assert message["payload"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}


async def test_an_operation_over_the_cost_budget_is_refused_with_its_code(sockets, fast_timers, settings):
    settings.GRAPHQL_MAX_COST = 30
    socket = await sockets().open()
    await socket.subscribe("costly", "{ circles(first: 10) { edges { node { id } } } }")  # costs 31
    message = await socket.receive()
    assert (message["id"], message["type"]) == ("costly", "error")
    assert message["payload"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}


async def test_a_query_over_the_size_limit_is_refused_with_its_code(sockets, fast_timers, settings):
    settings.GRAPHQL_MAX_QUERY_BYTES = 100
    socket = await sockets().open()
    await socket.subscribe("big", "{ __typename }" + "#" * 100)
    message = await socket.receive()
    assert (message["id"], message["type"]) == ("big", "error")
    assert message["payload"][0]["extensions"] == {"code": "QUERY_TOO_LARGE"}


async def test_documents_are_checked_off_the_event_loop(sockets, fast_timers, monkeypatch):
    """Parsing and validation are CPU work: on the loop they would stall every socket of the process."""
    import threading

    from community.graphql import consumers

    threads = []
    original = consumers.checked_document

    def spy(*args, **kwargs):
        threads.append(threading.get_ident())
        return original(*args, **kwargs)

    monkeypatch.setattr(consumers, "checked_document", spy)
    socket = await sockets().open()
    refused = "{" + " me { id }" * 1800 + " }"  # thousands of repeated fields, under the size limit
    await socket.subscribe("heavy", refused)
    message = await socket.receive()
    assert message["payload"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}
    assert threads and threading.get_ident() not in threads


async def test_a_mutation_runs_over_the_socket(sockets, fast_timers):
    follower = await create_user()
    followee = await create_user(nickname="老王")
    from graphql_relay import to_global_id

    socket = await signed_in(sockets, follower)
    await socket.subscribe(
        "m",
        "mutation($input: UserIdInput!) { follow(input: $input) { errors { code } user { nickname followerCount } } }",
        {"input": {"userId": to_global_id("User", followee.pk)}},
    )
    assert await socket.receive() == {
        "id": "m",
        "type": "next",
        "payload": {"data": {"follow": {"errors": [], "user": {"nickname": "老王", "followerCount": 1}}}},
    }
    assert await socket.receive() == {"id": "m", "type": "complete"}


async def test_an_unexpected_failure_gives_an_opaque_error_and_the_socket_lives_on(
    sockets, fast_timers, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(GraphQLTransportWSConsumer, "_execute_sync", broken)
    socket = await sockets().open()
    await socket.subscribe("q", "{ __typename }")
    assert await socket.receive() == {
        "id": "q",
        "type": "error",
        "payload": [{"message": "服务器内部错误。", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}],
    }
    assert "database on fire" in caplog.text  # logged, never shown
    await socket.send({"type": "ping"})
    assert await socket.receive() == {"type": "pong"}


async def test_per_address_limits_count_each_client_address(sockets, fast_timers, settings):
    settings.REGISTRATIONS_PER_IP_PER_HOUR = 1
    register = "mutation($input: RegisterInput!) { register(input: $input) { token errors { code } } }"

    async def register_from(socket, username):
        fields = {"username": username, "password": PASSWORD, "nickname": username}
        await socket.subscribe(username, register, {"input": fields})
        message = await socket.receive()
        assert await socket.receive() == {"id": username, "type": "complete"}
        return message["payload"]["data"]["register"]

    first = await sockets(client=("10.0.0.1", 50000)).open()
    second = await sockets(client=("10.0.0.2", 50000)).open()
    assert (await register_from(first, "owner_a"))["token"]
    assert (await register_from(second, "owner_b"))["token"]  # another address, its own allowance
    refused = await register_from(first, "owner_c")
    assert (refused["token"], refused["errors"]) == (None, [{"code": "RATE_LIMITED"}])


async def test_notifications_for_an_anonymous_connection_give_unauthenticated(sockets, fast_timers):
    socket = await sockets().open()
    await socket.subscribe("n", NOTIFICATIONS)
    message = await socket.receive()
    assert (message["id"], message["type"]) == ("n", "error")
    assert [e["extensions"]["code"] for e in message["payload"]] == ["UNAUTHENTICATED"]
    assert message["payload"][0]["path"] == ["notifications"]
    assert await socket.silent()
    # The id is free again: the failed operation is gone.
    await socket.subscribe("n", "{ __typename }")
    assert (await socket.receive())["type"] == "next"


async def test_a_follow_is_pushed_to_the_followee(sockets, fast_timers):
    followee = await create_user()
    follower = await create_user(nickname="老王")
    socket = await signed_in(sockets, followee)
    await socket.subscribe("n", NOTIFICATIONS)
    await until_listening(followee)
    await follow(follower, followee)
    notification = {"verb": NotificationVerb.FOLLOWED, "text": "老王 关注了你", "actor": {"nickname": "老王"}}
    assert await socket.receive() == {"id": "n", "type": "next", "payload": {"data": {"notifications": notification}}}
    assert await socket.silent()  # one follow, one notification


async def test_every_connection_of_the_user_gets_the_notification(sockets, fast_timers):
    followee = await create_user()
    follower = await create_user(nickname="老王")
    phone, tablet = await signed_in(sockets, followee), await signed_in(sockets, followee)
    for socket in (phone, tablet):
        await socket.subscribe("n", NOTIFICATIONS)
    await until_listening(followee, sockets=2)
    await follow(follower, followee)
    for socket in (phone, tablet):
        message = await socket.receive()
        assert (message["id"], message["type"]) == ("n", "next")
        assert message["payload"]["data"]["notifications"]["actor"] == {"nickname": "老王"}


async def test_notifications_of_other_users_are_not_pushed(sockets, fast_timers):
    subscriber = await create_user()
    someone_else = await create_user()
    follower = await create_user()
    socket = await signed_in(sockets, subscriber)
    await socket.subscribe("n", NOTIFICATIONS)
    await until_listening(subscriber)
    await follow(follower, someone_else)
    assert await socket.silent()


async def test_the_language_of_connection_init_applies_to_pushed_text(sockets, fast_timers):
    followee = await create_user()
    follower = await create_user(nickname="Wang")
    token = await token_for(followee)
    socket = await sockets().open({"authorization": f"Bearer {token}", "language": "en"})
    await socket.subscribe("n", NOTIFICATIONS)
    await until_listening(followee)
    await follow(follower, followee)
    message = await socket.receive()
    assert message["payload"]["data"]["notifications"]["text"] == "Wang started following you"


async def test_complete_from_the_client_stops_delivery(sockets, fast_timers):
    followee = await create_user()
    first, second, third = await create_user(), await create_user(), await create_user()
    socket = await signed_in(sockets, followee)
    await socket.subscribe("kept", NOTIFICATIONS)
    await until_listening(followee)
    await socket.subscribe("stopped", NOTIFICATIONS)
    await socket.send({"type": "ping"})  # answered once the subscribe before it was handled
    assert await socket.receive() == {"type": "pong"}
    await follow(first, followee)
    assert {(await socket.receive())["id"] for _ in range(2)} == {"kept", "stopped"}

    await socket.send({"id": "stopped", "type": "complete"})
    await socket.send({"id": "never-existed", "type": "complete"})  # harmless
    await socket.send({"type": "ping"})
    assert await socket.receive() == {"type": "pong"}
    await follow(second, followee)
    message = await socket.receive()
    assert (message["id"], message["type"]) == ("kept", "next")
    assert await socket.silent()  # nothing for "stopped", and no `complete` for it either

    await socket.send({"id": "kept", "type": "complete"})
    await until_listening(followee, sockets=0)  # the last subscription gone, the connection leaves
    await follow(third, followee)
    assert await socket.silent()


async def test_disconnecting_leaves_the_group(sockets, fast_timers):
    user = await create_user()
    socket = await signed_in(sockets, user)
    await socket.subscribe("a", NOTIFICATIONS)
    await socket.subscribe("b", NOTIFICATIONS)
    await until_listening(user)
    await socket.disconnect()
    await until_listening(user, sockets=0)


async def test_a_duplicate_subscription_id_closes_4409(sockets, fast_timers):
    user = await create_user()
    socket = await signed_in(sockets, user)
    await socket.subscribe("same", NOTIFICATIONS)
    await socket.subscribe("same", NOTIFICATIONS)
    assert await socket.closed_with() == 4409


async def test_too_many_subscriptions_give_an_error(sockets, fast_timers, settings):
    settings.WS_MAX_SUBSCRIPTIONS = 2
    user = await create_user()
    socket = await signed_in(sockets, user)
    for op_id in ("1", "2", "3"):
        await socket.subscribe(op_id, NOTIFICATIONS)
    message = await socket.receive()
    assert (message["id"], message["type"]) == ("3", "error")


async def test_a_listener_awaited_first_is_listening_before_it_is_iterated():
    """`await info.context.listen(topic)` joins at once; `async for` over it then yields the events."""
    layer = get_channel_layer()
    consumer = GraphQLTransportWSConsumer()
    consumer.channel_layer, consumer.channel_name = layer, await layer.new_channel()
    consumer.topics, consumer.membership = {}, asyncio.Lock()
    topic = user_notifications_topic(0)

    listener = await consumer.listen(topic)
    assert await group_size(topic) == 1
    await consumer.realtime_event({"type": "realtime.event", "topic": topic, "payload": {"id": 7}})
    events = aiter(listener)
    assert await anext(events) == {"id": 7}
    await events.aclose()
    assert await group_size(topic) == 0
    assert consumer.topics == {}
