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


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
