"""The circles app's part of the owner's personal data: export sections (chat messages, memberships) and erasure."""

from circles.models import ChatMessage, Membership
from circles.services.memberships import leave_circle
from community.accounts.deletion import erasure_step
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


@erasure_step
def erase_chat_and_leave_circles(user: User) -> None:
    """Chat messages are emptied (replies to them keep their place); the user leaves every circle, so
    member counts stay exact and a host is succeeded as when a host leaves."""
    ChatMessage.objects.filter(author=user).update(body="", status=ChatMessage.Status.DELETED)
    live = Membership.objects.filter(user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING])
    for circle_id in list(live.values_list("circle_id", flat=True)):
        leave_circle(user=user, circle_id=circle_id)
