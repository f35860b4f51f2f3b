"""The circles app's sections of the owner's data export: circle chat messages and memberships."""

from circles.models import ChatMessage, Membership
from community.accounts.export import Archive, export_section
from community.models import User


@export_section("chat_messages")
def chat_messages(user: User, archive: Archive) -> list:
    rows = ChatMessage.objects.filter(author=user).select_related("circle").order_by("created_at", "id")
    return [
        {"circle": m.circle.name, "body": m.body, "status": m.status, "sent_at": m.created_at.isoformat()} for m in rows
    ]


@export_section("circle_memberships")
def memberships(user: User, archive: Archive) -> list:
    rows = Membership.objects.filter(user=user).select_related("circle").order_by("id")
    return [{"circle": m.circle.name, "role": m.role, "status": m.status} for m in rows]
