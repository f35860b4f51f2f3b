"""Check-in with the event's code, and hosts marking attendance."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.verbs import Verb
from community.models import User
from community.safety import ratelimit
from events import selectors
from events.models import Event, Signup
from events.services.common import EventStatus, SignupStatus, closed_error, event_not_found, require_manager

# Check-in opens this long before the start and closes at the end; hosts may fix attendance for a week after.
CHECK_IN_OPENS_BEFORE = timedelta(hours=1)


ATTENDANCE_FIX_AFTER_END = timedelta(days=7)


CHECK_IN_ATTEMPTS_PER_10_MINUTES = 10


def _record_attendance(event: Event, signup: Signup, *, marked_by: User | None) -> None:
    record_activity(
        actor=signup.user,
        verb=Verb.EVENT_ATTENDED,
        target=event,
        circle_id=event.circle_id,
        data={"signup_id": signup.pk, "origin": event.origin, "marked_by": marked_by.pk if marked_by else None},
    )
    if signup.user_id != event.organizer_id:
        record_activity(
            actor=event.organizer,
            verb=Verb.EVENT_HOSTED,
            target=event,
            circle_id=event.circle_id,
            data={"attendee_id": signup.user_id, "signup_id": signup.pk},
        )


def check_in(*, user, event_id: int, code: str, now: datetime | None = None) -> Signup:
    """A confirmed attendee checks in with the code the venue's QR shows, from an hour before the start
    until the end. Checking in twice changes nothing."""
    require_user(user)
    now = now or timezone.now()
    limit = ratelimit.hit(f"checkin:{user.pk}:{event_id}", CHECK_IN_ATTEMPTS_PER_10_MINUTES, 600)
    if not limit.allowed:
        raise ServiceError(
            ErrorCode.RATE_LIMITED,
            _("Too many attempts. Try again in %(seconds)d seconds.") % {"seconds": limit.retry_after},
            retry_after=limit.retry_after,
        )
    event = Event.objects.select_related("organizer").filter(pk=event_id).first()
    signup = None
    if event is not None:
        signup = Signup.objects.filter(event=event, user=user).exclude(status=SignupStatus.CANCELLED).first()
    if signup is None:
        if event is None or not selectors.visible_events(user).filter(pk=event.pk).exists():
            raise event_not_found()
        raise ServiceError(ErrorCode.NOT_FOUND, _("You have not signed up for this event."), "eventId")
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise closed_error(event, now)
    given = (code or "").strip().upper()
    if not given or not secrets.compare_digest(given.encode(), event.check_in_code.upper().encode()):
        raise ServiceError(ErrorCode.INVALID, _("This check-in code is not right."), "code")
    if signup.status == SignupStatus.ATTENDED:
        return signup
    if now < event.starts_at - CHECK_IN_OPENS_BEFORE:
        opens = timezone.localtime(event.starts_at - CHECK_IN_OPENS_BEFORE).strftime("%Y-%m-%d %H:%M")
        raise ServiceError(ErrorCode.CLOSED, _("Check-in opens at %(when)s.") % {"when": opens}, "eventId")
    if now > event.ends_at:
        raise ServiceError(ErrorCode.CLOSED, _("Check-in for this event has closed."), "eventId")
    if signup.status == SignupStatus.WAITLISTED:
        raise ServiceError(
            ErrorCode.FORBIDDEN, _("You are on the waitlist: only confirmed attendees check in."), "eventId"
        )
    with transaction.atomic():
        signup = Signup.objects.select_for_update().select_related("user").get(pk=signup.pk)
        if signup.status == SignupStatus.ATTENDED:
            return signup
        if signup.status != SignupStatus.CONFIRMED:
            raise ServiceError(ErrorCode.CLOSED, _("Check-in for this event has closed."), "eventId")
        signup.status = SignupStatus.ATTENDED
        signup.checked_in_at = now
        signup.save(update_fields=["status", "checked_in_at"])
        _record_attendance(event, signup, marked_by=None)
    signup.event = event
    return signup


def mark_attendance(*, user, signup_id: int, attended: bool, now: datetime | None = None) -> Signup:
    """The organizers mark a seated sign-up as attended (or undo it), from an hour before the start until a
    week after the end. Undoing takes back what attending earned."""
    require_user(user)
    now = now or timezone.now()
    found = Signup.objects.select_related("event").filter(pk=signup_id).first()
    if found is None or not selectors.visible_signups(user).filter(pk=found.pk).exists():
        raise ServiceError(ErrorCode.NOT_FOUND, _("Sign-up not found."), "signupId")
    event = found.event
    require_manager(user, event, _("Only the event's organizers can mark attendance."))
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise closed_error(event, now)
    if now < event.starts_at - CHECK_IN_OPENS_BEFORE:
        raise ServiceError(ErrorCode.CLOSED, _("Attendance can be marked from an hour before the start."), "signupId")
    if now > event.ends_at + ATTENDANCE_FIX_AFTER_END:
        raise ServiceError(ErrorCode.CLOSED, _("Attendance can no longer be changed for this event."), "signupId")
    with transaction.atomic():
        signup = Signup.objects.select_for_update().select_related("user").get(pk=found.pk)
        event = Event.objects.select_related("organizer").get(pk=event.pk)
        if signup.status not in Signup.SEATED:
            raise ServiceError(
                ErrorCode.CONFLICT, _("Only sign-ups with a seat can be marked as attended."), "signupId"
            )
        if attended and signup.status != SignupStatus.ATTENDED:
            signup.status = SignupStatus.ATTENDED
            signup.checked_in_at = now
            signup.attendance_marked_by = user
            signup.save(update_fields=["status", "checked_in_at", "attendance_marked_by"])
            _record_attendance(event, signup, marked_by=user)
        elif not attended and signup.status == SignupStatus.ATTENDED:
            ended = event.ends_at <= now or event.status == EventStatus.FINISHED
            signup.status = SignupStatus.NO_SHOW if ended else SignupStatus.CONFIRMED
            signup.checked_in_at = None
            signup.attendance_marked_by = user
            signup.save(update_fields=["status", "checked_in_at", "attendance_marked_by"])
            record_activity(
                actor=signup.user,
                verb=Verb.EVENT_ATTENDANCE_REVOKED,
                target=event,
                circle_id=event.circle_id,
                data={"signup_id": signup.pk, "by": user.pk},
            )
    signup.event = event
    return signup
