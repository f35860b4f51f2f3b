"""Consumers meeting their own earlier work (a concurrent twin, a redelivered activity) add nothing and do not fail.

The burst that found it: 300 sign-ups made the ties consumer raise IntegrityError (`tie_event_once`)
176 times, leaving activities one failure away from the dead-letter list. Now the insert ignores
what a twin inserted meanwhile, on PostgreSQL with real threads.
"""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from community.kernel import activity as stream
from community.kernel.models import Activity, DeadLetter
from community.kernel.verbs import Verb
from community.models import Follow
from gamification.models import Tie, TieEvent
from gamification.ties import Weight
from tests.factories import UserFactory
from tests.helpers import at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("round_", range(3))
def test_both_follows_of_a_mutual_follow_consumed_at_once_add_the_tie_once_without_a_failure(round_, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    a, b = UserFactory(), UserFactory()
    Follow.objects.create(follower=a, followee=b)
    Follow.objects.create(follower=b, followee=a)
    # Both follows' activities, each dispatched by its own worker at the same moment (and a redelivery
    # of each): every copy finds the pair mutual and tries to add the same cause to the tie.
    activities = [
        Activity.objects.create(actor=a, verb=Verb.FOLLOWED, target_id=b.pk),
        Activity.objects.create(actor=b, verb=Verb.FOLLOWED, target_id=a.pk),
    ]
    failed: list[int] = []
    with caplog.at_level(logging.ERROR, logger="community.kernel.activity"):
        outcomes = at_once(
            [
                lambda activity=activity: failed.append(stream.dispatch_many([activity.pk]))
                for activity in activities * 2
            ]
        )
    assert outcomes.crashes == []
    assert failed == [0, 0, 0, 0], caplog.text
    assert "IntegrityError" not in caplog.text
    low, high = sorted((a.pk, b.pk))
    assert TieEvent.objects.filter(user_low_id=low, user_high_id=high, key="mutual_follow").count() == 1
    tie = Tie.objects.get(user_low_id=low, user_high_id=high)
    assert tie.raw_strength == pytest.approx(Weight.MUTUAL_FOLLOW, rel=1e-3)
    assert Activity.objects.filter(pk__in=[x.pk for x in activities], dispatched_at__isnull=False).count() == 2
    assert not DeadLetter.objects.exists()


def test_a_redelivered_activity_adds_nothing_the_second_time():
    a, b = UserFactory(), UserFactory()
    Follow.objects.create(follower=a, followee=b)
    Follow.objects.create(follower=b, followee=a)
    activity = Activity.objects.create(actor=a, verb=Verb.FOLLOWED, target_id=b.pk)
    assert stream.dispatch_many([activity.pk]) == 0
    Activity.objects.filter(pk=activity.pk).update(dispatched_at=None)  # as if its task ran again
    assert stream.dispatch_many([activity.pk]) == 0
    assert TieEvent.objects.count() == 1
    assert Tie.objects.get().raw_strength == pytest.approx(Weight.MUTUAL_FOLLOW, rel=1e-3)
