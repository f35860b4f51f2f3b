"""The messaging app's part of the owner's personal data: the private messages they sent and received,
in the export, and the erasure of the ones they wrote."""

from django.db.models import Q

from community.accounts.deletion import erasure_step
from community.accounts.export import Archive, export_section
from community.kernel.statuses import ContentStatus
from community.messaging.models import Conversation, DirectMessage
from community.models import User


@export_section("direct_messages")
def direct_messages(user: User, archive: Archive) -> list:
    """Both sides of each of the owner's conversations: the owner's data includes what was written to them."""
    conversations = Conversation.objects.filter(Q(user_low=user) | Q(user_high=user))
    rows = (
        DirectMessage.objects.filter(conversation__in=conversations)
        .select_related("sender")
        .order_by("conversation_id", "created_at", "id")
    )
    return [
        {
            "conversation": m.conversation_id,
            "from": "me" if m.sender_id == user.pk else m.sender.nickname,
            "body": m.body,
            "status": m.status,
            "sent_at": m.created_at.isoformat(),
        }
        for m in rows
    ]


@erasure_step
def erase_direct_messages(user: User) -> None:
    """The messages the owner wrote are emptied and marked deleted: the other side's conversation keeps its
    order and unread counts, without the erased owner's words."""
    DirectMessage.objects.filter(sender=user).update(body="", held_reason="", status=ContentStatus.DELETED)
