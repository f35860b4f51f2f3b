"""Workers consuming overlapping batches of a sign-up burst at once never deadlock (PostgreSQL, real threads).

The burst that found it: two worker processes each dispatching a batch of sign-ups for one popular
event, every sign-up tying its owner to the fifty who signed up just before, so the batches write the
same pairs' causes and ties. Written activity by activity in no particular order, two batches locked the
same rows in opposite orders and PostgreSQL killed one of them ("deadlock detected"): 21 failed
consumer calls in a 1,000-sign-up burst and 10 more among the cancellations, each one a retry and an
activity one step nearer the dead-letter list. Now every consumer writes its batch sorted by key (the
causes by pair and key, the ties in id order), so the batches wait for each other instead.

Every activity is consumed at the first attempt (no consumer failure, no retry) and each pair's cause
is there once; the cancellations then take every weight back.
"""

from __future__ import annotations

import logging
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from community.kernel import activity as stream
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import User
from events.models import Event
from gamification.models import Tie, TieEvent
from gamification.ties import MAX_CO_SIGNUPS
from tests.events.factories import make_event

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WORKERS = 4
OWNERS = 160


def owners(n: int) -> list[User]:
    User.objects.bulk_create([User(username=f"crowd{i:04d}", nickname=f"抢票{i}", password="!") for i in range(n)])
    return list(User.objects.filter(username__startswith="crowd").order_by("pk"))


def recorded(users: list[User], verb: str, event: Event) -> list[int]:
    """One activity per owner, as the sign-up statement writes it (committed, not dispatched yet)."""
    content_type = ContentType.objects.get_for_model(Event)
    Activity.objects.bulk_create(
        [Activity(actor=user, verb=verb, target_type=content_type, target_id=event.pk, data={}) for user in users]
    )
    return list(Activity.objects.filter(verb=verb).order_by("pk").values_list("pk", flat=True))


def dispatched_at_once(ids: list[int]) -> list[BaseException]:
    """`WORKERS` threads, each with its own connection, dispatch interleaved shares of `ids` at the same
    moment, in batches of 10 (the activities of worker w are w, w + WORKERS, ...: every batch overlaps
    every other in the pairs it writes)."""
    shares = [ids[w::WORKERS] for w in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)
    crashes: list[BaseException] = []

    def work(share: list[int]) -> None:
        try:
            barrier.wait(timeout=20)
            for start in range(0, len(share), 10):
                stream.dispatch_many(share[start : start + 10])
        except BaseException as error:  # reported by the test
            crashes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return crashes


@pytest.mark.parametrize("round_", range(2))
def test_workers_consuming_a_burst_at_once_never_deadlock_nor_retry(round_, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    event = make_event(brand=True, capacity=OWNERS * 4)
    crowd = owners(OWNERS)
    signups = recorded(crowd, Verb.EVENT_SIGNED_UP, event)

    with caplog.at_level(logging.WARNING, logger="community.kernel.activity"):
        assert dispatched_at_once(signups) == []
    failures = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert failures == [], failures
    rows = Activity.objects.filter(pk__in=signups)
    assert rows.filter(dispatched_at__isnull=True).count() == 0
    assert set(rows.values_list("dispatch_attempts", flat=True)) == {1}, "an activity was retried"
    # Every owner is tied to up to MAX_CO_SIGNUPS others, each pair's cause once (the unique index holds it).
    events = TieEvent.objects.filter(key__startswith="signed_up:")
    assert events.count() == Tie.objects.count() > OWNERS
    per_owner = {user.pk: 0 for user in crowd}
    for low, high in events.values_list("user_low_id", "user_high_id"):
        per_owner[low] += 1
        per_owner[high] += 1
    assert min(per_owner.values()) >= MAX_CO_SIGNUPS

    caplog.clear()
    cancellations = recorded(crowd, Verb.EVENT_SIGNUP_CANCELLED, event)
    with caplog.at_level(logging.WARNING, logger="community.kernel.activity"):
        assert dispatched_at_once(cancellations) == []
    failures = [r.getMessage() for r in caplog.records if "failed" in r.getMessage()]
    assert failures == [], failures
    rows = Activity.objects.filter(pk__in=cancellations)
    assert set(rows.values_list("dispatch_attempts", flat=True)) == {1}, "a cancellation was retried"
    assert not TieEvent.objects.filter(key__startswith="signed_up:").exists()
    assert not Tie.objects.exists()
