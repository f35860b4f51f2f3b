"""Reads of private messages: only ever the viewer's own conversations, and in them what they may see."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from community.accounts.selectors import without_blocked
from community.kernel.statuses import ContentStatus
from community.messaging.models import Conversation, DirectMessage

CONVERSATION_ORDERING = ("-last_message_at", "-id")
MESSAGE_ORDERING = ("-created_at", "-id")


def pair(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def participates(viewer) -> Q:
    return Q(user_low_id=viewer.pk) | Q(user_high_id=viewer.pk)


def _without_blocked_pairs(queryset: QuerySet, viewer, prefix: str = "") -> QuerySet:
    """Conversations (or their messages, through `prefix`) with someone blocked either way left out: they
    come back on unblocking, since nothing is deleted. The viewer is one of the two, never blocked by
    themselves, so leaving out both participants' blocked people leaves out exactly the other's."""
    queryset = without_blocked(queryset, viewer, f"{prefix}user_low_id")
    return without_blocked(queryset, viewer, f"{prefix}user_high_id")


def listed_conversations(viewer) -> QuerySet[Conversation]:
    """The viewer's conversations, each annotated with `unread` (published messages from the other side
    past what the viewer read); their last messages come from `last_messages`, in one query a page.
    A conversation with someone blocked either way is not listed (nor found, nor counted as unread)."""
    if not _signed_in(viewer):
        return Conversation.objects.none()
    read_up_to = Case(
        When(user_low_id=viewer.pk, then=F("low_read_up_to")), default=F("high_read_up_to"), output_field=IntegerField()
    )
    unread = (
        DirectMessage.objects.filter(conversation=OuterRef("pk"), status=ContentStatus.PUBLISHED)
        .exclude(sender_id=viewer.pk)
        .filter(pk__gt=OuterRef("viewer_read_up_to"))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _without_blocked_pairs(Conversation.objects.filter(participates(viewer)), viewer)
        .select_related("user_low", "user_high")
        .annotate(viewer_read_up_to=read_up_to)
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
    )


def conversations_of(viewer) -> QuerySet[Conversation]:
    """`listed_conversations` without the requests the viewer declined."""
    if not _signed_in(viewer):
        return Conversation.objects.none()
    declined_by_viewer = Q(status=Conversation.Status.DECLINED) & ~Q(requested_by_id=viewer.pk)
    return listed_conversations(viewer).exclude(declined_by_viewer)


def unread_message_count(viewer) -> int:
    """Unread messages over all the viewer's listed conversations (the badge), in one query."""
    if not _signed_in(viewer):
        return 0
    return conversations_of(viewer).aggregate(total=Coalesce(Sum("unread"), Value(0)))["total"]


def conversation_with(viewer, other_id: int) -> Conversation | None:
    if not _signed_in(viewer) or other_id == viewer.pk:
        return None
    low, high = pair(viewer.pk, other_id)
    return listed_conversations(viewer).filter(user_low_id=low, user_high_id=high).first()


def visible_messages(viewer) -> QuerySet[DirectMessage]:
    """Messages of the viewer's conversations: published ones, and their own held ones. Nobody else's,
    and none of a conversation with someone blocked either way."""
    if not _signed_in(viewer):
        return DirectMessage.objects.none()
    mine = Q(conversation__user_low_id=viewer.pk) | Q(conversation__user_high_id=viewer.pk)
    shown = Q(status=ContentStatus.PUBLISHED) | Q(status=ContentStatus.PENDING_REVIEW, sender_id=viewer.pk)
    return _without_blocked_pairs(DirectMessage.objects.filter(mine, shown), viewer, "conversation__")


def messages_of(viewer, conversation: Conversation) -> QuerySet[DirectMessage]:
    return (
        visible_messages(viewer)
        .filter(conversation=conversation)
        .select_related("sender", "conversation__user_low", "conversation__user_high")
    )


def last_messages(viewer, conversation_ids: list[int]) -> dict[int, DirectMessage]:
    """The newest message the viewer may see in each conversation, in one query."""
    newest = (
        visible_messages(viewer)
        .filter(conversation_id=OuterRef("conversation_id"))
        .order_by(*MESSAGE_ORDERING)
        .values("pk")[:1]
    )
    rows = visible_messages(viewer).filter(conversation_id__in=conversation_ids, pk=Subquery(newest))
    rows = rows.select_related("sender", "conversation__user_low", "conversation__user_high")
    return {message.conversation_id: message for message in rows}


def message_context(message: DirectMessage, around: int = 5) -> list[DirectMessage]:
    """A reported message with the few published messages before and after it, oldest first: what brand
    staff read to judge it (never the whole conversation)."""
    published = DirectMessage.objects.filter(conversation_id=message.conversation_id).filter(
        Q(status=ContentStatus.PUBLISHED) | Q(pk=message.pk)
    )
    before = published.filter(pk__lt=message.pk).order_by("-pk")[:around]
    after = published.filter(pk__gt=message.pk).order_by("pk")[:around]
    return [*reversed(list(before.select_related("sender"))), message, *after.select_related("sender")]


def held_messages() -> QuerySet[DirectMessage]:
    """Messages the word filter holds for brand staff, with their sender and both participants fetched."""
    return DirectMessage.objects.filter(status=ContentStatus.PENDING_REVIEW).select_related(
        "sender", "conversation__user_low", "conversation__user_high"
    )


def message_contexts(message_ids: list[int], around: int = 5) -> dict[int, list[DirectMessage]]:
    """`message_context` for a page of messages in two queries: each message with the ids of the
    `around`-th published message before and after it, then every row between those bounds. The
    moderation queue shows each held message with the few around it."""
    published = DirectMessage.objects.filter(
        conversation_id=OuterRef("conversation_id"), status=ContentStatus.PUBLISHED
    )

    def bound(newer: bool):
        side = published.filter(pk__gt=OuterRef("pk")) if newer else published.filter(pk__lt=OuterRef("pk"))
        return Subquery(side.order_by("pk" if newer else "-pk").values("pk")[around - 1 : around])

    messages = list(DirectMessage.objects.filter(pk__in=message_ids).annotate(lowest=bound(False), highest=bound(True)))
    if not messages:
        return {}
    spans = Q()
    for message in messages:
        span = Q(conversation_id=message.conversation_id, pk__gte=message.lowest or 0)
        spans |= span & Q(pk__lte=message.highest) if message.highest else span
    shown = Q(status=ContentStatus.PUBLISHED) | Q(pk__in=[message.pk for message in messages])
    rows = list(
        DirectMessage.objects.filter(spans, shown)
        .select_related("sender", "conversation__user_low", "conversation__user_high")
        .order_by("pk")
    )
    found = {}
    for message in messages:
        found[message.pk] = [
            row
            for row in rows
            if row.conversation_id == message.conversation_id
            and (message.lowest or 0) <= row.pk <= (message.highest or row.pk)
            and (row.status == ContentStatus.PUBLISHED or row.pk == message.pk)
        ]
    return found


def message_for_delivery(viewer_id: int, payload: dict) -> DirectMessage | None:
    """The message a `directMessages` event names, if the viewer takes part in its conversation."""
    message = (
        DirectMessage.objects.select_related("sender", "conversation__user_low", "conversation__user_high")
        .filter(pk=int(payload["id"]))
        .first()
    )
    if message is None or not message.conversation.has(viewer_id):
        return None
    return message
