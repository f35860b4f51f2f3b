"""Every write of the events app: one function per use case, atomic, recording its activity.

Seats are never oversold, whatever the concurrency: every service that changes seats first locks the
event's row (`select_for_update`; on SQLite the IMMEDIATE transaction locks the database), reads the
counters under that lock, writes the sign-up rows and the counters, and commits. So concurrent
sign-ups and cancellations of one event run one after another, each seeing what the previous one
committed, and sign-up ids are taken in arrival order (the waitlist's order). The database backs it
up: a CHECK constraint refuses `confirmed_seats > capacity`, and a partial unique index allows one live
sign-up per user and event. Every seat change is published on `eventSeats` after commit.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Membership
from community.kernel import realtime
from community.kernel.access import require_user
from community.kernel.activity import enqueue_dispatch, record_activity
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.validation import clean_text, collect
from community.kernel.verbs import NotificationVerb, Verb
from community.models import User
from community.notifications.services import notify
from community.safety import ratelimit, wordfilter
from events import selectors
from events.models import MAX_CAPACITY, MAX_GUESTS, MIN_CAPACITY, Event, Reminder, Signup

TITLE_MIN_LENGTH = 2
TITLE_MAX_LENGTH = 60
DESCRIPTION_MAX_LENGTH = 5000
CITY_MAX_LENGTH = 40
ADDRESS_MAX_LENGTH = 200
REASON_MAX_LENGTH = 200
MAX_DAYS_AHEAD = 365
MAX_DURATION = timedelta(days=14)
# Check-in opens this long before the start and closes at the end; hosts may fix attendance for a week after.
CHECK_IN_OPENS_BEFORE = timedelta(hours=1)
ATTENDANCE_FIX_AFTER_END = timedelta(days=7)
CHECK_IN_ATTEMPTS_PER_10_MINUTES = 10
REMINDERS = (
    # kind, sent when the start is at most `upper` and more than `lower` away
    (Reminder.Kind.DAY_BEFORE, timedelta(hours=2), timedelta(hours=24)),
    (Reminder.Kind.TWO_HOURS, timedelta(0), timedelta(hours=2)),
)

EventStatus = Event.Status
SignupStatus = Signup.Status
PERIOD_ORDER_MESSAGE = _("The period must end after it starts.")


# ---------------------------------------------------------------- helpers


def _text(value, *, field: str, max_length: int, min_length: int = 0, required: bool = False) -> str:
    """Clean text that must hold no blocked word (titles, descriptions, places)."""
    value = clean_text(value, field=field, max_length=max_length, min_length=min_length, required=required)
    wordfilter.ensure_allowed(value, field=field)
    return value


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _not_found() -> ServiceError:
    return ServiceError(ErrorCode.NOT_FOUND, _("Event not found."), "eventId")


def _lock_event(event_id: int) -> Event:
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise _not_found()
    return event


def _require_manager(user, event: Event, message=None) -> None:
    if not selectors.can_manage(user, event):
        raise ServiceError(ErrorCode.FORBIDDEN, message or _("Only the event's organizers can do this."))


def _closed_for(event: Event, now: datetime) -> ServiceError | None:
    """Why nobody can sign up (or withdraw) now because of the event's state, or None."""
    status = event.effective_status(now)
    if status == EventStatus.DRAFT:
        return ServiceError(ErrorCode.CLOSED, _("This event has not been published yet."), "eventId")
    if status == EventStatus.CANCELLED:
        return ServiceError(ErrorCode.CLOSED, _("This event has been cancelled."), "eventId")
    if status == EventStatus.FINISHED:
        return ServiceError(ErrorCode.CLOSED, _("This event is over."), "eventId")
    return None


def _signup_window_error(event: Event, now: datetime) -> ServiceError | None:
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


def _save_seats(event: Event, *, confirmed: int, waitlist: int, now: datetime) -> None:
    """Write the counters read under the event's lock, bump the revision, and publish after commit."""
    event.confirmed_seats = confirmed
    event.waitlist_count = waitlist
    event.seats_revision += 1
    event.updated_at = now
    Event.objects.filter(pk=event.pk).update(
        confirmed_seats=confirmed, waitlist_count=waitlist, seats_revision=event.seats_revision, updated_at=now
    )
    realtime.publish(realtime.event_seats_topic(event.pk), seats_payload(event))


