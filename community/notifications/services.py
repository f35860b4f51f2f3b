"""Every write about notifications: creating one (once per activity) and marking them read."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel import realtime
from community.kernel.access import require_user
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb
from community.models import Notification, User
from community.notifications import preferences


def notify(
    *,
    recipient_id: int,
    verb: NotificationVerb,
    actor: User | None = None,
    target: Model | None = None,
    activity: Activity | None = None,
    data: dict | None = None,
) -> Notification | None:
    """Create a notification and push it live, as the recipient's preferences allow (a kind switched off
    for the inbox creates nothing; switched off for push, or in quiet hours, it is not pushed); a
    redelivered activity creates nothing new."""
    if actor is not None and actor.pk == recipient_id:
        return None
    wanted = preferences.preferences_of(recipient_id)
    if not wanted.wants_inbox(verb):
        return None
    fields = {
        "recipient_id": recipient_id,
        "verb": verb,
        "actor": actor,
        "target_type": ContentType.objects.get_for_model(target) if target is not None else None,
        "target_id": target.pk if target is not None else None,
        "data": data or {},
    }
    with transaction.atomic():
        if activity is not None:
            # Written first, looked up only when the unique (activity, recipient, verb) refuses it: a
            # redelivered activity is the rare case, and a fresh one then costs one statement, not two.
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(activity=activity, **fields)
            except IntegrityError:
                return Notification.objects.get(activity=activity, recipient_id=recipient_id, verb=verb)
        else:
            notification = Notification.objects.create(**fields)
        if wanted.wants_push(verb):
            realtime.publish(realtime.user_notifications_topic(recipient_id), {"id": notification.pk})
    return notification


_ACTOR = object()


def notify_of(
    activity: Activity,
    recipient_ids: Iterable[int],
    verb: NotificationVerb,
    *,
    target: Model | None = None,
    data: dict | None = None,
    actor: User | None = _ACTOR,  # type: ignore[assignment]
) -> None:
    """What every consumer does: each recipient hears of `activity` (by `notify`, once per activity and
    recipient), its actor acting unless `actor` names another (or None)."""
    for recipient_id in recipient_ids:
        notify(
            recipient_id=recipient_id,
            verb=verb,
            actor=activity.actor if actor is _ACTOR else actor,
            target=target,
            activity=activity,
            data=data,
        )


def mark_notifications_read(*, user, ids: list[int] | None = None, all: bool = False) -> int:
    """Mark the given (or all) of the user's notifications read; returns the unread count left."""
    require_user(user)
    if not all and not ids:
        raise ServiceError(ErrorCode.INVALID, _("Give the notifications to mark, or all."), "ids")
    if ids is not None and len(ids) > 500:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d at a time.") % {"max": 500}, "ids")
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    with transaction.atomic():
        (unread if all else unread.filter(pk__in=ids)).update(read_at=timezone.now())
    return unread.count()
