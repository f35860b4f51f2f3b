"""A worker's dispatch task takes other waiting activities along (`dispatch_many(sweep=...)`): a burst
of one-activity transactions is consumed in batches, in the order recorded, and neither beat's old
ones nor failed ones are taken."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.kernel import activity as stream
from community.kernel.models import Activity
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
