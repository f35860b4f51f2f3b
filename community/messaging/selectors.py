"""Reads of private messages: only ever the viewer's own conversations, and in them what they may see."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

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


def listed_conversations(viewer) -> QuerySet[Conversation]:
    """The viewer's conversations, each annotated with `unread` (published messages from the other side
    past what the viewer read); their last messages come from `last_messages`, in one query a page."""
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
        Conversation.objects.filter(participates(viewer))
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


def conversation_with(viewer, other_id: int) -> Conversation | None:
    if not _signed_in(viewer) or other_id == viewer.pk:
        return None
    low, high = pair(viewer.pk, other_id)
    return listed_conversations(viewer).filter(user_low_id=low, user_high_id=high).first()


def visible_messages(viewer) -> QuerySet[DirectMessage]:
    """Messages of the viewer's conversations: published ones, and their own held ones. Nobody else's."""
    if not _signed_in(viewer):
        return DirectMessage.objects.none()
    mine = Q(conversation__user_low_id=viewer.pk) | Q(conversation__user_high_id=viewer.pk)
    shown = Q(status=ContentStatus.PUBLISHED) | Q(status=ContentStatus.PENDING_REVIEW, sender_id=viewer.pk)
    return DirectMessage.objects.filter(mine, shown)


def messages_of(viewer, conversation: Conversation) -> QuerySet[DirectMessage]:
    return visible_messages(viewer).filter(conversation=conversation).select_related("sender")


def last_messages(viewer, conversation_ids: list[int]) -> dict[int, DirectMessage]:
    """The newest message the viewer may see in each conversation, in one query."""
    newest = (
        visible_messages(viewer)
        .filter(conversation_id=OuterRef("conversation_id"))
        .order_by(*MESSAGE_ORDERING)
        .values("pk")[:1]
    )
    rows = visible_messages(viewer).filter(conversation_id__in=conversation_ids, pk=Subquery(newest))
    return {message.conversation_id: message for message in rows.select_related("sender")}


def message_context(message: DirectMessage, around: int = 5) -> list[DirectMessage]:
    """A reported message with the few published messages before and after it, oldest first: what brand
    staff read to judge it (never the whole conversation)."""
    published = DirectMessage.objects.filter(conversation_id=message.conversation_id).filter(
        Q(status=ContentStatus.PUBLISHED) | Q(pk=message.pk)
    )
    before = published.filter(pk__lt=message.pk).order_by("-pk")[:around]
    after = published.filter(pk__gt=message.pk).order_by("pk")[:around]
    return [*reversed(list(before.select_related("sender"))), message, *after.select_related("sender")]


def message_for_delivery(viewer_id: int, payload: dict) -> DirectMessage | None:
    """The message a `directMessages` event names, if the viewer takes part in its conversation."""
    message = DirectMessage.objects.select_related("sender", "conversation").filter(pk=int(payload["id"])).first()
    if message is None or not message.conversation.has(viewer_id):
        return None
    return message
