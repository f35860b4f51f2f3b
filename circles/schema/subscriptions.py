"""The live circle chat."""

from __future__ import annotations

from collections import deque

import graphene
from channels.db import database_sync_to_async

from circles import selectors
from circles.models import Circle
from circles.schema.types import ChatMessageType
from community.graphql.errors import forbidden, not_found, unauthenticated
from community.graphql.ids import decode_argument as _decode
from community.kernel.realtime import circle_access_topic, circle_chat_topic

SEEN_MEMORY = 500  # message ids remembered per subscription, so a replay and the live stream never repeat one


class _Delivered:
    """The message ids a subscription delivered (the last SEEN_MEMORY of them) and the highest: its cursor.
    Ids at or below `floor` the client said it has (its resume cursor)."""

    def __init__(self, cursor: int, floor: int) -> None:
        self.cursor = cursor
        self.floor = floor
        self.ids: set[int] = set()
        self.order: deque[int] = deque()

    def first_time(self, message_id: int) -> bool:
        if message_id in self.ids or message_id <= self.floor:
            return False
        self.ids.add(message_id)
        self.order.append(message_id)
        if len(self.order) > SEEN_MEMORY:
            self.ids.discard(self.order.popleft())
        self.cursor = max(self.cursor, message_id)
        return True


def _hidden_from(viewer_id: int | None, payload: dict) -> bool:
    """Whether the viewer and the message's author are blocked either way, from the list every delivery
    carries (read when it was published or replayed: circles.selectors.chat_delivery)."""
    return viewer_id is not None and viewer_id in payload.get("hiddenFrom", ())


async def _chat_events(context, listener, circle_id: int, viewer_id: int | None, private: bool, start: int, after):
    """The messages of one circle's chat, live, after those since `after` (the client's resume cursor) replayed
    from the database. When the channel layer comes back from an outage ("resume"), what was published
    meanwhile is replayed the same way: no gaps, no duplicates. The subscription of someone who may no longer
    read (a private circle's member who leaves, is removed or banned; a non-member when the circle goes
    private; the socket's user muted or deactivated) ends with FORBIDDEN: every access change checks again."""
    delivered = _Delivered(cursor=after if after is not None else start, floor=after or 0)
    events = listener.__aiter__()

    async def check() -> None:
        viewer = context.current_user()
        if await database_sync_to_async(selectors.chat_subscription_access)(viewer, circle_id) != "ok":
            raise forbidden()

    async def missed() -> list[dict]:
        # Page by page: a long outage under a busy chat leaves more than one page to catch up on.
        found: list[dict] = []
        cursor = delivered.cursor
        for _page in range(selectors.REPLAY_PAGES):
            page = await database_sync_to_async(selectors.chat_deliveries_after)(circle_id, cursor)
            fresh = [payload for payload in page if delivered.first_time(payload["id"])]
            found += [payload for payload in fresh if not _hidden_from(viewer_id, payload)]
            if len(page) < selectors.REPLAY_LIMIT:
                break
            cursor = page[-1]["id"]
        return found

    try:
        if after is not None and after < start:
            for payload in await missed():
                yield payload
        async for payload in events:
            kind = payload.get("kind")
            if kind == "message_deleted":
                yield payload
            elif kind == "message":
                # Per viewer and exact: a block made while subscribed takes effect at the next message.
                if delivered.first_time(int(payload["id"])) and not _hidden_from(viewer_id, payload):
                    yield payload
            elif kind == "member_left" and private and viewer_id is not None and payload.get("userId") == viewer_id:
                raise forbidden()
            elif kind == "access":
                await check()
            elif kind == "resume":  # access may have changed while the layer was away, unheard
                await check()
                for missed_payload in await missed():
                    yield missed_payload
    finally:
        await events.aclose()


def _chat_access(viewer, circle_id: int) -> tuple[str, bool, int]:
    access = selectors.chat_subscription_access(viewer, circle_id)
    private = Circle.objects.filter(pk=circle_id, visibility=Circle.Visibility.PRIVATE).exists()
    return access, private, selectors.latest_chat_message_id(circle_id)


class CirclesSubscription(graphene.ObjectType):
    chat_messages = graphene.Field(
        graphene.NonNull(ChatMessageType),
        circle_id=graphene.ID(required=True),
        after=graphene.ID(
            description="Resume after this message (the last one the client saw): what came after it is sent "
            "first, from the database, then the live ones, with no gap and no repeat."
        ),
        description="Members of the circle only (anyone for a public circle). A message a host deleted comes "
        "again with `deleted: true`: remove it.",
    )

    @staticmethod
    async def subscribe_chat_messages(root, info, circle_id, after=None):
        viewer = info.context.user
        pk = _decode(circle_id, "Circle", "circleId")
        after_pk = _decode(after, "ChatMessage", "after") if after is not None else None
        # Joined before reading where the chat stands, so nothing published after the subscribe message is missed.
        listener = await info.context.listen(circle_chat_topic(pk), circle_access_topic(pk))
        try:
            access, private, start = await database_sync_to_async(_chat_access)(viewer, pk)
            if access == "not_found":
                raise not_found()
            if access == "forbidden":
                raise forbidden() if viewer.is_authenticated else unauthenticated()
        except BaseException:
            await listener.leave()
            raise
        viewer_id = viewer.pk if viewer.is_authenticated else None
        return _chat_events(info.context, listener, pk, viewer_id, private, start, after_pk)

    @staticmethod
    def resolve_chat_messages(payload, info, circle_id=None, after=None):
        if payload.get("kind") == "message_deleted":
            return selectors.deleted_chat_message_for_delivery(payload)
        return selectors.chat_message_for_delivery(payload)