# ---------------------------------------------------------------- events


def create_event(
    *,
    user,
    title: str,
    description: str,
    kind,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    circle_id: int | None = None,
    signup_opens_at: datetime | None = None,
    signup_closes_at: datetime | None = None,
    city: str | None = None,
    address: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    max_guests_per_signup: int | None = None,
    publish: bool = False,
    now: datetime | None = None,
) -> Event:
    """A host or co-host creates an event for their circle (origin HOST); brand staff create official
    ones, with or without a circle (origin BRAND). A DRAFT unless `publish`."""
    require_user(user)
    now = now or timezone.now()
    circle = None
    if circle_id is not None:
        circle = Circle.objects.filter(pk=circle_id).first()
        if circle is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), "circleId")
        if not user.is_brand_staff:
            membership = Membership.objects.filter(circle=circle, user=user).first()
            if membership is None or not membership.is_manager:
                raise ServiceError(
                    ErrorCode.FORBIDDEN, _("Only the circle's hosts and co-hosts can create its events."), "circleId"
                )
        if circle.status != Circle.Status.ACTIVE:
            raise ServiceError(ErrorCode.CLOSED, _("Events can only be created in active circles."), "circleId")
    elif not user.is_brand_staff:
        raise ServiceError(
            ErrorCode.FORBIDDEN, _("Choose your circle: only brand staff create events outside a circle."), "circleId"
        )

    errors: list[FieldError] = []
    title = collect(
        errors, _text, title, field="title", max_length=TITLE_MAX_LENGTH, min_length=TITLE_MIN_LENGTH, required=True
    )
    description = collect(
        errors, _text, description, field="description", max_length=DESCRIPTION_MAX_LENGTH, required=True
    )
    city = collect(errors, _text, city, field="city", max_length=CITY_MAX_LENGTH)
    address = collect(errors, _text, address, field="address", max_length=ADDRESS_MAX_LENGTH)
    if kind not in Event.Kind.values:
        errors.append(FieldError(ErrorCode.INVALID, _("This value is not one of the choices."), "kind"))
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    signup_opens_at, signup_closes_at = _aware(signup_opens_at), _aware(signup_closes_at)
    if starts_at is None or starts_at <= now:
        errors.append(FieldError(ErrorCode.INVALID, _("The event must start in the future."), "startsAt"))
    elif starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        message = _("An event can start at most %(days)d days from now.") % {"days": MAX_DAYS_AHEAD}
        errors.append(FieldError(ErrorCode.INVALID, message, "startsAt"))
    if starts_at is not None and ends_at is not None:
        if ends_at <= starts_at:
            errors.append(FieldError(ErrorCode.INVALID, _("The event must end after it starts."), "endsAt"))
        elif ends_at - starts_at > MAX_DURATION:
            message = _("An event can last at most %(days)d days.") % {"days": MAX_DURATION.days}
            errors.append(FieldError(ErrorCode.INVALID, message, "endsAt"))
    if signup_closes_at is not None:
        if signup_closes_at <= now:
            errors.append(FieldError(ErrorCode.INVALID, _("Sign-ups must close in the future."), "signupClosesAt"))
        elif ends_at is not None and signup_closes_at > ends_at:
            errors.append(
                FieldError(ErrorCode.INVALID, _("Sign-ups must close before the event ends."), "signupClosesAt")
            )
    if signup_opens_at is not None:
        closes = signup_closes_at or starts_at
        if closes is not None and signup_opens_at >= closes:
            errors.append(FieldError(ErrorCode.INVALID, _("Sign-ups must open before they close."), "signupOpensAt"))
    if capacity is None or not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        message = _("Capacity must be between %(min)d and %(max)d seats.") % {"min": MIN_CAPACITY, "max": MAX_CAPACITY}
        errors.append(FieldError(ErrorCode.INVALID, message, "capacity"))
    guests = 0 if max_guests_per_signup is None else max_guests_per_signup
    if not 0 <= guests <= MAX_GUESTS:
        message = _("Between 0 and %(max)d guests per sign-up.") % {"max": MAX_GUESTS}
        errors.append(FieldError(ErrorCode.INVALID, message, "maxGuestsPerSignup"))
    if (latitude is None) != (longitude is None):
        errors.append(FieldError(ErrorCode.INVALID, _("Give both latitude and longitude, or neither."), "latitude"))
    if latitude is not None and not -90 <= latitude <= 90:
        errors.append(FieldError(ErrorCode.INVALID, _("Latitude is between -90 and 90."), "latitude"))
    if longitude is not None and not -180 <= longitude <= 180:
        errors.append(FieldError(ErrorCode.INVALID, _("Longitude is between -180 and 180."), "longitude"))
    if errors:
        raise ServiceError.many(errors)

    origin = Event.Origin.BRAND if user.is_brand_staff else Event.Origin.HOST
    with transaction.atomic():
        event = Event.objects.create(
            title=title,
            description=description,
            kind=kind,
            origin=origin,
            circle=circle,
            organizer=user,
            starts_at=starts_at,
            ends_at=ends_at,
            signup_opens_at=signup_opens_at,
            signup_closes_at=signup_closes_at,
            city=city or (circle.city if circle is not None else ""),
            address=address,
            latitude=latitude,
            longitude=longitude,
            capacity=capacity,
            max_guests_per_signup=guests,
            created_at=now,
            updated_at=now,
        )
        record_activity(
            actor=user, verb=Verb.EVENT_CREATED, target=event, circle_id=event.circle_id, data={"origin": origin}
        )
        if publish:
            _publish(event, user, now)
    return event


