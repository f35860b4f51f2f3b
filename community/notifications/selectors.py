"""Reads of a user's notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import Notification, User


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_for(user: User, notification_id: int) -> Notification | None:
    return Notification.objects.select_related("actor").filter(pk=notification_id, recipient=user).first()


REPLAY_LIMIT = 200  # notifications per replay page
REPLAY_PAGES = 10  # pages a resumed subscription replays at most


def latest_notification_id(user: User) -> int:
    return Notification.objects.filter(recipient=user).order_by("-id").values_list("id", flat=True).first() or 0


def notification_ids_after(user: User, after_id: int, limit: int = REPLAY_LIMIT) -> list[int]:
    """The user's notifications after `after_id`, oldest first (what a resumed subscription replays)."""
    rows = Notification.objects.filter(recipient=user, id__gt=after_id).order_by("id").values_list("id", flat=True)
    return list(rows[:limit])


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
