"""Sign-ups and the waitlist: taking seats, cancelling, promoting in arrival order."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Membership
from community.kernel import realtime
from community.kernel.access import require_user
from community.kernel.activity import enqueue_dispatch, record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.verbs import Verb
from events import selectors
from events.models import Event, Signup
from events.services.common import (
    SignupStatus,
    closed_error,
    event_not_found,
    lock_event,
    save_seats,
    seats_payload,
    signup_window_error,
)

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
        raise event_not_found()
    if guests > event.max_guests_per_signup:
        message = _("At most %(max)d guests for this event.") % {"max": event.max_guests_per_signup}
        raise ServiceError(ErrorCode.INVALID, message, "guests")
    if (
        event.circle_id is not None
        and Membership.objects.filter(circle_id=event.circle_id, user=user, status=Membership.Status.BANNED).exists()
    ):
        raise ServiceError(ErrorCode.FORBIDDEN, _("You have been banned from this event's circle."), "eventId")
    problem = closed_error(event, now) or signup_window_error(event, now)
    if problem is not None:
        raise problem
    taken = ServiceError(ErrorCode.CONFLICT, _("You have signed up for this event already."), "eventId")
    try:
        with transaction.atomic():
            event = lock_event(event.pk)
            # Under the lock: the event as it is now (cancelled meanwhile? closed?), and the time of arrival.
            now = fixed_now or timezone.now()
            problem = closed_error(event, now) or signup_window_error(event, now)
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
            save_seats(event, confirmed=confirmed, waitlist=waitlist, now=now)
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


def record_promotions(event: Event, promoted: list[Signup]) -> None:
    """Each sign-up moved off the waitlist is its owner's activity (they are told their seat is theirs)."""
    for lucky in promoted:
        record_activity(
            actor=lucky.user,
            verb=Verb.EVENT_WAITLIST_PROMOTED,
            target=event,
            circle_id=event.circle_id,
            data={"signup_id": lucky.pk},
        )


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
        event = lock_event(event_id)
        signup = (
            Signup.objects.select_for_update()
            .filter(event=event, user=user, status__in=[SignupStatus.CONFIRMED, SignupStatus.WAITLISTED])
            .first()
        )
        if signup is None:
            if not selectors.visible_events(user).filter(pk=event.pk).exists():
                raise event_not_found()
            raise ServiceError(ErrorCode.NOT_FOUND, _("You have not signed up for this event."), "eventId")
        problem = closed_error(event, now)
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
        save_seats(event, confirmed=confirmed, waitlist=waitlist, now=now)
        record_activity(
            actor=user,
            verb=Verb.EVENT_SIGNUP_CANCELLED,
            target=event,
            circle_id=event.circle_id,
            data={"signup_id": signup.pk, "was": was, "promoted": [p.pk for p in promoted]},
        )
        record_promotions(event, promoted)
    signup.event = event
    return signup
