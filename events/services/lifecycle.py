"""Creating, publishing, cancelling and finishing events."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Membership
from circles.services import ensure_not_muted_in
from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.images import clean_image, replacing_cover
from community.kernel.validation import collect
from community.kernel.verbs import Verb
from community.safety import trust
from community.safety.mutes import ensure_not_muted
from events import selectors
from events.models import MAX_CAPACITY, MAX_GUESTS, MIN_CAPACITY, Event, Signup
from events.services.common import (
    EventStatus,
    SignupStatus,
    aware,
    clean_event_text,
    event_not_found,
    lock_event,
    require_manager,
    save_seats,
)
from events.services.signups import _promote as promote_waitlist
from events.services.signups import record_promotions

TITLE_MIN_LENGTH = 2


TITLE_MAX_LENGTH = 60


DESCRIPTION_MAX_LENGTH = 5000


CITY_MAX_LENGTH = 40


ADDRESS_MAX_LENGTH = 200


REASON_MAX_LENGTH = 200


MAX_DAYS_AHEAD = 365


MAX_DURATION = timedelta(days=14)


PERIOD_ORDER_MESSAGE = _("The period must end after it starts.")


def _clean_event_fields(
    errors: list[FieldError],
    *,
    title,
    description,
    city,
    address,
    starts_at,
    ends_at,
    signup_opens_at,
    signup_closes_at,
    capacity,
    max_guests_per_signup,
    latitude,
    longitude,
    now: datetime,
) -> dict:
    """The rules of an event's fields, shared by createEvent and updateEvent: errors collected, values cleaned."""
    title = collect(
        errors,
        clean_event_text,
        title,
        field="title",
        max_length=TITLE_MAX_LENGTH,
        min_length=TITLE_MIN_LENGTH,
        required=True,
    )
    description = collect(
        errors, clean_event_text, description, field="description", max_length=DESCRIPTION_MAX_LENGTH, required=True
    )
    city = collect(errors, clean_event_text, city, field="city", max_length=CITY_MAX_LENGTH)
    address = collect(errors, clean_event_text, address, field="address", max_length=ADDRESS_MAX_LENGTH)
    starts_at, ends_at = aware(starts_at), aware(ends_at)
    signup_opens_at, signup_closes_at = aware(signup_opens_at), aware(signup_closes_at)
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
    return {
        "title": title,
        "description": description,
        "city": city,
        "address": address,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "signup_opens_at": signup_opens_at,
        "signup_closes_at": signup_closes_at,
        "capacity": capacity,
        "max_guests_per_signup": guests,
        "latitude": latitude,
        "longitude": longitude,
    }


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
    ones, with or without a circle (origin BRAND). A DRAFT unless `publish`. Not while muted (everywhere, or
    in the circle)."""
    require_user(user)
    ensure_not_muted(user)
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
            ensure_not_muted_in(membership)
        if circle.status != Circle.Status.ACTIVE:
            raise ServiceError(ErrorCode.CLOSED, _("Events can only be created in active circles."), "circleId")
    elif not user.is_brand_staff:
        raise ServiceError(
            ErrorCode.FORBIDDEN, _("Choose your circle: only brand staff create events outside a circle."), "circleId"
        )

    errors: list[FieldError] = []
    if kind not in Event.Kind.values:
        errors.append(FieldError(ErrorCode.INVALID, _("This value is not one of the choices."), "kind"))
    clean = _clean_event_fields(
        errors,
        title=title,
        description=description,
        city=city,
        address=address,
        starts_at=starts_at,
        ends_at=ends_at,
        signup_opens_at=signup_opens_at,
        signup_closes_at=signup_closes_at,
        capacity=capacity,
        max_guests_per_signup=max_guests_per_signup,
        latitude=latitude,
        longitude=longitude,
        now=now,
    )
    title, description, city, address = clean["title"], clean["description"], clean["city"], clean["address"]
    starts_at, ends_at = clean["starts_at"], clean["ends_at"]
    signup_opens_at, signup_closes_at = clean["signup_opens_at"], clean["signup_closes_at"]
    guests = clean["max_guests_per_signup"]
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
    """The organizers publish a draft: members of its circle hear of it (not while muted)."""
    require_user(user)
    ensure_not_muted(user)
    now = now or timezone.now()
    with transaction.atomic():
        event = lock_event(event_id)
        if not selectors.visible_events(user).filter(pk=event.pk).exists():
            raise event_not_found()
        require_manager(user, event)
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
    reason = clean_event_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    with transaction.atomic():
        event = lock_event(event_id)
        if not selectors.visible_events(user).filter(pk=event.pk).exists():
            raise event_not_found()
        require_manager(user, event)
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
        save_seats(event, confirmed=seated or 0, waitlist=0, now=now)
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


UNSET = object()
EDITABLE_FIELDS = (
    "title",
    "description",
    "city",
    "address",
    "latitude",
    "longitude",
    "starts_at",
    "ends_at",
    "signup_opens_at",
    "signup_closes_at",
    "capacity",
    "max_guests_per_signup",
)
MOVING_FIELDS = ("starts_at", "ends_at", "city", "address", "latitude", "longitude")


def update_event(*, user, event_id: int, now: datetime | None = None, **changes) -> Event:
    """Its organisers (the organizer, the circle's hosts and co-hosts, brand staff) change an event that
    has not finished nor been cancelled; the fields given (keyword arguments named as EDITABLE_FIELDS;
    None clears an optional one) are checked by the same rules as at creation.

    Under the event's lock, as sign-ups are: capacity never drops below the seats already confirmed
    (CONFLICT), and raising it seats the waitlist in arrival order (each promoted user notified). A new
    time or place is told to everyone signed up (confirmed or waitlisted), from the activity.
    """
    require_user(user)
    now = now or timezone.now()
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_event() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        event = lock_event(event_id)
        if not selectors.visible_events(user).filter(pk=event.pk).exists():
            raise event_not_found()
        require_manager(user, event)
        if event.effective_status(now) in (EventStatus.CANCELLED, EventStatus.FINISHED):
            raise ServiceError(
                ErrorCode.CLOSED, _("A cancelled or finished event can no longer be changed."), "eventId"
            )
        merged = {name: getattr(event, name) for name in EDITABLE_FIELDS}
        merged.update(changes)
        errors: list[FieldError] = []
        clean = _clean_event_fields(errors, now=now, **merged)
        # What the event already breaks because time passed (sign-ups closed, started) is not the edit's
        # fault: only the problems the changes bring are refused.
        before: list[FieldError] = []
        _clean_event_fields(before, now=now, **{name: getattr(event, name) for name in EDITABLE_FIELDS})
        standing = {(e.field, str(e.message)) for e in before}
        errors = [e for e in errors if (e.field, str(e.message)) not in standing]
        if clean["capacity"] is not None and clean["capacity"] < event.confirmed_seats:
            message = _("%(confirmed)d seats are already confirmed: capacity cannot go below that.")
            message = message % {"confirmed": event.confirmed_seats}
            errors.append(FieldError(ErrorCode.CONFLICT, message, "capacity"))
        if errors:
            raise ServiceError.many(errors)
        changed = [name for name in EDITABLE_FIELDS if clean[name] != getattr(event, name)]
        if not changed:
            return event
        for name in changed:
            setattr(event, name, clean[name])
        if not event.city and event.circle_id is not None and "city" in changed:
            event.city = event.circle.city
        event.updated_at = now
        event.save(update_fields=[*changed, "updated_at"])
        promoted: list[Signup] = []
        if "capacity" in changed:
            confirmed, waitlist, promoted = promote_waitlist(event, event.confirmed_seats, event.waitlist_count, now)
            save_seats(event, confirmed=confirmed, waitlist=waitlist, now=now)
        moved = any(name in changed for name in MOVING_FIELDS)
        record_activity(
            actor=user,
            verb=Verb.EVENT_UPDATED,
            target=event,
            circle_id=event.circle_id,
            data={"fields": changed, "moved": moved, "promoted": [p.pk for p in promoted]},
        )
        record_promotions(event, promoted)
    return event


def set_event_cover(*, user, event_id: int, image) -> Event:
    """Its organisers give an event a cover image, through the photo pipeline (limits, metadata stripped)."""
    require_user(user)
    event = selectors.visible_events(user).filter(pk=event_id).first()
    if event is None:
        raise event_not_found()
    require_manager(user, event)
    if not user.is_brand_staff:
        trust.spend(user, "image")
    clean = clean_image(image, field="image")
    with replacing_cover(event, clean, stem=f"event-{event.pk}"):
        record_activity(
            actor=user, verb=Verb.EVENT_UPDATED, target=event, circle_id=event.circle_id, data={"fields": ["cover"]}
        )
    return event
