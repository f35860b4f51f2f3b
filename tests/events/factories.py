"""Events for tests: made through the services (so counters, the stream and notifications are real), then
moved in time as rows where a test needs an event that has started or ended."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from events import services
from events.models import Event
from tests.circles.factories import make_circle
from tests.factories import BrandStaffFactory


def make_event(
    *,
    organizer=None,
    circle=None,
    brand: bool = False,
    capacity: int = 10,
    max_guests: int = 2,
    starts_in: timedelta = timedelta(days=3),
    duration: timedelta = timedelta(hours=3),
    publish: bool = True,
    title: str = "周末南山夜游",
    kind: str = "DRIVE",
    **fields,
) -> Event:
    """A published event (a draft with publish=False): host-led in `circle` (a new public circle by
    default, organized by its host) or brand-led (`brand=True`, with or without a circle)."""
    if brand:
        organizer = organizer or BrandStaffFactory()
    else:
        circle = circle or make_circle()
        organizer = organizer or circle.created_by
    starts_at = timezone.now() + starts_in
    return services.create_event(
        user=organizer,
        title=title,
        description="晚上八点南山一棵树观景台集合，一起看重庆夜景。",
        kind=kind,
        circle_id=circle.pk if circle is not None else None,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        capacity=capacity,
        max_guests_per_signup=max_guests,
        publish=publish,
        **fields,
    )


def move(event: Event, *, starts_in: timedelta, duration: timedelta = timedelta(hours=3), **fields) -> Event:
    """Put the event's start `starts_in` from now (negative: in the past), as if time had passed."""
    starts_at = timezone.now() + starts_in
    Event.objects.filter(pk=event.pk).update(starts_at=starts_at, ends_at=starts_at + duration, **fields)
    event.refresh_from_db()
    return event
