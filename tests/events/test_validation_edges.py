"""Every limit of creating an event, at exactly its value (accepted) and one past it (refused on its field):
capacity, guests per sign-up, title length, how far ahead it may start and how long it may last."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.kernel.errors import ServiceError
from events import services
from events.models import MAX_CAPACITY, MAX_GUESTS, MIN_CAPACITY, Event
from events.services.lifecycle import MAX_DAYS_AHEAD, MAX_DURATION, TITLE_MAX_LENGTH, TITLE_MIN_LENGTH
from tests.circles.factories import make_circle

pytestmark = pytest.mark.django_db

TICK = timedelta(microseconds=1)


@pytest.fixture
def create():
    circle = make_circle()
    now = timezone.now()

    def create(**overrides):
        starts = now + timedelta(days=7)
        fields = {
            "user": circle.created_by,
            "circle_id": circle.pk,
            "title": "周末南山夜游",
            "description": "晚上八点南山一棵树观景台集合。",
            "kind": "DRIVE",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=3),
            "capacity": 10,
            "max_guests_per_signup": 1,
            "now": now,
        }
        fields.update(overrides)
        if "starts_at" in overrides and "ends_at" not in overrides:
            fields["ends_at"] = fields["starts_at"] + timedelta(hours=3)
        return services.create_event(**fields)

    create.now = now
    return create


def refused_on(create, field: str, **overrides) -> None:
    count = Event.objects.count()
    with pytest.raises(ServiceError) as refused:
        create(**overrides)
    assert [(e.code, e.field) for e in refused.value.errors] == [("INVALID", field)]
    assert Event.objects.count() == count


@pytest.mark.parametrize("capacity", [MIN_CAPACITY, MAX_CAPACITY])
def test_capacity_at_exactly_its_bounds_is_accepted(create, capacity):
    assert create(capacity=capacity).capacity == capacity


@pytest.mark.parametrize("capacity", [MIN_CAPACITY - 1, MAX_CAPACITY + 1])
def test_capacity_one_past_its_bounds_is_refused(create, capacity):
    refused_on(create, "capacity", capacity=capacity)


def test_guests_per_sign_up_at_exactly_the_maximum_and_one_past(create):
    assert create(max_guests_per_signup=MAX_GUESTS).max_guests_per_signup == MAX_GUESTS
    assert create(max_guests_per_signup=0).max_guests_per_signup == 0
    refused_on(create, "maxGuestsPerSignup", max_guests_per_signup=MAX_GUESTS + 1)
    refused_on(create, "maxGuestsPerSignup", max_guests_per_signup=-1)


def test_title_length_at_exactly_its_bounds_and_one_past(create):
    assert create(title="川" * TITLE_MIN_LENGTH).title == "川" * TITLE_MIN_LENGTH
    assert create(title="川" * TITLE_MAX_LENGTH).title == "川" * TITLE_MAX_LENGTH
    refused_on(create, "title", title="川" * (TITLE_MIN_LENGTH - 1))
    refused_on(create, "title", title="川" * (TITLE_MAX_LENGTH + 1))


def test_an_event_may_start_exactly_the_maximum_days_ahead_and_not_a_tick_later(create):
    furthest = create.now + timedelta(days=MAX_DAYS_AHEAD)
    assert create(starts_at=furthest).starts_at == furthest
    refused_on(create, "startsAt", starts_at=furthest + TICK)


def test_an_event_may_start_a_tick_from_now_but_not_now(create):
    assert create(starts_at=create.now + TICK).starts_at == create.now + TICK
    refused_on(create, "startsAt", starts_at=create.now)


def test_an_event_may_last_exactly_the_maximum_duration_and_not_a_tick_longer(create):
    starts = create.now + timedelta(days=7)
    assert create(starts_at=starts, ends_at=starts + MAX_DURATION).ends_at == starts + MAX_DURATION
    refused_on(create, "endsAt", starts_at=starts, ends_at=starts + MAX_DURATION + TICK)
    refused_on(create, "endsAt", starts_at=starts, ends_at=starts)  # it must end after it starts


def test_sign_ups_may_close_exactly_at_the_end_and_not_a_tick_after(create):
    starts = create.now + timedelta(days=7)
    ends = starts + timedelta(hours=3)
    assert create(starts_at=starts, ends_at=ends, signup_closes_at=ends).signup_closes_at == ends
    refused_on(create, "signupClosesAt", starts_at=starts, ends_at=ends, signup_closes_at=ends + TICK)
    refused_on(create, "signupClosesAt", starts_at=starts, ends_at=ends, signup_closes_at=create.now)


def test_sign_ups_must_open_at_least_a_tick_before_they_close(create):
    starts = create.now + timedelta(days=7)
    closes = starts - timedelta(days=1)
    opened = create(starts_at=starts, signup_closes_at=closes, signup_opens_at=closes - TICK)
    assert opened.signup_opens_at == closes - TICK
    refused_on(create, "signupOpensAt", starts_at=starts, signup_closes_at=closes, signup_opens_at=closes)
