"""Reminders before an event, sent once per sign-up and kind."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from community.kernel.verbs import NotificationVerb
from community.notifications.services import notify
from events.models import Reminder, Signup
from events.services.common import EventStatus, SignupStatus

REMINDERS = (
    # kind, sent when the start is at most `upper` and more than `lower` away
    (Reminder.Kind.DAY_BEFORE, timedelta(hours=2), timedelta(hours=24)),
    (Reminder.Kind.TWO_HOURS, timedelta(0), timedelta(hours=2)),
)


def _remind(signup: Signup, kind: str, now: datetime) -> bool:
    """Claim the (signup, kind) row and notify in one transaction: True if this call sent it. A second
    run, even a concurrent one, hits the unique row (waiting for the first to commit) and sends nothing."""
    event = signup.event
    try:
        with transaction.atomic():
            Reminder.objects.create(signup=signup, kind=kind, sent_at=now)
            notify(
                recipient_id=signup.user_id,
                verb=NotificationVerb.EVENT_REMINDER,
                target=event,
                data={
                    "event_title": event.title,
                    "starts_at": event.starts_at.isoformat(),
                    "hours": 24 if kind == Reminder.Kind.DAY_BEFORE else 2,
                },
            )
    except IntegrityError:
        return False
    return True


def send_due_reminders(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Remind confirmed sign-ups 24 hours and 2 hours before their event starts; once each."""
    now = now or timezone.now()
    sent = 0
    for kind, lower, upper in REMINDERS:
        due = (
            Signup.objects.filter(
                status=SignupStatus.CONFIRMED,
                event__status=EventStatus.PUBLISHED,
                event__starts_at__gt=now + lower,
                event__starts_at__lte=now + upper,
            )
            .exclude(reminders__kind=kind)
            .select_related("event")
            .order_by("id")[:limit]
        )
        for signup in due:
            sent += _remind(signup, kind, now)
    return sent
