"""Every write about private messages: sending, answering a message request, marking read.

Who may write at once is `permissions.may_write_at_once`; anyone else's first message opens a
request that the recipient accepts or declines, and nothing more can be sent until it is accepted.
Blocking, moderation mutes, the word filter and the new-user sandbox apply as everywhere else.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.accounts.services import ensure_not_blocked
from community.kernel import realtime
from community.kernel.access import require_brand_staff, require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.statuses import ContentStatus
from community.kernel.validation import clean_text
from community.kernel.verbs import Verb
from community.messaging import permissions, selectors
from community.messaging.models import Conversation, DirectMessage
from community.models import User
from community.safety import trust, wordfilter
from community.safety.mutes import ensure_not_muted

MESSAGE_MAX_LENGTH = 1000
Status = Conversation.Status


def delivery_payload(message: DirectMessage) -> dict:
    """What the `directMessages` topic carries: enough to find the message again."""
    return {"kind": "message", "id": message.pk, "conversationId": message.conversation_id}


def _recipient(user, recipient_id: int) -> User:
    if recipient_id == user.pk:
        raise ServiceError(ErrorCode.INVALID, _("You cannot write to yourself."), "userId")
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("User not found."), "userId")
    return recipient


def _locked_conversation(a_id: int, b_id: int) -> tuple[Conversation, bool]:
    """The pair's conversation under its row lock, created when missing (a concurrent creation wins)."""
    low, high = selectors.pair(a_id, b_id)
    found = Conversation.objects.select_for_update().filter(user_low_id=low, user_high_id=high).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return Conversation.objects.create(user_low_id=low, user_high_id=high), True
    except IntegrityError:
        return Conversation.objects.select_for_update().get(user_low_id=low, user_high_id=high), False


def send_direct_message(*, user, recipient_id: int, body: str) -> DirectMessage:
    """Write to someone: at once when allowed, else as a message request; published live after commit."""
    require_user(user)
    ensure_not_muted(user)
    recipient = _recipient(user, recipient_id)
    ensure_not_blocked(user.pk, recipient.pk, "userId")
    body = clean_text(body, field="body", max_length=MESSAGE_MAX_LENGTH, required=True)
    verdict = wordfilter.check(body)
    if verdict.blocked:
        raise ServiceError(ErrorCode.INVALID, _("This contains words that are not allowed."), "body")
    at_once = permissions.may_write_at_once(user.pk, recipient.pk)
    low, high = selectors.pair(user.pk, recipient.pk)
    existing = Conversation.objects.filter(user_low_id=low, user_high_id=high).first()
    if existing is None:
        trust.spend(user, "dm_new")  # the sandbox: a new account opens few conversations a day
    trust.spend(user, "dm")
    with transaction.atomic():
        conversation, created = _locked_conversation(user.pk, recipient.pk)
        ensure_not_blocked(user.pk, recipient.pk, "userId")  # under the lock: a block made meanwhile wins
        first = created or not conversation.messages.exists()
        _admit(conversation, user, at_once=at_once, first=first)
        previous = conversation.messages.filter(status=ContentStatus.PUBLISHED).order_by("-created_at", "-id").first()
        message = DirectMessage.objects.create(
            conversation=conversation,
            sender=user,
            body=body,
            status=ContentStatus.PENDING_REVIEW if verdict.held else ContentStatus.PUBLISHED,
            held_reason=("words: " + ", ".join(verdict.words))[:200] if verdict.held else "",
        )
        read_field = "low_read_up_to" if user.pk == conversation.user_low_id else "high_read_up_to"
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=message.created_at, **{read_field: message.pk}
        )
        if message.status == ContentStatus.PUBLISHED:
            for participant in (user.pk, recipient.pk):
                realtime.publish(realtime.user_direct_messages_topic(participant), delivery_payload(message))
        replying = previous is not None and previous.sender_id == recipient.pk
        record_activity(
            actor=user,
            verb=Verb.DIRECT_MESSAGE_SENT,
            target=message,
            data={
                "recipient_id": recipient.pk,
                "first": first,
                "request": conversation.status == Status.REQUESTED,
                "held": verdict.held,
                # Answering the other's last message: ties count it as a chat reply.
                "reply_to_author_id": recipient.pk if replying and not verdict.held else None,
            },
        )
    return message