def _publish(event: Event, user, now: datetime) -> None:
    event.status = EventStatus.PUBLISHED
    event.published_at = now
    event.updated_at = now
    event.save(update_fields=["status", "published_at", "updated_at"])
    record_activity(
        actor=user, verb=Verb.EVENT_PUBLISHED, target=event, circle_id=event.circle_id, data={"origin": event.origin}
    )


def publish_event(*, user, event_id: int, now: datetime | None = None) -> Event:
    """The organizers publish a draft: members of its circle hear of it."""
    require_user(user)
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(event_id)
        if not selectors.visible_events(user).filter(pk=event.pk).exists():
            raise _not_found()
        _require_manager(user, event)
        if event.status == EventStatus.PUBLISHED:
            raise ServiceError(ErrorCode.CONFLICT, _("This event is published already."), "eventId")
        if event.status != EventStatus.DRAFT:
            raise ServiceError(ErrorCode.CLOSED, _("Only drafts can be published."), "eventId")
        if event.starts_at <= now:
            raise ServiceError(ErrorCode.CLOSED, _("This event's start has passed: it can't be published."), "eventId")
        _publish(event, user, now)
    return event


def cancel_event(*, user, event_id: int, reason: str | None = None, now: datetime | None = None) -> Event:
    """The organizers call an event off before it ends; everyone signed up is told (and their sign-ups end)."""
    require_user(user)
    now = now or timezone.now()
    reason = _text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    with transaction.atomic():
        event = _lock_event(event_id)
        if not selectors.visible_events(user).filter(pk=event.pk).exists():
            raise _not_found()
        _require_manager(user, event)
        status = event.effective_status(now)
        if status == EventStatus.CANCELLED:
            raise ServiceError(ErrorCode.CONFLICT, _("This event has been cancelled already."), "eventId")
        if status == EventStatus.FINISHED:
            raise ServiceError(ErrorCode.CLOSED, _("This event is over."), "eventId")
        affected = Signup.objects.filter(event=event, status__in=[SignupStatus.CONFIRMED, SignupStatus.WAITLISTED])
        affected.update(status=SignupStatus.CANCELLED, cancelled_at=now, cancelled_by=Signup.CancelledBy.EVENT)
        event.status = EventStatus.CANCELLED
        event.cancelled_at = now
        event.cancel_reason = reason
        event.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        # Those who checked in already (an event called off half way) keep their seats.
        seated = Signup.objects.filter(event=event, status__in=Signup.SEATED).aggregate(seats=Sum(F("guests") + 1))[
            "seats"
        ]
        _save_seats(event, confirmed=seated or 0, waitlist=0, now=now)
        record_activity(
            actor=user, verb=Verb.EVENT_CANCELLED, target=event, circle_id=event.circle_id, data={"reason": reason}
        )
    return event


