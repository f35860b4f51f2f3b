"""The events app's part of the owner's personal data: sign-ups in the export.

Sign-ups stay at erasure: they hold no personal text and keep the seat counts exact.
"""

from community.accounts.export import Archive, export_section
from community.models import User
from events.models import Signup


@export_section("signups")
def signups(user: User, archive: Archive) -> list:
    rows = Signup.objects.filter(user=user).select_related("event").order_by("created_at", "id")
    return [
        {
            "event": s.event.title,
            "starts_at": s.event.starts_at.isoformat(),
            "status": s.status,
            "guests": s.guests,
            "signed_up_at": s.created_at.isoformat(),
            "checked_in_at": s.checked_in_at.isoformat() if s.checked_in_at else None,
        }
        for s in rows
    ]