def _admit(conversation: Conversation, user, *, at_once: bool, first: bool) -> None:
    """Open, keep or refuse the conversation for `user`'s next message (under its row lock)."""
    if conversation.status == Status.ACTIVE and not first:
        return
    if first and conversation.status == Status.ACTIVE:
        if not at_once:
            conversation.status, conversation.requested_by = Status.REQUESTED, user
            conversation.save(update_fields=["status", "requested_by"])
        return
    if at_once or conversation.requested_by_id != user.pk:
        # Now allowed to write at once, or the recipient of the request answers: the request is accepted.
        conversation.status = Status.ACTIVE
        conversation.save(update_fields=["status"])
        return
    if conversation.status == Status.REQUESTED:
        raise ServiceError(ErrorCode.CONFLICT, _("Your message request has not been accepted yet."), "userId")
    raise ServiceError(ErrorCode.FORBIDDEN, _("This person does not accept your messages."), "userId")


def respond_to_message_request(*, user, requester_id: int, accept: bool) -> Conversation:
    """The recipient of a message request accepts it (both may write) or declines it (nothing more comes)."""
    require_user(user)
    with transaction.atomic():
        low, high = selectors.pair(user.pk, requester_id)
        conversation = Conversation.objects.select_for_update().filter(user_low_id=low, user_high_id=high).first()
        if conversation is None or conversation.status == Status.ACTIVE or conversation.requested_by_id == user.pk:
            raise ServiceError(ErrorCode.NOT_FOUND, _("No message request from this person."), "userId")
        if accept:
            ensure_not_blocked(user.pk, requester_id, "userId")
        target = Status.ACTIVE if accept else Status.DECLINED
        if conversation.status != target:
            conversation.status = target
            conversation.save(update_fields=["status"])
            record_activity(
                actor=user,
                verb=Verb.MESSAGE_REQUEST_ANSWERED,
                target=conversation,
                data={"requester_id": requester_id, "accepted": accept},
            )
    return conversation


def mark_conversation_read(*, user, other_id: int) -> Conversation:
    """Everything in the conversation with `other_id` up to now counts as read by `user`."""
    require_user(user)
    conversation = selectors.conversation_with(user, other_id)
    if conversation is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Conversation not found."), "userId")
    newest = conversation.messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    field = "low_read_up_to" if user.pk == conversation.user_low_id else "high_read_up_to"
    # Never backwards: a late request cannot unread what a newer one read.
    Conversation.objects.filter(pk=conversation.pk, **{f"{field}__lt": newest}).update(**{field: newest})
    conversation.refresh_from_db()
    return conversation


def review_direct_message(*, user, message_id: int, publish: bool) -> DirectMessage:
    """Brand staff pass a message held by the word filter (delivered then) or hide it."""
    require_brand_staff(user)
    with transaction.atomic():
        message = DirectMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Message not found."), "messageId")
        if message.status != ContentStatus.PENDING_REVIEW:
            raise ServiceError(ErrorCode.CONFLICT, _("Only held messages can be passed."), "messageId")
        message.status = ContentStatus.PUBLISHED if publish else ContentStatus.HIDDEN
        message.held_reason = ""
        message.save(update_fields=["status", "held_reason"])
        if publish:
            conversation = message.conversation
            for participant in (conversation.user_low_id, conversation.user_high_id):
                realtime.publish(realtime.user_direct_messages_topic(participant), delivery_payload(message))
        record_activity(
            actor=user,
            verb=Verb.DIRECT_MESSAGE_REVIEWED,
            target=message,
            data={"status": message.status, "sender_id": message.sender_id, "at": timezone.now().isoformat()},
        )
    return message
