"""Hosts and co-hosts delete circle chat messages: refusals, the audit log, the history, and live removal."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.contrib.contenttypes.models import ContentType

from circles import services
from circles.models import ChatMessage
from community.kernel.realtime import circle_chat_topic
from community.moderation.models import ModerationAction
from tests.circles.factories import make_circle
from tests.factories import BrandStaffFactory, UserFactory
from tests.helpers import data_of, gid
from tests.sockets import TIMEOUT, subscribe, until_listening

DELETE = """
mutation($input: ChatMessageIdInput!) {
  deleteChatMessage(input: $input) { message { id deleted body } errors { field code message } }
}"""
HISTORY = "query($id: ID!) { circle(id: $id) { chatMessages { edges { node { body } } } } }"


def delete(gql, user, message):
    return data_of(gql(DELETE, {"input": {"messageId": gid(message)}}, user=user), "deleteChatMessage")


def audit_entries(message):
    return ModerationAction.objects.filter(
        action="DELETE", target_type=ContentType.objects.get_for_model(ChatMessage), target_id=message.pk
    )


def test_hosts_co_hosts_and_brand_staff_delete_messages_logged_and_gone_from_history(gql):
    member, co_host = UserFactory(), UserFactory()
    circle = make_circle(members=[member], co_hosts=[co_host])
    host, staff = circle.created_by, BrandStaffFactory()
    said = [services.send_chat_message(user=member, circle_id=circle.pk, body=f"第{n}条") for n in range(4)]
    for actor, message in zip((host, co_host, staff), said, strict=False):
        result = delete(gql, actor, message)
        assert result["errors"] == [] and result["message"]["deleted"] is True
        entry = audit_entries(message).get()
        assert entry.moderator == actor and entry.subject == member
    history = data_of(gql(HISTORY, {"id": gid(circle)}, user=member), "circle")["chatMessages"]["edges"]
    assert [edge["node"]["body"] for edge in history] == ["第3条"]
    # It is gone: deleting again is not found, and logs nothing more.
    assert delete(gql, host, said[0])["errors"][0]["code"] == "NOT_FOUND"
    assert audit_entries(said[0]).count() == 1


def test_members_authors_outsiders_and_anonymous_cannot_delete(gql):
    member, other = UserFactory(), UserFactory()
    circle = make_circle(members=[member, other], visibility="PRIVATE")
    message = services.send_chat_message(user=member, circle_id=circle.pk, body="别删我")
    assert delete(gql, None, message)["errors"][0]["code"] == "UNAUTHENTICATED"
    for user in (member, other):
        assert delete(gql, user, message)["errors"] == [
            {"field": "messageId", "code": "FORBIDDEN", "message": "只有圈主和副圈主可以删除消息。"}
        ]
    # An outsider of a private circle is not told the message exists; nor is a host of another circle.
    assert delete(gql, UserFactory(), message)["errors"][0]["code"] == "NOT_FOUND"
    assert delete(gql, make_circle().created_by, message)["errors"][0]["code"] == "NOT_FOUND"
    message.refresh_from_db()
    assert message.status == ChatMessage.Status.PUBLISHED and not audit_entries(message).exists()


LIVE = "subscription($circleId: ID!) { chatMessages(circleId: $circleId) { id body deleted } }"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("isolated_channel_layer")
async def test_subscribers_are_told_live_to_remove_a_deleted_message(connect):
    member = await database_sync_to_async(UserFactory)()
    circle = await database_sync_to_async(make_circle)(members=[member])
    host = await database_sync_to_async(lambda: circle.created_by)()
    socket = await connect(member)
    await subscribe(socket, LIVE, {"circleId": gid(circle)}, "c")
    await until_listening(circle_chat_topic(circle.pk))
    message = await database_sync_to_async(services.send_chat_message)(
        user=member, circle_id=circle.pk, body="发错群了"
    )
    arrived = (await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"]
    assert arrived == {"id": gid(message), "body": "发错群了", "deleted": False}
    await database_sync_to_async(services.delete_chat_message)(user=host, message_id=message.pk)
    removed = (await socket.receive_json_from(timeout=TIMEOUT))["payload"]["data"]["chatMessages"]
    assert removed == {"id": gid(message), "body": "", "deleted": True}
