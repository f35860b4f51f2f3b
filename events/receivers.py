"""Consumers of the activity stream that belong to events: the notifications an event sends.

They run after commit (in Celery where it runs) and are idempotent: `notify` creates one notification
per activity and recipient, so a redelivered activity notifies nobody twice.
"""

from __future__ import annotations

from circles.models import Membership
from community.kernel.activity import on_activity
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.notifications.services import notify_of
from events.models import Event, Signup


def _event(activity: Activity) -> Event | None:
    return Event.objects.filter(pk=activity.target_id).first()


@on_activity(Verb.EVENT_PUBLISHED)
def notify_event_published(activity: Activity) -> None:
    """The members of the event's circle hear of a new event (brand events outside circles notify nobody:
    owners are not to be over-disturbed)."""
    event = _event(activity)
    if event is None or event.circle_id is None or event.status != Event.Status.PUBLISHED:
        return
    members = Membership.objects.filter(circle_id=event.circle_id, status=Membership.Status.ACTIVE).exclude(
        user_id=activity.actor_id
    )
    notify_of(
        activity,
        members.values_list("user_id", flat=True).iterator(),
        NotificationVerb.EVENT_PUBLISHED,
        target=event,
        data={"event_title": event.title, "starts_at": event.starts_at.isoformat()},
    )


@on_activity(Verb.EVENT_CANCELLED)
def notify_event_cancelled(activity: Activity) -> None:
    """Everyone whose sign-up the cancellation ended (confirmed and waitlisted alike)."""
    event = _event(activity)
    if event is None:
        return
    signed_up = Signup.objects.filter(
        event=event, status=Signup.Status.CANCELLED, cancelled_by=Signup.CancelledBy.EVENT
    )
    reason = (activity.data or {}).get("reason") or ""
    notify_of(
        activity,
        signed_up.values_list("user_id", flat=True).distinct().iterator(),
        NotificationVerb.EVENT_CANCELLED,
        target=event,
        data={"event_title": event.title, "reason": reason},
    )


@on_activity(Verb.EVENT_UPDATED)
def notify_event_moved(activity: Activity) -> None:
    """A new time or place: everyone signed up (confirmed or waitlisted) is told, once each."""
    if not (activity.data or {}).get("moved"):
        return
    event = _event(activity)
    if event is None:
        return
    signed_up = Signup.objects.filter(
        event=event, status__in=[Signup.Status.CONFIRMED, Signup.Status.WAITLISTED]
    ).exclude(user_id=activity.actor_id)
    notify_of(
        activity,
        signed_up.values_list("user_id", flat=True).distinct().iterator(),
        NotificationVerb.EVENT_CHANGED,
        target=event,
        data={"event_title": event.title, "starts_at": event.starts_at.isoformat(), "place": event.address},
    )


@on_activity(Verb.EVENT_WAITLIST_PROMOTED)
def notify_waitlist_promoted(activity: Activity) -> None:
    event = _event(activity)
    if event is None:
        return
    notify_of(
        activity,
        [activity.actor_id],
        NotificationVerb.WAITLIST_PROMOTED,
        target=event,
        data={"event_title": event.title, "starts_at": event.starts_at.isoformat()},
        actor=None,
    )
