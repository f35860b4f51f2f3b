"""The live circle chat."""

from __future__ import annotations

import graphene
from channels.db import database_sync_to_async

from circles import selectors
from circles.models import Circle
from circles.schema.types import ChatMessageType
from community.graphql.errors import forbidden, not_found, unauthenticated
from community.graphql.ids import decode_argument as _decode
from community.kernel.realtime import circle_access_topic, circle_chat_topic


async def _chat_events(context, listener, circle_id: int, viewer_id: int | None, private: bool):
    """The messages of one circle's chat. The subscription of someone who may no longer read it (a private
    circle's member who leaves, is removed or banned; a non-member when the circle goes private; the socket's
    user muted or deactivated) ends with FORBIDDEN: every access change makes it check again."""
    events = listener.__aiter__()
    try:
        async for payload in events:
            kind = payload.get("kind")
            if kind == "message":
                yield payload
            elif kind == "member_left" and private and viewer_id is not None and payload.get("userId") == viewer_id:
                raise forbidden()
            elif kind == "access":
                viewer = context.current_user()
                if await database_sync_to_async(selectors.chat_subscription_access)(viewer, circle_id) != "ok":
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
        description="Members of the circle only (anyone for a public circle).",
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
        listener = await info.context.listen(circle_chat_topic(pk), circle_access_topic(pk))
        return _chat_events(info.context, listener, pk, viewer.pk if viewer.is_authenticated else None, private)

    @staticmethod
    def resolve_chat_messages(payload, info, circle_id=None):
        return selectors.chat_message_for_delivery(payload)
