"""A worker's dispatch task takes other waiting activities along (`dispatch_many(sweep=...)`): a burst
of one-activity transactions is consumed in batches, in the order recorded, and neither beat's old
ones nor failed ones are taken."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.kernel import activity as stream
from community.kernel.models import Activity
from community.models import Follow
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VERB = "test.swept"


@pytest.fixture
def consumed():
    seen: list[int] = []

    def consumer(activity: Activity) -> None:
        seen.append(activity.pk)

    stream.on_activity(VERB)(consumer)
    yield seen
    stream.off_activity(consumer, VERB)


def waiting(user, *, ago: timedelta = timedelta(0), attempts: int = 0) -> Activity:
    """An activity committed but not dispatched yet (its task still queued)."""
    return Activity.objects.create(
        actor=user, verb=VERB, data={}, created_at=timezone.now() - ago, dispatch_attempts=attempts
    )


def test_a_task_takes_the_waiting_activities_along_in_order(consumed):
    user = UserFactory()
    burst = [waiting(user) for _ in range(5)]
    old = waiting(user, ago=timedelta(hours=1))  # beat's to redispatch
    failed = waiting(user, attempts=1)  # a consumer failed on it: beat retries it, not every task

    assert stream.dispatch_many([burst[2].pk], sweep=10) == 0

    assert consumed == [a.pk for a in burst]
    assert set(Activity.objects.filter(dispatched_at__isnull=False).values_list("pk", flat=True)) == {
        a.pk for a in burst
    }
    # the others' own tasks then find nothing left to do
    assert stream.dispatch_many([burst[0].pk, burst[4].pk], sweep=10) == 0
    assert consumed == [a.pk for a in burst]
    assert Activity.objects.get(pk=old.pk).dispatched_at is None
    assert Activity.objects.get(pk=failed.pk).dispatched_at is None


def test_the_sweep_is_bounded_and_off_by_default(consumed):
    user = UserFactory()
    burst = [waiting(user) for _ in range(6)]
    stream.dispatch_many([burst[0].pk])
    assert consumed == [burst[0].pk]
    stream.dispatch_many([burst[1].pk], sweep=2)
    assert consumed == [burst[0].pk, burst[1].pk, burst[2].pk, burst[3].pk]


class FollowsEach:
    """A batch consumer writing one row per activity in one statement (a follow of the activity's target);
    an activity whose data says `bad` makes the whole call fail, after its rows were written."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, activities: list[Activity]) -> None:
        Follow.objects.bulk_create([Follow(follower_id=a.actor_id, followee_id=a.target_id) for a in activities])
        if any((a.data or {}).get("bad") for a in activities):
            raise RuntimeError("a bad activity")
        self.calls.append([a.pk for a in activities])


@pytest.fixture
def follows_each():
    consumer = FollowsEach()
    stream.on_activities(VERB)(consumer)
    yield consumer
    stream.off_activity(consumer, VERB)


def test_a_batch_consumer_takes_the_batch_at_once(follows_each):
    user, others = UserFactory(), [UserFactory() for _ in range(4)]
    burst = [Activity.objects.create(actor=user, verb=VERB, target_id=other.pk, data={}) for other in others]
    assert stream.dispatch_many([burst[0].pk], sweep=10) == 0
    assert follows_each.calls == [[a.pk for a in burst]]
    assert Follow.objects.filter(follower=user).count() == 4


def test_a_batch_with_one_failing_activity_neither_loses_nor_redoes_the_others(follows_each):
    user, others = UserFactory(), [UserFactory() for _ in range(5)]
    burst = [
        Activity.objects.create(actor=user, verb=VERB, target_id=other.pk, data={"bad": i == 2})
        for i, other in enumerate(others)
    ]
    assert stream.dispatch_many([a.pk for a in burst]) == 1

    bad = burst[2]
    good = [a.pk for a in burst if a.pk != bad.pk]
    # The batch's call failed and was undone (its rows too); each activity then went alone: the good
    # ones consumed once each, the bad one left for beat with one attempt counted.
    assert sorted(pk for call in follows_each.calls for pk in call) == good
    assert all(len(call) == 1 for call in follows_each.calls)
    assert set(Follow.objects.filter(follower=user).values_list("followee_id", flat=True)) == {
        a.target_id for a in burst if a.pk != bad.pk
    }
    assert set(Activity.objects.filter(dispatched_at__isnull=False).values_list("pk", flat=True)) == set(good)
    assert Activity.objects.get(pk=bad.pk).dispatch_attempts == 1

    # Fixed, the bad one is consumed on its next attempt; the others are not run again.
    Activity.objects.filter(pk=bad.pk).update(data={})
    follows_each.calls.clear()
    assert stream.dispatch_many([a.pk for a in burst]) == 0
    assert follows_each.calls == [[bad.pk]]
    assert Follow.objects.filter(follower=user).count() == 5
    assert set(Activity.objects.filter(pk__in=good).values_list("dispatch_attempts", flat=True)) == {1}