def finish_event(*, event_id: int, now: datetime | None = None) -> bool:
    """Mark an event that has ended FINISHED; its confirmed sign-ups that never checked in become NO_SHOW.
    Idempotent: False when there was nothing to do."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("organizer").filter(pk=event_id).first()
        if event is None or event.status != EventStatus.PUBLISHED or event.ends_at > now:
            return False
        no_shows = Signup.objects.filter(event=event, status=SignupStatus.CONFIRMED).update(status=SignupStatus.NO_SHOW)
        event.status = EventStatus.FINISHED
        event.finished_at = now
        event.updated_at = now
        event.save(update_fields=["status", "finished_at", "updated_at"])
        record_activity(
            actor=event.organizer,
            verb=Verb.EVENT_FINISHED,
            target=event,
            circle_id=event.circle_id,
            data={"no_shows": no_shows},
        )
    return True


def finish_ended_events(*, now: datetime | None = None, limit: int = 500) -> int:
    now = now or timezone.now()
    ids = list(
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__lte=now)
        .order_by("ends_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(finish_event(event_id=event_id, now=now) for event_id in ids)


# ---------------------------------------------------------------- sign-ups


# PostgreSQL's one-statement sign-up: lock the event row, decide, count the seats, insert the sign-up and
# its activity, all in one statement (so one round trip holds the lock, and the statement commits or
# nothing is written). It returns no row when any rule says no; the general path then says which.
_SIGN_UP_SQL = """
WITH cur AS (
    SELECT e.id, e.capacity, e.confirmed_seats, e.circle_id
    FROM events_event e
    WHERE e.id = %(event)s AND e.status = 'PUBLISHED' AND e.ends_at > clock_timestamp()
      AND %(guests)s <= e.max_guests_per_signup
      AND COALESCE(e.signup_opens_at, e.published_at, e.created_at) <= clock_timestamp()
      AND COALESCE(e.signup_closes_at, e.starts_at) > clock_timestamp()
      AND (e.circle_id IS NULL
           OR EXISTS (SELECT 1 FROM circles_circle c
                      WHERE c.id = e.circle_id AND c.status = 'ACTIVE' AND c.visibility = 'PUBLIC')
           OR EXISTS (SELECT 1 FROM circles_membership m
                      WHERE m.circle_id = e.circle_id AND m.user_id = %(user)s AND m.status = 'ACTIVE'))
      AND NOT EXISTS (SELECT 1 FROM circles_membership b
                      WHERE b.circle_id = e.circle_id AND b.user_id = %(user)s AND b.status = 'BANNED')
      AND NOT EXISTS (SELECT 1 FROM events_signup s
                      WHERE s.event_id = e.id AND s.user_id = %(user)s AND s.status <> 'CANCELLED')
    FOR UPDATE OF e
), decided AS (
    SELECT cur.*, cur.confirmed_seats + %(seats)s <= cur.capacity AS fits FROM cur
), seats AS (
    UPDATE events_event e
    SET confirmed_seats = e.confirmed_seats + CASE WHEN d.fits THEN %(seats)s ELSE 0 END,
        waitlist_count = e.waitlist_count + CASE WHEN d.fits THEN 0 ELSE 1 END,
        seats_revision = e.seats_revision + 1,
        updated_at = clock_timestamp()
    FROM decided d WHERE e.id = d.id
    RETURNING e.id, e.capacity, e.confirmed_seats, e.waitlist_count, e.seats_revision, d.circle_id, d.fits
), added AS (
    INSERT INTO events_signup (event_id, user_id, guests, status, created_at, cancelled_by)
    SELECT seats.id, %(user)s, %(guests)s, CASE WHEN seats.fits THEN 'CONFIRMED' ELSE 'WAITLISTED' END,
           clock_timestamp(), ''
    FROM seats
    RETURNING id, status, created_at
), recorded AS (
    INSERT INTO community_activity (actor_id, verb, target_type_id, target_id, circle_id, data, created_at,
                                    dispatch_attempts)
    SELECT %(user)s, %(verb)s, %(content_type)s, seats.id, seats.circle_id,
           jsonb_build_object('signup_id', added.id, 'status', added.status, 'guests', %(guests)s),
           clock_timestamp(), 0
    FROM seats, added
    RETURNING id
)
SELECT added.id, added.status, added.created_at, seats.capacity, seats.confirmed_seats, seats.waitlist_count,
       seats.seats_revision, seats.circle_id, recorded.id
