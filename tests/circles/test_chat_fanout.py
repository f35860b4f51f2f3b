"""One chat message fans out to many subscribers: its selection is executed once per process and the result
shared by every subscriber whose result cannot differ (same document, variables, language, host, event, and
nothing in it read who the viewer is); a result that depends on the viewer is never shared."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from circles import services
from community.graphql.consumers import GraphQLTransportWSConsumer
from community.models import SensitiveWord
from tests.circles import test_chat_subscription as chat
from tests.circles.factories import make_circle
from tests.factories import UserFactory
from tests.helpers import gid

pytestmark = pytest.mark.django_db(transaction=True)

sockets = chat.sockets  # the fixtures of the chat subscription tests
_isolated = chat._isolated
until_listening = chat.until_listening
REPLY = "subscription($circleId: ID!) { chatMessages(circleId: $circleId) { body replyTo { body } } }"


@pytest.fixture
def executions(monkeypatch):
    counted: list[int] = []
    real = GraphQLTransportWSConsumer._execute_shareable

    def counting(self, *args, **kwargs):
        counted.append(self.user.pk)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(GraphQLTransportWSConsumer, "_execute_shareable", counting)
    return counted


async def test_one_execution_serves_every_subscriber_of_the_same_document(sockets, executions):
    @database_sync_to_async
    def setup():
        members = [UserFactory() for _ in range(5)]
        return make_circle(visibility="PRIVATE", members=members), members

    circle, members = await setup()
    opened = [await sockets(member) for member in members]
    for socket in opened:
        await socket.subscribe("chat", circle)
    await until_listening(circle, len(opened))
    await database_sync_to_async(services.send_chat_message)(user=circle.created_by, circle_id=circle.pk, body="一次")
    for socket in opened:
        assert (await socket.receive())["payload"]["data"]["chatMessages"]["body"] == "一次"
    assert len(executions) == 1


async def test_a_result_that_depends_on_the_viewer_is_never_shared(sockets, executions):
    """A reply to a held message shows what it replies to to the held message's author alone."""

    @database_sync_to_async
    def setup():
        author, other = UserFactory(), UserFactory()
        circle = make_circle(visibility="PRIVATE", members=[author, other])
        SensitiveWord.objects.create(word="加微信", action="HOLD")
        held = services.send_chat_message(user=author, circle_id=circle.pk, body="有事加微信")
        return circle, author, other, held

    circle, author, other, held = await setup()
    mine, theirs = await sockets(author), await sockets(other)
    for socket in (theirs, mine):
        message = {
            "id": "chat",
            "type": "subscribe",
            "payload": {"query": REPLY, "variables": {"circleId": gid(circle)}},
        }
        await socket.communicator.send_json_to(message)
    await until_listening(circle, 2)
    reply = database_sync_to_async(services.send_chat_message)
    await reply(user=author, circle_id=circle.pk, body="见上条", reply_to_id=held.pk)
    assert (await theirs.receive())["payload"]["data"]["chatMessages"] == {"body": "见上条", "replyTo": None}
    assert (await mine.receive())["payload"]["data"]["chatMessages"] == {
        "body": "见上条",
        "replyTo": {"body": "有事加微信"},
    }
    assert len(executions) == 2
