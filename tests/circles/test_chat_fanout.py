"""One chat message fans out to many subscribers: its selection is executed once per process and the result
shared by every subscriber whose result cannot differ (same document, variables, language, host, event, and
nothing in it read who the viewer is); a result that depends on the viewer is never shared."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from circles import services
from community.graphql.consumers import GraphQLTransportWSConsumer
from community.kernel.realtime import circle_chat_topic
from tests.circles.factories import make_circle
from tests.circles.helpers import CHAT_MESSAGES
from tests.factories import UserFactory
from tests.helpers import gid
from tests.sockets import TIMEOUT, subscribe, until_listening

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("isolated_channel_layer")]

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


async def test_one_execution_serves_every_subscriber_of_the_same_document(connect, executions):
    @database_sync_to_async
    def setup():
        members = [UserFactory() for _ in range(5)]
        circle = make_circle(visibility="PRIVATE", members=members)
        return circle, circle.created_by, members

    circle, host, members = await setup()
    opened = [await connect(member) for member in members]
    for socket in opened:
        await subscribe(socket, CHAT_MESSAGES, {"circleId": gid(circle)}, "chat")
    await until_listening(circle_chat_topic(circle.pk), len(opened))
    await database_sync_to_async(services.send_chat_message)(user=host, circle_id=circle.pk, body="一次")
    for socket in opened:
        assert (await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"]["body"] == "一次"
    assert len(executions) == 1


async def test_a_result_that_depends_on_the_viewer_is_never_shared(connect, executions):
    """The circle's viewerMembership differs per subscriber: the host and a member each get their own."""

    @database_sync_to_async
    def setup():
        member = UserFactory()
        circle = make_circle(visibility="PRIVATE", members=[member])
        return circle, circle.created_by, member

    circle, host, member = await setup()
    hosts, members = await connect(host), await connect(member)
    for socket in (members, hosts):
        await subscribe(socket, VIEWER, {"circleId": gid(circle)}, "chat")
    await until_listening(circle_chat_topic(circle.pk), 2)
    await database_sync_to_async(services.send_chat_message)(user=host, circle_id=circle.pk, body="各自的角色")
    assert (await members.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"] == {
        "body": "各自的角色",
        "circle": {"viewerMembership": {"role": "MEMBER"}},
    }
    assert (await hosts.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"] == {
        "body": "各自的角色",
        "circle": {"viewerMembership": {"role": "HOST"}},
    }
    assert len(executions) == 2