FROM added, seats, recorded
"""


def _sign_up_in_one_statement(user, event_id: int, guests: int) -> Signup | None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    content_type = ContentType.objects.get_for_model(Event)
    params = {
        "event": event_id,
        "user": user.pk,
        "guests": guests,
        "seats": 1 + guests,
        "verb": Verb.EVENT_SIGNED_UP,
        "content_type": content_type.pk,
    }
    try:
        with connection.cursor() as cursor:
            cursor.execute(_SIGN_UP_SQL, params)
            row = cursor.fetchone()
    except IntegrityError:
        # The same owner twice at the same instant: the unique index stopped the second (nothing written).
        raise ServiceError(ErrorCode.CONFLICT, _("You have signed up for this event already."), "eventId") from None
    if row is None:
        return None
    signup_id, status, created_at, capacity, confirmed, waitlist, revision, circle_id, activity_id = row
    event = Event(
        pk=event_id,
        capacity=capacity,
        confirmed_seats=confirmed,
        waitlist_count=waitlist,
        seats_revision=revision,
        circle_id=circle_id,
    )
    signup = Signup(pk=signup_id, event_id=event_id, user=user, guests=guests, status=status, created_at=created_at)
    if status == SignupStatus.WAITLISTED:
        signup.known_waitlist_position = waitlist  # the newest arrival is last in line
    # Committed already (the statement ran outside any transaction): publish and dispatch now.
    realtime.publish(realtime.event_seats_topic(event_id), seats_payload(event))
    enqueue_dispatch(activity_id)
    return signup


def sign_up(*, user, event_id: int, guests: int | None = None, now: datetime | None = None) -> Signup:
    """Take `1 + guests` seats if they are free (CONFIRMED), else join the waitlist (WAITLISTED).

    Refused: someone who cannot see the event, outside the sign-up window, a draft, cancelled or
    finished event, a member banned from its circle, a second live sign-up, too many guests.
    """
    require_user(user)
    fixed_now, now = now, now or timezone.now()
    guests = 0 if guests is None else guests
    if guests < 0:
        raise ServiceError(ErrorCode.INVALID, _("Guests cannot be negative."), "guests")
    from django.db import connection

    if fixed_now is None and connection.vendor == "postgresql" and not connection.in_atomic_block:
        signup = _sign_up_in_one_statement(user, event_id, guests)
        if signup is not None:
            return signup
    event = selectors.visible_events(user).filter(pk=event_id).first()
    if event is None:
        raise _not_found()
    if guests > event.max_guests_per_signup:
        message = _("At most %(max)d guests for this event.") % {"max": event.max_guests_per_signup}
        raise ServiceError(ErrorCode.INVALID, message, "guests")
    if (
        event.circle_id is not None
        and Membership.objects.filter(circle_id=event.circle_id, user=user, status=Membership.Status.BANNED).exists()
    ):
        raise ServiceError(ErrorCode.FORBIDDEN, _("You have been banned from this event's circle."), "eventId")
    problem = _closed_for(event, now) or _signup_window_error(event, now)
    if problem is not None:
        raise problem
    taken = ServiceError(ErrorCode.CONFLICT, _("You have signed up for this event already."), "eventId")
    try:
        with transaction.atomic():
            event = _lock_event(event.pk)
            # Under the lock: the event as it is now (cancelled meanwhile? closed?), and the time of arrival.
            now = fixed_now or timezone.now()
            problem = _closed_for(event, now) or _signup_window_error(event, now)
            if problem is not None:
                raise problem
            if Signup.objects.filter(event=event, user=user).exclude(status=SignupStatus.CANCELLED).exists():
                raise taken
            seats = 1 + guests
            confirmed, waitlist = event.confirmed_seats, event.waitlist_count
            if confirmed + seats <= event.capacity:
                status = SignupStatus.CONFIRMED
                confirmed += seats
            else:
                status = SignupStatus.WAITLISTED
                waitlist += 1
            signup = Signup.objects.create(event=event, user=user, guests=guests, status=status, created_at=now)
            _save_seats(event, confirmed=confirmed, waitlist=waitlist, now=now)
            record_activity(
                actor=user,
                verb=Verb.EVENT_SIGNED_UP,
                target=event,
                circle_id=event.circle_id,
                data={"signup_id": signup.pk, "status": status, "guests": guests},
            )
    except IntegrityError:
        raise taken from None
    signup.event = event
    return signup


def _promote(event: Event, confirmed: int, waitlist: int, now: datetime) -> tuple[int, int, list[Signup]]:
    """Under the event's lock: seat waitlisted sign-ups in arrival order while seats are free, skipping
    any that need more seats than are left (and going on with the next)."""
    promoted: list[Signup] = []
    while confirmed < event.capacity:
        free = event.capacity - confirmed
        candidate = (
            Signup.objects.select_for_update()
            .select_related("user")
            .filter(event=event, status=SignupStatus.WAITLISTED, guests__lte=free - 1)
            .order_by("id")
            .first()
        )
        if candidate is None:
            break
        candidate.status = SignupStatus.CONFIRMED
        candidate.promoted_at = now
        candidate.save(update_fields=["status", "promoted_at"])
        confirmed += candidate.seats
        waitlist -= 1
        promoted.append(candidate)
    return confirmed, waitlist, promoted


def cancel_signup(*, user, event_id: int, now: datetime | None = None) -> Signup:
    """Withdraw before the event starts; freed seats go to the waitlist in arrival order (each promoted
    user is notified)."""
    require_user(user)
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(event_id)
        signup = (
            Signup.objects.select_for_update()
            .filter(event=event, user=user, status__in=[SignupStatus.CONFIRMED, SignupStatus.WAITLISTED])
            .first()
        )
        if signup is None:
            if not selectors.visible_events(user).filter(pk=event.pk).exists():
                raise _not_found()
            raise ServiceError(ErrorCode.NOT_FOUND, _("You have not signed up for this event."), "eventId")
        problem = _closed_for(event, now)
        if problem is not None:
            raise problem
        if now >= event.starts_at:
            raise ServiceError(
                ErrorCode.CLOSED, _("This event has started: sign-ups can no longer be withdrawn."), "eventId"
            )
        was = signup.status
        signup.status = SignupStatus.CANCELLED
        signup.cancelled_at = now
        signup.cancelled_by = Signup.CancelledBy.USER
        signup.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        confirmed, waitlist = event.confirmed_seats, event.waitlist_count
        promoted: list[Signup] = []
        if was == SignupStatus.CONFIRMED:
            confirmed -= signup.seats
            confirmed, waitlist, promoted = _promote(event, confirmed, waitlist, now)
        else:
            waitlist -= 1
        _save_seats(event, confirmed=confirmed, waitlist=waitlist, now=now)
        record_activity(
            actor=user,
            verb=Verb.EVENT_SIGNUP_CANCELLED,
            target=event,
            circle_id=event.circle_id,
            data={"signup_id": signup.pk, "was": was, "promoted": [p.pk for p in promoted]},
        )
        for lucky in promoted:
            record_activity(
                actor=lucky.user,
                verb=Verb.EVENT_WAITLIST_PROMOTED,
                target=event,
                circle_id=event.circle_id,
                data={"signup_id": lucky.pk},
            )
    signup.event = event
    return signup


# ---------------------------------------------------------------- check-in and attendance


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
            raise _not_found()
        raise ServiceError(ErrorCode.NOT_FOUND, _("You have not signed up for this event."), "eventId")
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise _closed_for(event, now)
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
    _require_manager(user, event, _("Only the event's organizers can mark attendance."))
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise _closed_for(event, now)
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


# ---------------------------------------------------------------- reminders


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
