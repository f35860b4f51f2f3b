"""Reads of the events app: who sees which event, lists, sign-up lists, and the host-versus-brand figures.

Visibility, in one place (it follows the circle's):
- an event without a circle (brand-led) is visible to everyone once published;
- an event in a circle is visible where the circle's content is readable: anyone for a PUBLIC ACTIVE
  circle, active members (and brand staff) for a PRIVATE one;
- a DRAFT is visible to those who run it only (see "Who runs an event" below).

Who runs an event (its attendee list, check-in code and QR, CSV, publishing, cancelling, attendance), in one
place: `managed_events_q` as a filter and `manages` on one event say the same thing. Brand staff run every
event; the active hosts and co-hosts of an event's circle run its events. Having created an event gives
no right of its own: a co-host who is demoted, removed, banned or leaves loses the events they made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils import timezone

from circles.models import Circle, Membership
from circles.selectors import managed_circle_ids, readable_circles_q
from community.kernel.statuses import ContentStatus
from events.models import Event, Signup

Status = Event.Status
SignupStatus = Signup.Status

REPEAT_WINDOW = timedelta(days=90)
DEFAULT_COMPARISON_PERIOD = timedelta(days=90)


def _signed_in(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def managed_events_q(viewer, prefix: str = "") -> Q:
    """The events a signed-in viewer who is not brand staff runs, as a filter (prefix e.g. "event__"):
    those of the circles they are an active host or co-host of."""
    return Q(**{f"{prefix}circle_id__in": managed_circle_ids(viewer)})


def manages(viewer, event: Event, membership: Membership | None) -> bool:
    """Whether `viewer` runs `event`, given the viewer's membership of the event's circle (or None).
    The same rule as `managed_events_q`."""
    if not _signed_in(viewer):
        return False
    if viewer.is_brand_staff:
        return True
    if event.circle_id is None:
        return False
    return membership is not None and membership.circle_id == event.circle_id and membership.is_manager


def visible_events(viewer) -> QuerySet[Event]:
    if _signed_in(viewer) and viewer.is_brand_staff:
        return Event.objects.all()
    readable = ~Q(status=Status.DRAFT) & (Q(circle__isnull=True) | readable_circles_q(viewer, "circle__"))
    if not _signed_in(viewer):
        return Event.objects.filter(readable)
    return Event.objects.filter(readable | managed_events_q(viewer))


def can_manage(viewer, event: Event) -> bool:
    """Whether `viewer` runs `event` now (reads the viewer's membership of its circle; see `manages`)."""
    if not _signed_in(viewer) or viewer.is_brand_staff or event.circle_id is None:
        return manages(viewer, event, None)
    return manages(viewer, event, Membership.objects.filter(circle_id=event.circle_id, user=viewer).first())


def event_access(viewer, event_id: int) -> tuple[str, Event | None]:
    """("ok", event), ("not_found", None) for no such event or someone else's draft, or
    ("forbidden", event) for an event of a private circle the viewer may not read."""
    event = Event.objects.select_related("circle").filter(pk=event_id).first()
    if event is None:
        return "not_found", None
    if visible_events(viewer).filter(pk=event.pk).exists():
        return "ok", event
    if event.status == Status.DRAFT:
        return "not_found", None
    return "forbidden", event


def visible_event(viewer, event_id: int) -> Event | None:
    return visible_events(viewer).select_related("circle", "organizer").filter(pk=event_id).first()


# ---------------------------------------------------------------- lists

UPCOMING_ORDERING = ("starts_at", "id")
LATEST_ORDERING = ("-starts_at", "-id")


def list_events(
    viewer,
    *,
    circle_id: int | None = None,
    city: str | None = None,
    upcoming: bool | None = None,
    origin: str | None = None,
    signed_up: bool | None = None,
    now: datetime | None = None,
) -> tuple[QuerySet[Event], tuple[str, ...]]:
    """Visible events and the ordering to page them in: upcoming ones (published, not started yet)
    soonest first; past ones (started already) and everything latest first. `signed_up` keeps the
    events the viewer holds a sign-up for that was not withdrawn ("my events")."""
    now = now or timezone.now()
    events = visible_events(viewer).select_related("circle", "organizer")
    if signed_up is True:
        if not _signed_in(viewer):
            return events.none(), LATEST_ORDERING
        events = events.filter(
            Exists(Signup.objects.filter(event=OuterRef("pk"), user=viewer).exclude(status=SignupStatus.CANCELLED))
        )
    if circle_id is not None:
        events = events.filter(circle_id=circle_id)
    if city and city.strip():
        events = events.filter(city=city.strip()[:40])
    if origin:
        events = events.filter(origin=origin)
    if upcoming is True:
        return events.filter(starts_at__gt=now).exclude(status=Status.CANCELLED), UPCOMING_ORDERING
    if upcoming is False:
        return events.filter(starts_at__lte=now), LATEST_ORDERING
    return events, LATEST_ORDERING


def circle_events(viewer, circle: Circle, *, upcoming: bool | None = None):
    return list_events(viewer, circle_id=circle.pk, upcoming=upcoming)


def event_signups(event: Event, *, status: str | None = None) -> QuerySet[Signup]:
    signups = Signup.objects.filter(event=event).select_related("user", "event")
    if status:
        signups = signups.filter(status=status)
    return signups


SIGNUP_ORDERING = ("id",)


def visible_signups(viewer) -> QuerySet[Signup]:
    """Sign-ups a viewer may look up: their own, and every one of the events they run."""
    if not _signed_in(viewer):
        return Signup.objects.none()
    if viewer.is_brand_staff:
        return Signup.objects.all()
    return Signup.objects.filter(Q(user=viewer) | managed_events_q(viewer, "event__"))


def waitlist_positions(signup_ids: list[int]) -> dict[int, int]:
    """1-based places in their events' waitlists (arrival order) of the WAITLISTED sign-ups among `signup_ids`."""
    waiting = Signup.objects.filter(pk__in=signup_ids, status=SignupStatus.WAITLISTED)
    ahead = (
        Signup.objects.filter(event_id=OuterRef("event_id"), status=SignupStatus.WAITLISTED, id__lte=OuterRef("id"))
        .order_by()
        .values("event_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return dict(waiting.annotate(position=Subquery(ahead, output_field=IntegerField())).values_list("id", "position"))


def attendees_for_export(event: Event) -> QuerySet[Signup]:
    """Everyone signed up and not withdrawn, in arrival order, for the organizer's CSV."""
    return (
        Signup.objects.filter(event=event).exclude(status=SignupStatus.CANCELLED).select_related("user").order_by("id")
    )


# ---------------------------------------------------------------- host-led against brand-led


@dataclass(frozen=True)
class OriginStats:
    origin: str
    events: int
    signups: int
    fill_rate: float
    attendance_rate: float
    no_show_rate: float
    repeat_attendee_rate: float
    new_ties_per_attendee: float
    posts_per_event: float
    post_interactions: int = 0
    interactions_per_post: float = 0.0


# How many new ties each origin's attendances formed: {origin: (ties, attendances)}. Ties belong to
# gamification, which registers its counter here when it loads (events never imports it).
NewTiesCounter = Callable[[QuerySet], dict[str, tuple[int, int]]]
_new_ties_counter: list[NewTiesCounter] = []


def register_new_ties_counter(counter: NewTiesCounter) -> NewTiesCounter:
    _new_ties_counter[:] = [counter]
    return counter


def _ratio(numerator, denominator) -> float:
    return round(float(numerator or 0) / float(denominator), 4) if denominator else 0.0


def _outer_plus(field: str, delta: timedelta) -> ExpressionWrapper:
    return ExpressionWrapper(OuterRef(field) + Value(delta), output_field=DateTimeField())


def compare_origins(
    *, since: datetime | None = None, until: datetime | None = None, now: datetime | None = None
) -> dict[str, OriginStats]:
    """Host-led against brand-led events that start in [since, until) (default: the last 90 days),
    each figure computed in the database, a handful of grouped queries in all.

    - events: published or finished events (drafts and cancelled events are not events that happened);
    - signups: their sign-ups that were not withdrawn (confirmed, waitlisted, attended, no-show);
    - fillRate: seats taken (each sign-up counts 1 + guests) over the seats offered;
    - attendanceRate / noShowRate: over the seated sign-ups of the events that have ended, the share
      that attended / that did not (a confirmed sign-up of an ended event not yet finished is a no-show);
    - repeatAttendeeRate: of the distinct attendees, the share who attended another event (of either
      origin) that started within 90 days after the one they attended here;
    - newTiesPerAttendee: from the tie history, per attendance: the co-attendees with whom the
      attendee's tie was formed or first reached a higher level, from check-in opening to 30 days
      after the event (counted by the registered tie counter; 0 when none is installed);
    - postsPerEvent: published posts linked to the events (recaps), per event; postInteractions:
      their likes and comments, and interactionsPerPost.
    """
    now = now or timezone.now()
    until = until or now
    since = since or until - DEFAULT_COMPARISON_PERIOD
    events = Event.objects.filter(
        status__in=[Status.PUBLISHED, Status.FINISHED], starts_at__gte=since, starts_at__lt=until
    )

    per_event = {
        row["origin"]: row
        for row in events.order_by()
        .values("origin")
        .annotate(events=Count("id"), capacity=Sum("capacity"), seats=Sum("confirmed_seats"))
    }

    ended = Q(event__ends_at__lte=now)
    signups = Signup.objects.filter(event__in=events)
    per_signup = {
        row["event__origin"]: row
        for row in signups.order_by()
        .values("event__origin")
        .annotate(
            signups=Count("id", filter=~Q(status=SignupStatus.CANCELLED)),
            attended=Count("id", filter=ended & Q(status=SignupStatus.ATTENDED)),
            missed=Count("id", filter=ended & Q(status__in=[SignupStatus.NO_SHOW, SignupStatus.CONFIRMED])),
        )
    }

    attendances = signups.filter(status=SignupStatus.ATTENDED)
    came_again = Signup.objects.filter(
        user_id=OuterRef("user_id"),
        status=SignupStatus.ATTENDED,
        event__starts_at__gt=OuterRef("event__starts_at"),
        event__starts_at__lte=_outer_plus("event__starts_at", REPEAT_WINDOW),
    ).exclude(event_id=OuterRef("event_id"))
    per_attendee = {
        row["event__origin"]: row
        for row in attendances.annotate(again=Exists(came_again))
        .order_by()
        .values("event__origin")
        .annotate(
            attendees=Count("user_id", distinct=True),
            repeaters=Count("user_id", distinct=True, filter=Q(again=True)),
        )
    }

    per_tie = _new_ties_counter[0](events) if _new_ties_counter else {}

    published = Q(posts__status=ContentStatus.PUBLISHED)
    per_post = {
        row["origin"]: row
        for row in events.order_by()
        .values("origin")
        .annotate(
            interactions=Sum(F("posts__like_count") + F("posts__comment_count"), filter=published),
            recaps=Count("posts", filter=published),
        )
    }

    result: dict[str, OriginStats] = {}
    for origin in Event.Origin.values:
        e = per_event.get(origin, {})
        s = per_signup.get(origin, {})
        a = per_attendee.get(origin, {})
        ties, attendances = per_tie.get(origin, (0, 0))
        posts = per_post.get(origin, {})
        attended, missed = s.get("attended", 0), s.get("missed", 0)
        result[origin] = OriginStats(
            origin=origin,
            events=e.get("events", 0),
            signups=s.get("signups", 0),
            fill_rate=_ratio(e.get("seats"), e.get("capacity")),
            attendance_rate=_ratio(attended, attended + missed),
            no_show_rate=_ratio(missed, attended + missed),
            repeat_attendee_rate=_ratio(a.get("repeaters"), a.get("attendees")),
            new_ties_per_attendee=_ratio(ties, attendances),
            posts_per_event=_ratio(posts.get("recaps", 0), e.get("events")),
            post_interactions=int(posts.get("interactions") or 0),
            interactions_per_post=_ratio(posts.get("interactions"), posts.get("recaps")),
        )
    return result
