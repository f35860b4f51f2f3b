"""One chat message fans out to many subscribers: its selection is executed once per process and the result
shared by every subscriber whose result cannot differ (same document, variables, language, host, event, and
nothing in it read who the viewer is); a result that depends on the viewer is never shared."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from circles import services
from community.graphql.consumers import GraphQLTransportWSConsumer
from tests.circles import test_chat_subscription as chat
from tests.circles.factories import make_circle
from tests.factories import UserFactory
from tests.helpers import gid

pytestmark = pytest.mark.django_db(transaction=True)

sockets = chat.sockets  # the fixtures of the chat subscription tests
_isolated = chat._isolated
until_listening = chat.until_listening
VIEWER = """subscription($circleId: ID!) {
  chatMessages(circleId: $circleId) { body circle { viewerMembership { role } } }
}"""


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
        circle = make_circle(visibility="PRIVATE", members=members)
        return circle, circle.created_by, members

    circle, host, members = await setup()
    opened = [await sockets(member) for member in members]
    for socket in opened:
        await socket.subscribe("chat", circle)
    await until_listening(circle, len(opened))
    await database_sync_to_async(services.send_chat_message)(user=host, circle_id=circle.pk, body="一次")
    for socket in opened:
        assert (await socket.receive())["payload"]["data"]["chatMessages"]["body"] == "一次"
    assert len(executions) == 1


async def test_a_result_that_depends_on_the_viewer_is_never_shared(sockets, executions):
    """The circle's viewerMembership differs per subscriber: the host and a member each get their own."""

    @database_sync_to_async
    def setup():
        member = UserFactory()
        circle = make_circle(visibility="PRIVATE", members=[member])
        return circle, circle.created_by, member

    circle, host, member = await setup()
    hosts, members = await sockets(host), await sockets(member)
    for socket in (members, hosts):
        variables = {"circleId": gid(circle)}
        message = {"id": "chat", "type": "subscribe", "payload": {"query": VIEWER, "variables": variables}}
        await socket.communicator.send_json_to(message)
    await until_listening(circle, 2)
    await database_sync_to_async(services.send_chat_message)(user=host, circle_id=circle.pk, body="各自的角色")
    assert (await members.receive())["payload"]["data"]["chatMessages"] == {
        "body": "各自的角色",
        "circle": {"viewerMembership": {"role": "MEMBER"}},
    }
    assert (await hosts.receive())["payload"]["data"]["chatMessages"] == {
        "body": "各自的角色",
        "circle": {"viewerMembership": {"role": "HOST"}},
    }
    assert len(executions) == 2
