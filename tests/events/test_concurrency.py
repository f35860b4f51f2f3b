"""Real concurrency on PostgreSQL: many owners pressing "sign up" (and "cancel") for the same event at once,
each thread with its own connection. Seats are never oversold and the waitlist keeps arrival order."""

from __future__ import annotations

import random
import threading

import pytest

from community.kernel import realtime
from community.kernel.errors import ServiceError
from community.kernel.verbs import Verb
from events import services
from events.models import Event, Signup
from events.selectors import waitlist_positions
from tests.events.factories import make_event
from tests.factories import UserFactory
from tests.helpers import at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(monkeypatch):
    """What the seats topic carried, in publish order."""
    sent, lock = [], threading.Lock()

    def capture(topic, payload):
        if topic.startswith("event."):
            with lock:
                sent.append(payload)
        return True

    monkeypatch.setattr(realtime, "send_now", capture)
    return sent


def check_counters(event: Event) -> Event:
    event.refresh_from_db()
    seated = sum(s.seats for s in Signup.objects.filter(event=event, status__in=Signup.SEATED))
    assert event.confirmed_seats == seated <= event.capacity
    assert event.waitlist_count == Signup.objects.filter(event=event, status="WAITLISTED").count()
    return event


def waitlist_in_arrival_order(event: Event) -> list[Signup]:
    waiting = list(Signup.objects.filter(event=event, status="WAITLISTED").order_by("id"))
    positions = waitlist_positions([s.pk for s in waiting])
    assert [positions[s.pk] for s in waiting] == list(range(1, len(waiting) + 1))
    assert [s.created_at for s in waiting] == sorted(s.created_at for s in waiting)
    return waiting


def test_fifty_owners_at_once_for_ten_seats(published):
    event = make_event(capacity=10, max_guests=0)
    users = [UserFactory() for _ in range(50)]
    outcomes = at_once([lambda u=u: services.sign_up(user=u, event_id=event.pk) for u in users])
    assert outcomes.crashes == [] and outcomes.refusals == [] and len(outcomes.results) == 50
    event = check_counters(event)
    assert (event.confirmed_seats, event.waitlist_count) == (10, 40)
    confirmed = list(Signup.objects.filter(event=event, status="CONFIRMED").order_by("id").values_list("id", flat=True))
    waiting = waitlist_in_arrival_order(event)
    # the first ten to get the event's lock took the seats; everyone after them waits, in that order
    assert max(confirmed) < min(s.pk for s in waiting)
    # every change was published, one revision each, and no state ever showed more than the capacity
    revisions = sorted(published, key=lambda p: p["revision"])
    assert [p["revision"] for p in revisions] == list(range(1, 51))
    assert [p["confirmedSeats"] for p in revisions] == [*range(1, 11), *[10] * 40]
    assert [p["waitlistCount"] for p in revisions] == [*[0] * 10, *range(1, 41)]


def test_sign_ups_and_cancellations_at_once_keep_the_seats_exact_and_the_order(published):
    event = make_event(capacity=10, max_guests=2)
    rng = random.Random(5)
    holders = [UserFactory() for _ in range(8)]
    for holder in holders:
        services.sign_up(user=holder, event_id=event.pk, guests=rng.choice([0, 0, 1]))
    early = [UserFactory() for _ in range(10)]
    for person in early:
        services.sign_up(user=person, event_id=event.pk, guests=rng.choice([0, 1, 2]))
    waiting_before = [s.pk for s in waitlist_in_arrival_order(event)]
    newcomers = [UserFactory() for _ in range(24)]
    jobs = [lambda h=h: services.cancel_signup(user=h, event_id=event.pk) for h in holders]
    jobs += [lambda n=n: services.sign_up(user=n, event_id=event.pk, guests=rng.choice([0, 1])) for n in newcomers]
    rng.shuffle(jobs)
    outcomes = at_once(jobs)
    assert outcomes.crashes == [] and outcomes.refusals == [] and len(outcomes.results) == len(jobs)
    event = check_counters(event)
    assert Signup.objects.filter(user__in=holders, status="CANCELLED").count() == len(holders)
    # nobody on the waitlist fits in the seats left (promotion skipped only those who did not fit)
    free = event.capacity - event.confirmed_seats
    waiting = waitlist_in_arrival_order(event)
    assert all(s.seats > free for s in waiting)
    # promotion went in arrival order: of the early waitlist, whoever is still waiting needed more seats
    # than were free when someone after them was seated
    promoted = list(Signup.objects.filter(pk__in=waiting_before, status="CONFIRMED").order_by("promoted_at", "id"))
    still_waiting = [s for s in Signup.objects.filter(pk__in=waiting_before, status="WAITLISTED")]
    for skipped in still_waiting:
        later = [p for p in promoted if p.pk > skipped.pk]
        assert all(p.seats < skipped.seats for p in later)
    assert sorted(p["revision"] for p in published) == list(range(1, len(published) + 1))
    assert max(p["confirmedSeats"] for p in published) <= event.capacity


def test_the_one_statement_path_takes_seats_and_refuses_like_the_general_one(published):
    """Outside a transaction on PostgreSQL a sign-up is one SQL statement; every refusal falls back to the
    general path, which says why, and nothing is written."""
    from circles import services as circle_services
    from community.kernel.models import Activity
    from tests.circles.factories import make_circle, membership
    from tests.factories import BrandStaffFactory

    member, banned, outsider, staff = UserFactory(), UserFactory(), UserFactory(), BrandStaffFactory()
    family = UserFactory()
    private = make_circle(visibility="PRIVATE", members=[member, banned, family])
    circle_services.remove_member(user=private.created_by, membership_id=membership(private, banned).pk, ban=True)
    event = make_event(circle=private, capacity=2, max_guests=1)
    first = services.sign_up(user=member, event_id=event.pk, guests=1)
    assert first.status == "CONFIRMED" and first.pk is not None
    second = services.sign_up(user=staff, event_id=event.pk)  # brand staff, not a member: the general path
    assert (second.status, waitlist_positions([second.pk])) == ("WAITLISTED", {second.pk: 1})
    refusals = []
    for user, guests in ((member, 0), (outsider, 0), (banned, 0), (family, 2)):
        with pytest.raises(ServiceError) as refused:
            services.sign_up(user=user, event_id=event.pk, guests=guests)
        refusals.append(refused.value.code)
    assert refusals == ["CONFLICT", "NOT_FOUND", "NOT_FOUND", "INVALID"]
    event = check_counters(event)
    assert (event.confirmed_seats, event.waitlist_count, Signup.objects.filter(event=event).count()) == (2, 1, 2)
    recorded = Activity.objects.get(verb=Verb.EVENT_SIGNED_UP, actor=member)
    assert recorded.target_id == event.pk and recorded.circle_id == private.pk
    assert recorded.data == {"signup_id": first.pk, "status": "CONFIRMED", "guests": 1}
    assert recorded.dispatched_at is not None  # its consumers ran (Celery eager in the tests)
    assert [(p["confirmedSeats"], p["waitlistCount"]) for p in published] == [(2, 0), (2, 1)]
