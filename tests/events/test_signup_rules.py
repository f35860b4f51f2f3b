"""The sign-up rules exist twice on PostgreSQL: in Python (`sign_up`'s general path) and in the one SQL
statement that takes a seat outside a transaction. These tests prove the two agree over every refusal:
for each rule, a sign-up the rule refuses writes nothing (the statement refused it too, or a row would
exist) and is refused with the general path's reason; and the statement takes seats where the rules
allow it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from circles import services as circle_services
from community.kernel.errors import ServiceError
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from events import services
from events.models import Event, Signup
from tests.circles.factories import make_circle, membership
from tests.events.factories import make_event, move
from tests.factories import BrandStaffFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _private_event():
    circle = make_circle(visibility="PRIVATE")
    return make_event(circle=circle), UserFactory()


def _banned_in_public_circle():
    banned = UserFactory()
    circle = make_circle(members=[banned])
    circle_services.remove_member(user=circle.created_by, membership_id=membership(circle, banned).pk, ban=True)
    return make_event(circle=circle), banned


def _draft():
    return make_event(publish=False), UserFactory()


def _cancelled():
    event = make_event()
    services.cancel_event(user=event.organizer, event_id=event.pk, reason="下雨")
    return event, UserFactory()


def _ended():
    return move(make_event(), starts_in=timedelta(hours=-5), duration=timedelta(hours=3)), UserFactory()


def _started_so_closed():
    return move(make_event(), starts_in=timedelta(minutes=-30), duration=timedelta(hours=3)), UserFactory()


def _window_not_open():
    event = make_event()
    Event.objects.filter(pk=event.pk).update(signup_opens_at=timezone.now() + timedelta(days=1))
    event.refresh_from_db()
    return event, UserFactory()


def _window_closed():
    event = make_event()
    Event.objects.filter(pk=event.pk).update(signup_closes_at=timezone.now() - timedelta(minutes=1))
    event.refresh_from_db()
    return event, UserFactory()


def _signed_up_already():
    event, user = make_event(), UserFactory()
    services.sign_up(user=user, event_id=event.pk)
    return event, user


# (case, how to make the event and the user, guests, the general path's code)
REFUSALS = [
    ("private circle, not a member", _private_event, 0, "NOT_FOUND"),
    ("banned from the event's public circle", _banned_in_public_circle, 0, "FORBIDDEN"),
    ("a draft", _draft, 0, "NOT_FOUND"),
    ("cancelled", _cancelled, 0, "CLOSED"),
    ("ended", _ended, 0, "CLOSED"),
    ("started: sign-ups closed at the start", _started_so_closed, 0, "CLOSED"),
    ("sign-ups not open yet", _window_not_open, 0, "CLOSED"),
    ("sign-ups closed early", _window_closed, 0, "CLOSED"),
    ("more guests than allowed", lambda: (make_event(max_guests=1), UserFactory()), 2, "INVALID"),
    ("a live sign-up already", _signed_up_already, 0, "CONFLICT"),
]


@pytest.mark.parametrize(("case", "make", "guests", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_every_rule_refuses_in_both_paths_and_nothing_is_written(case, make, guests, code):
    event, user = make()
    before = (
        Signup.objects.filter(event=event).count(),
        Activity.objects.filter(verb=Verb.EVENT_SIGNED_UP, target_id=event.pk).count(),
    )
    seats = Event.objects.values_list("confirmed_seats", "waitlist_count", "seats_revision").get(pk=event.pk)
    with pytest.raises(ServiceError) as refused:
        services.sign_up(user=user, event_id=event.pk, guests=guests)
    assert refused.value.code == code, case
    after = (
        Signup.objects.filter(event=event).count(),
        Activity.objects.filter(verb=Verb.EVENT_SIGNED_UP, target_id=event.pk).count(),
    )
    assert after == before, f"{case}: the one-statement path wrote what the rules refuse"
    assert Event.objects.values_list("confirmed_seats", "waitlist_count", "seats_revision").get(pk=event.pk) == seats


def test_the_statement_takes_what_the_rules_allow():
    """Members of a private circle, anyone on a public one, and the waitlist once seats run out."""
    member = UserFactory()
    private = make_event(circle=make_circle(visibility="PRIVATE", members=[member]), capacity=2, max_guests=1)
    public = make_event(capacity=1, max_guests=0)
    taken = services.sign_up(user=member, event_id=private.pk, guests=1)
    first = services.sign_up(user=UserFactory(), event_id=public.pk)
    waiting = services.sign_up(user=UserFactory(), event_id=public.pk)
    brand = services.sign_up(user=BrandStaffFactory(), event_id=private.pk)  # not a member: the general path
    assert [s.status for s in (taken, first, waiting, brand)] == ["CONFIRMED", "CONFIRMED", "WAITLISTED", "WAITLISTED"]
    assert Activity.objects.filter(verb=Verb.EVENT_SIGNED_UP).count() == 4
