"""What the events use cases share: locking an event, who runs it, when it is closed, and its seats."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel import realtime
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.validation import clean_text
from community.safety import wordfilter
from events import selectors
from events.models import Event, Signup

EventStatus = Event.Status


SignupStatus = Signup.Status


def clean_event_text(value, *, field: str, max_length: int, min_length: int = 0, required: bool = False) -> str:
    """Clean text that must hold no blocked word (titles, descriptions, places)."""
    value = clean_text(value, field=field, max_length=max_length, min_length=min_length, required=required)
    wordfilter.ensure_allowed(value, field=field)
    return value


def aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def event_not_found() -> ServiceError:
    return ServiceError(ErrorCode.NOT_FOUND, _("Event not found."), "eventId")


def lock_event(event_id: int) -> Event:
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise event_not_found()
    return event


def require_manager(user, event: Event, message=None) -> None:
    if not selectors.can_manage(user, event):
        raise ServiceError(ErrorCode.FORBIDDEN, message or _("Only the event's organizers can do this."))


def closed_error(event: Event, now: datetime) -> ServiceError | None:
    """Why nobody can sign up (or withdraw) now because of the event's state, or None."""
    status = event.effective_status(now)
    if status == EventStatus.DRAFT:
        return ServiceError(ErrorCode.CLOSED, _("This event has not been published yet."), "eventId")
    if status == EventStatus.CANCELLED:
        return ServiceError(ErrorCode.CLOSED, _("This event has been cancelled."), "eventId")
    if status == EventStatus.FINISHED:
        return ServiceError(ErrorCode.CLOSED, _("This event is over."), "eventId")
    return None


def signup_window_error(event: Event, now: datetime) -> ServiceError | None:
    opens, closes = event.signup_window
    if now < opens:
        when = timezone.localtime(opens).strftime("%Y-%m-%d %H:%M")
        return ServiceError(ErrorCode.CLOSED, _("Sign-ups open at %(when)s.") % {"when": when}, "eventId")
    if now >= closes:
        return ServiceError(ErrorCode.CLOSED, _("Sign-ups for this event have closed."), "eventId")
    return None


def seats_payload(event: Event) -> dict:
    """What the `event.<id>.seats` topic carries: the counters as committed, with their revision."""
    return {
        "eventId": event.pk,
        "confirmedSeats": event.confirmed_seats,
        "seatsLeft": event.seats_left,
        "waitlistCount": event.waitlist_count,
        "revision": event.seats_revision,
    }


def save_seats(event: Event, *, confirmed: int, waitlist: int, now: datetime) -> None:
    """Write the counters read under the event's lock, bump the revision, and publish after commit."""
    event.confirmed_seats = confirmed
    event.waitlist_count = waitlist
    event.seats_revision += 1
    event.updated_at = now
    Event.objects.filter(pk=event.pk).update(
        confirmed_seats=confirmed, waitlist_count=waitlist, seats_revision=event.seats_revision, updated_at=now
    )
    realtime.publish(realtime.event_seats_topic(event.pk), seats_payload(event))
