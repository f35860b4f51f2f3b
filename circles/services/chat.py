"""Circle chat: sending (held by the word filter when needed) and reviewing held messages."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from circles import selectors
from circles.models import ChatMessage, Circle
from circles.services.common import Status, ensure_not_banned, ensure_not_muted_in, find_membership, require_status
from community.accounts.selectors import blocked_ids
from community.kernel import realtime
from community.kernel.access import require_brand_staff, require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.validation import clean_text
from community.kernel.verbs import Verb
from community.safety import trust, wordfilter
from community.safety.mutes import ensure_not_muted

CHAT_BODY_MAX_LENGTH = 500


def delivery_payload(message: ChatMessage) -> dict:
    """What the chat topic carries for this message (circles.selectors.chat_delivery)."""
    return selectors.chat_delivery(message.pk, message.created_at, message.author_id, blocked_ids(message.author_id))


def send_chat_message(*, user, circle_id: int, body: str, reply_to_id: int | None = None) -> ChatMessage:
    """A member says something in the circle's chat; published live once committed.

    Refused: non-members, banned or muted members, a circle not active, an empty or too long
    message, blocked words, and more than the sender's rate allows (tighter for new accounts).
    A message with words on hold is kept for review and not published until brand staff pass it.
    """
    require_user(user)
    ensure_not_muted(user)  # muted by brand staff: no posts, comments or chat anywhere
    body = clean_text(body, field="body", max_length=CHAT_BODY_MAX_LENGTH, required=True)
    circle = Circle.objects.filter(pk=circle_id).first()
    if circle is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), "circleId")
    require_status(circle, Circle.Status.ACTIVE)
    membership = find_membership(circle.pk, user.pk, lock=False)
    ensure_not_banned(membership)
    if membership is None or membership.status != Status.ACTIVE:
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only members can chat in this circle."))
    ensure_not_muted_in(membership)
    reply_to = None
    if reply_to_id is not None:
        reply_to = ChatMessage.objects.filter(
            pk=reply_to_id, circle=circle, status=ChatMessage.Status.PUBLISHED
        ).first()
        if reply_to is None:
            raise ServiceError(ErrorCode.INVALID, _("The message you reply to is not in this chat."), "replyToId")
    verdict = wordfilter.check(body)
    if verdict.blocked:
        raise ServiceError(ErrorCode.INVALID, _("This contains words that are not allowed."), "body")
    trust.spend(user, "chat")
    with transaction.atomic():
        # Under the membership's lock, so a ban or removal committed meanwhile is seen.
        current = find_membership(circle.pk, user.pk)
        ensure_not_banned(current)
        if current is None or current.status != Status.ACTIVE:
            raise ServiceError(ErrorCode.FORBIDDEN, _("Only members can chat in this circle."))
        message = ChatMessage.objects.create(
            circle=circle,
            author=user,
            body=body,
            reply_to=reply_to,
            status=ChatMessage.Status.PENDING_REVIEW if verdict.held else ChatMessage.Status.PUBLISHED,
        )
        if message.status == ChatMessage.Status.PUBLISHED:
            # Registered before the activity, so after commit the live delivery goes out first and
            # never waits for the activity's consumers (which run inline where Celery is eager).
            realtime.publish(realtime.circle_chat_topic(circle.pk), delivery_payload(message))
        record_activity(
            actor=user,
            verb=Verb.CHAT_MESSAGE_SENT,
            target=message,
            circle_id=circle.pk,
            data={
                "reply_to_author_id": reply_to.author_id if reply_to else None,
                "held": verdict.held,
            },
        )
    return message


def review_chat_message(*, user, message_id: int, publish: bool) -> ChatMessage:
    """Brand staff pass a held message (published live then) or hide a message."""
    require_brand_staff(user)
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Message not found."), "messageId")
        target = ChatMessage.Status.PUBLISHED if publish else ChatMessage.Status.HIDDEN
        if message.status == target:
            return message
        if publish and message.status != ChatMessage.Status.PENDING_REVIEW:
            raise ServiceError(ErrorCode.CONFLICT, _("Only held messages can be passed."), "messageId")
        message.status = target
        message.save(update_fields=["status"])
        record_activity(
            actor=user,
            verb=Verb.CHAT_MESSAGE_REVIEWED,
            target=message,
            circle_id=message.circle_id,
            data={"status": target, "author_id": message.author_id},
        )
        if publish:
            realtime.publish(realtime.circle_chat_topic(message.circle_id), delivery_payload(message))
    return message


def deletion_payload(message: ChatMessage) -> dict:
    """What the chat topic carries when a message is deleted: subscribers drop it from their view."""
    return {"kind": "message_deleted", "id": message.pk, "at": message.created_at.isoformat()}


def delete_chat_message(*, user, message_id: int) -> ChatMessage:
    """A host or co-host of the circle (or brand staff) deletes a chat message.

    Kept, marked DELETED (gone from the history for everyone); the audit log records who did it
    (moderation, from the activity); subscribers are told live, after commit, to remove it.
    """
    require_user(user)
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or not selectors.visible_chat_messages(user).filter(pk=message.pk).exists():
            raise ServiceError(ErrorCode.NOT_FOUND, _("Message not found."), "messageId")
        if not selectors.moderates(user, message.circle_id):
            raise ServiceError(
                ErrorCode.FORBIDDEN, _("Only the circle's hosts and co-hosts can delete messages."), "messageId"
            )
        if message.status == ChatMessage.Status.DELETED:
            return message
        was_published = message.status == ChatMessage.Status.PUBLISHED
        message.status = ChatMessage.Status.DELETED
        message.save(update_fields=["status"])
        if was_published:
            realtime.publish(realtime.circle_chat_topic(message.circle_id), deletion_payload(message))
        record_activity(
            actor=message.author,
            verb=Verb.CHAT_MESSAGE_DELETED,
            target=message,
            circle_id=message.circle_id,
            data={"by": user.pk},
        )
    return message
