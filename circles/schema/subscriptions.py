"""The live circle chat."""

from __future__ import annotations

import graphene
from channels.db import database_sync_to_async

from circles import selectors
from circles.models import Circle
from circles.schema.types import ChatMessageType
from community.accounts.selectors import is_blocked_between
from community.graphql.errors import forbidden, not_found, unauthenticated
from community.graphql.ids import decode_argument as _decode
from community.kernel.realtime import circle_chat_topic


async def _hidden_from(viewer_id: int | None, author_id: int | None) -> bool:
    """Whether the viewer and the message's author are blocked either way (asked per message: exact)."""
    if viewer_id is None or author_id is None or author_id == viewer_id:
        return False
    return await database_sync_to_async(is_blocked_between)(viewer_id, author_id)


async def _chat_events(listener, viewer_id: int | None, private: bool):
    """The messages of one circle's chat. On a private circle, the subscription of someone who stops
    being a member (leaves, is removed or banned) ends with FORBIDDEN."""
    events = listener.__aiter__()
    try:
        async for payload in events:
            kind = payload.get("kind")
            if kind == "message_deleted":
                yield payload
            elif kind == "message":
                # Per viewer and exact: a block made while subscribed takes effect at the next message.
                if not await _hidden_from(viewer_id, payload.get("authorId")):
                    yield payload
            elif kind == "member_left" and private and viewer_id is not None and payload.get("userId") == viewer_id:
                raise forbidden()
    finally:
        await events.aclose()


def _chat_access(viewer, circle_id: int) -> tuple[str, bool]:
    access = selectors.chat_subscription_access(viewer, circle_id)
    private = Circle.objects.filter(pk=circle_id, visibility=Circle.Visibility.PRIVATE).exists()
    return access, private


class CirclesSubscription(graphene.ObjectType):
    chat_messages = graphene.Field(
        graphene.NonNull(ChatMessageType),
        circle_id=graphene.ID(required=True),
        description="Members of the circle only (anyone for a public circle). A message a host deleted comes "
        "again with `deleted: true`: remove it.",
    )

    @staticmethod
    async def subscribe_chat_messages(root, info, circle_id):
        viewer = info.context.user
        pk = _decode(circle_id, "Circle", "circleId")
        access, private = await database_sync_to_async(_chat_access)(viewer, pk)
        if access == "not_found":
            raise not_found()
        if access == "forbidden":
            raise forbidden() if viewer.is_authenticated else unauthenticated()
        # Joined before returning, so nothing published after the subscribe message is missed.
        listener = await info.context.listen(circle_chat_topic(pk))
        return _chat_events(listener, viewer.pk if viewer.is_authenticated else None, private)

    @staticmethod
    def resolve_chat_messages(payload, info, circle_id=None):
        if payload.get("kind") == "message_deleted":
            return selectors.deleted_chat_message_for_delivery(payload)
        return selectors.chat_message_for_delivery(payload)
