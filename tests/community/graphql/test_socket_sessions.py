"""Sockets end with the session that opened them: a logout (this device or all) closes the WebSockets signed in
with that token or browser session at once; a deactivated user's sockets close; a muted user's open socket
reads its user again and loses what the mute forbids. In process, on the channel layer the settings name
(Redis in the services run); two processes on Redis: tests/faults/test_socket_logout.py."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client
from django.utils import timezone

from community.accounts import services as account_services
from community.kernel import realtime
from community.models import Mute
from tests.circles.factories import make_circle
from tests.factories import UserFactory
from tests.helpers import gid
from tests.sockets import TIMEOUT, subscribe

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_channel_layer")]

LOGOUT = "mutation($all: Boolean) { logout(input: {allDevices: $all}) { revoked errors { code } } }"
SEND = "mutation($c: ID!, $b: String!) { sendChatMessage(input: {circleId: $c, body: $b}) { errors { code } } }"


async def closed_with(socket: WebsocketCommunicator) -> int:
    message = await socket.receive_output(timeout=TIMEOUT)
    assert message["type"] == "websocket.close", message
    return message.get("code")


async def still_open(socket: WebsocketCommunicator) -> bool:
    await socket.send_json_to({"type": "ping"})
    return await socket.receive_json_from(timeout=TIMEOUT) == {"type": "pong"}


def graphql_over_http(query: str, variables: dict, *, token: str | None = None, client: Client | None = None) -> dict:
    client = client or Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    body = json.dumps({"query": query, "variables": variables})
    return client.post("/graphql/", body, content_type="application/json", **headers).json()


issue = database_sync_to_async(account_services.issue_token)
over_http = database_sync_to_async(graphql_over_http)


async def test_logging_out_closes_the_sockets_of_that_token_only(connect):
    owner = await database_sync_to_async(UserFactory)()
    phone, tablet = await issue(owner), await issue(owner)
    on_phone, on_tablet = await connect(token=phone), await connect(token=tablet)
    result = await over_http(LOGOUT, {"all": False}, token=phone)
    assert result["data"]["logout"] == {"revoked": 1, "errors": []}
    assert await closed_with(on_phone) == 4401
    assert await still_open(on_tablet)


async def test_logging_out_of_all_devices_closes_every_socket_of_the_user(connect):
    owner, other = await database_sync_to_async(UserFactory)(), await database_sync_to_async(UserFactory)()
    tokens = [await issue(owner) for _ in range(3)]
    sockets = [await connect(token=token) for token in tokens]
    bystander = await connect(token=await issue(other))
    result = await over_http(LOGOUT, {"all": True}, token=tokens[0])
    assert result["data"]["logout"] == {"revoked": 3, "errors": []}
    for socket in sockets:
        assert await closed_with(socket) == 4401
    assert await still_open(bystander)


async def test_logging_out_over_the_socket_itself_closes_it(connect):
    owner = await database_sync_to_async(UserFactory)()
    socket = await connect(token=await issue(owner))
    await subscribe(socket, LOGOUT, {}, "out")
    reply = await socket.receive_json_from(timeout=TIMEOUT)
    assert reply["payload"]["data"]["logout"] == {"revoked": 1, "errors": []}
    outputs = []
    while True:  # the reply's "complete" may or may not make it before the close frame
        message = await socket.receive_output(timeout=TIMEOUT)
        outputs.append(message)
        if message["type"] == "websocket.close":
            break
    assert outputs[-1]["code"] == 4401


async def test_a_browser_logout_closes_the_sockets_of_that_session(connect):
    owner = await database_sync_to_async(UserFactory)()

    def browser_session() -> tuple[Client, str]:
        client = Client()
        client.force_login(owner)
        return client, client.cookies["sessionid"].value

    client, session_key = await database_sync_to_async(browser_session)()
    cookie = [(b"cookie", f"sessionid={session_key}".encode()), (b"origin", b"http://testserver")]
    in_browser = await connect(headers=cookie)
    on_phone = await connect(token=await issue(owner))

    def logout_in_browser() -> dict:
        client.get("/healthz")  # a CSRF cookie, as the web client has
        token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
        body = json.dumps({"query": LOGOUT, "variables": {}})
        response = client.post("/graphql/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
        return response.json()

    result = await database_sync_to_async(logout_in_browser)()
    assert result["data"]["logout"]["errors"] == []
    assert await closed_with(in_browser) == 4401
    assert await still_open(on_phone)


async def test_a_deactivated_users_sockets_close(connect):
    owner = await database_sync_to_async(UserFactory)()
    socket = await connect(token=await issue(owner))

    def deactivate():
        owner.is_active = False
        owner.save()

    await database_sync_to_async(deactivate)()
    assert await closed_with(socket) == 4403


async def test_a_muted_users_open_socket_reads_its_user_again(connect):
    """The mute is committed while the socket is open: the socket's sends are refused from then on, and its
    chat subscription checks its access again (a member of a public circle still reads it)."""
    owner = await database_sync_to_async(UserFactory)()
    circle = await database_sync_to_async(make_circle)(visibility="PUBLIC", members=[owner])
    socket = await connect(token=await issue(owner))
    variables = {"c": gid(circle), "b": "禁言前"}
    await subscribe(socket, SEND, variables, "1")
    assert (await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["sendChatMessage"]["errors"] == []
    assert (await socket.receive_json_from(timeout=TIMEOUT))["type"] == "complete"

    def mute():  # as the moderation service does, with the mute alone
        with transaction.atomic():
            Mute.objects.create(user=owner, until=timezone.now() + timedelta(days=1), reason="", created_by=None)
            realtime.refresh_sockets(realtime.user_sockets_topic(owner.pk))

    await database_sync_to_async(mute)()
    assert await still_open(socket)
    variables = {"c": gid(circle), "b": "禁言后"}
    await subscribe(socket, SEND, variables, "2")
    reply = await socket.receive_json_from(timeout=TIMEOUT)
    assert reply["payload"]["data"]["sendChatMessage"]["errors"] == [{"code": "MUTED"}]
