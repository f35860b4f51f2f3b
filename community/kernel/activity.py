"""The activity stream: every service records its action here, once; consumers react after commit.

Consumers (notifications, points, ties, scores, the moderation log) register with `on_activity` and run
after the recording transaction commits, in Celery where it runs and inline otherwise. They must
be idempotent: an activity whose dispatch failed part-way is dispatched again by beat.

Dispatch is batched per transaction: every activity a transaction records goes to one task after
it commits (`dispatch_activities`), which reads them in one query and runs their consumers in one
transaction, instead of one task, one read and one update per activity. In a worker, a task also takes
the other waiting activities along (up to SWEEP_LIMIT a batch) and goes on with the next batch while
there are any (for up to DRAIN_SECONDS): a burst is consumed in a few big batches, and the tasks queued
behind find nothing left to do.

A consumer registered with `on_activities` takes a whole batch at once (a list of activities of its
verbs, in the order recorded) and writes with one statement per batch rather than per activity. Should
it fail on a batch, it runs again on each activity of that batch alone, so one bad activity fails
alone and the others are consumed once.

Lock order: a batch's consumers run over consecutive activities of one verb together (consumer after
consumer, in the order they were registered), and every consumer writes its rows sorted by key, so
two workers consuming overlapping batches take their locks in the same order instead of deadlocking.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from community.kernel.models import Activity, DeadLetter

logger = logging.getLogger(__name__)

ActivityConsumer = Callable[[Activity], None]
BatchConsumer = Callable[[list[Activity]], None]
_consumers: dict[str, list[ActivityConsumer]] = defaultdict(list)
# Every consumer's place in the order of registration: a batch runs its consumers in this order.
_rank: dict[Callable, int] = {}

MAX_DISPATCH_ATTEMPTS = 5
# How many other waiting activities a worker's dispatch task takes along (`dispatch_many(sweep=...)`):
# a short queue is taken whole, a long one in batches of this size (two worker processes share it).
SWEEP_LIMIT = 250
# A worker's task goes on claiming batches while activities wait, for up to this long.
DRAIN_SECONDS = 5.0


def on_activity(*verbs: str) -> Callable[[ActivityConsumer], ActivityConsumer]:
    def register(consumer: ActivityConsumer) -> ActivityConsumer:
        _rank.setdefault(consumer, len(_rank))
        for verb in verbs:
            if consumer not in _consumers[verb]:
                _consumers[verb].append(consumer)
        return consumer

    return register


def on_activities(*verbs: str) -> Callable[[BatchConsumer], BatchConsumer]:
    """Register a consumer that takes the activities of `verbs` in a batch as one list (in the order
    recorded; one activity alone when it is dispatched by itself or its batch failed)."""

    def register(consumer: BatchConsumer) -> BatchConsumer:
        consumer.takes_batch = True
        return on_activity(*verbs)(consumer)

    return register


def off_activity(consumer: ActivityConsumer, *verbs: str) -> None:
    """Stop `consumer` reacting to `verbs` (a consumer registered for a while, e.g. by a test)."""
    for verb in verbs:
        if consumer in _consumers[verb]:
            _consumers[verb].remove(consumer)


def record_activity(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    circle_id: int | None = None,
    data: dict | None = None,
) -> Activity:
    """Record one action inside the caller's transaction; consumers run once it commits."""
    activity = Activity.objects.create(
        actor=actor,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        circle_id=circle_id,
        data=data or {},
    )
    _schedule(activity.pk)
    return activity


class _Batch:
    """Activities handed to their consumers in one task once their transaction commits."""

    def __init__(self, savepoints: tuple = ()) -> None:
        self.ids: list[int] = []
        self.savepoints = savepoints
        self.flushed = False

    def flush(self) -> None:
        self.flushed = True
        if self.ids:
            _enqueue(self.ids)


_scope = threading.local()


@contextmanager
def batched():
    """Everything recorded inside goes to its consumers in one task, after the transaction that holds
    it commits (at once when there is none): for bulk work such as the demo's simulated days."""
    outer = getattr(_scope, "batch", None)
    if outer is not None:
        yield
        return
    batch = _scope.batch = _Batch()
    try:
        yield
    finally:
        _scope.batch = None
        if batch.ids:
            transaction.on_commit(batch.flush, robust=True)


def _schedule(activity_id: int) -> None:
    scoped: _Batch | None = getattr(_scope, "batch", None)
    if scoped is not None:
        scoped.ids.append(activity_id)
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:  # autocommit: the row is committed already
        _enqueue([activity_id])
        return
    # One batch per transaction (or savepoint): activities recorded at the same nesting go together.
    # A savepoint rolled back takes its batch's callback with it (and the rows it held).
    savepoints = tuple(connection.savepoint_ids)
    batch: _Batch | None = getattr(connection, "_activity_batch", None)
    if (
        batch is None
        or batch.flushed
        or batch.savepoints != savepoints
        or not any(entry[1] == batch.flush for entry in connection.run_on_commit)
    ):
        batch = _Batch(savepoints)
        connection._activity_batch = batch
        transaction.on_commit(batch.flush, robust=True)
    batch.ids.append(activity_id)


def enqueue_dispatch(activity_id: int) -> None:
    """For an activity written outside `record_activity` (one SQL statement doing several writes) and
    committed already: hand it to its consumers, as `record_activity` does after commit."""
    _enqueue([activity_id])


def _enqueue(activity_ids: list[int]) -> None:
    try:
        dispatch_activities.delay(list(activity_ids))
    except Exception:  # the broker is down: beat picks the activities up again
        logger.warning("could not enqueue activities %s; they will be redispatched", activity_ids, exc_info=True)


def dispatch(activity_id: int) -> bool:
    """Run every consumer of one activity; True when all of them succeeded."""
    return dispatch_many([activity_id]) == 0


_dispatching = threading.local()


def dispatch_memo() -> dict | None:
    """A dict that lives while one batch of activities is dispatched (None outside one): consumers keep
    there what does not change within a batch (a points rule, a badge) instead of reading it again for
    every activity of the batch."""
    return getattr(_dispatching, "memo", None)


def dispatch_many(activity_ids: list[int], *, sweep: int = 0) -> int:
    """Run the consumers of these activities, in the order they were recorded; returns how many had a
    consumer fail (left for beat to retry). One read and at most two updates for the whole batch.

    With `sweep`, up to that many other activities still waiting for their first dispatch (recorded
    within the redispatch delay; older ones are beat's) go along in the same batch, so a burst of
    one-activity transactions is consumed in batches rather than one task and one transaction each;
    their own tasks then find nothing left to do. On PostgreSQL the batch's rows are claimed with
    SKIP LOCKED, so two workers never run the same activity at once.
    """
    return _dispatch_batch(activity_ids, sweep)[1]


def _dispatch_batch(activity_ids: list[int], sweep: int) -> tuple[int, int]:
    """(activities claimed, activities with a failing consumer)."""
    outer = dispatch_memo()
    _dispatching.memo = {}
    try:
        return _dispatch_many(activity_ids, sweep)
    finally:
        _dispatching.memo = outer


def drain(activity_ids: list[int], *, sweep: int = SWEEP_LIMIT, seconds: float = DRAIN_SECONDS) -> int:
    """Dispatch these activities with a sweep, then go on with batches of the others waiting while there
    are any, for up to `seconds`: one task drains a burst. Returns how many had a consumer fail."""
    deadline = time.monotonic() + seconds
    claimed, failed = _dispatch_batch(activity_ids, sweep)
    while claimed and time.monotonic() < deadline:
        claimed, more = _dispatch_batch([], sweep)
        failed += more
    return failed


def _claim(activity_ids: list[int], sweep: int) -> list[Activity]:
    rows = Activity.objects.select_related("actor", "target_type").filter(dispatched_at__isnull=True).order_by("id")
    connection = transaction.get_connection()
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True, of=("self",))
    activities = list(rows.filter(pk__in=activity_ids)) if activity_ids else []
    if sweep:
        cutoff = timezone.now() - timedelta(seconds=settings.ACTIVITY_REDISPATCH_SECONDS)
        activities += rows.filter(created_at__gte=cutoff, dispatch_attempts=0).exclude(pk__in=activity_ids)[:sweep]
        activities.sort(key=lambda activity: activity.pk)
    return activities


def _runs(activities: list[Activity]) -> list[list[Activity]]:
    """The batch cut into runs of consecutive activities of one verb: within a run every consumer takes
    all of them together; the runs keep the order recorded (a sign-up, its cancellation, a new sign-up)."""
    runs: list[list[Activity]] = []
    for activity in activities:
        if runs and runs[-1][0].verb == activity.verb:
            runs[-1].append(activity)
        else:
            runs.append([activity])
    return runs


class _Failures:
    def __init__(self) -> None:
        self.consumers: dict[int, list[str]] = defaultdict(list)
        self.error: dict[int, str] = {}

    def add(self, activity: Activity, consumer: Callable) -> None:
        self.consumers[activity.pk].append(_name(consumer))
        self.error[activity.pk] = traceback.format_exc()[-4000:]
        logger.exception("activity consumer %s failed on activity %s", _name(consumer), activity.pk)


def _consume(consumer: Callable, run: list[Activity], failures: _Failures) -> None:
    """One consumer over a run, each call in a savepoint of its own: a failure undoes only its own work.
    A batch consumer takes the run at once; failing, it takes each activity alone."""
    if getattr(consumer, "takes_batch", False):
        if len(run) > 1:
            try:
                with transaction.atomic():
                    consumer(run)
                return
            except Exception:
                logger.warning(
                    "activity consumer %s failed on a batch of %d; each alone now", _name(consumer), len(run)
                )
        for activity in run:
            try:
                with transaction.atomic():
                    consumer([activity])
            except Exception:
                failures.add(activity, consumer)
        return
    for activity in run:
        try:
            with transaction.atomic():
                consumer(activity)
        except Exception:
            failures.add(activity, consumer)


def _dispatch_many(activity_ids: list[int], sweep: int = 0) -> tuple[int, int]:
    failures = _Failures()
    spent: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    # One transaction for the batch (one commit), each consumer in a savepoint of its own: a failing
    # consumer undoes only its own work, and what is marked dispatched is exactly what committed.
    with transaction.atomic():
        activities = _claim(activity_ids, sweep)
        claimed = time.perf_counter()
        for run in _runs(activities):
            for consumer in sorted(_consumers.get(run[0].verb, []), key=lambda c: _rank.get(c, len(_rank))):
                before = time.perf_counter()
                _consume(consumer, run, failures)
                spent[f"{_name(consumer)} ({run[0].verb})"] += time.perf_counter() - before
        failed = {
            a.pk: (a, failures.consumers[a.pk], failures.error[a.pk]) for a in activities if a.pk in failures.error
        }
        done = [a.pk for a in activities if a.pk not in failed]
        now = timezone.now()
        if done:
            Activity.objects.filter(pk__in=done).update(
                dispatched_at=now, dispatch_attempts=models.F("dispatch_attempts") + 1
            )
            # Only activities that failed before can be dead letters: no query for the usual batch.
            consumed = set(done)
            failed_before = [a.pk for a in activities if a.dispatch_attempts and a.pk in consumed]
            if failed_before:
                DeadLetter.objects.filter(activity_id__in=failed_before, resolved_at__isnull=True).update(
                    resolved_at=now
                )
        if failed:
            Activity.objects.filter(pk__in=failed).update(dispatch_attempts=models.F("dispatch_attempts") + 1)
            _dead_letters(failed, now)
    if settings.ACTIVITY_PROFILE and activities:
        _log_profile(len(activities), len(failed), claimed - started, time.perf_counter() - started, spent)
    return len(activities), len(failed)


def _log_profile(count: int, failed: int, claim: float, total: float, spent: dict[str, float]) -> None:
    per_consumer = ", ".join(
        f"{name} {seconds * 1000:.0f} ms" for name, seconds in sorted(spent.items(), key=lambda item: -item[1])
    )
    logger.warning(
        "dispatch profile: %d activities (%d failed) in %.0f ms (%.2f ms each; claim %.0f ms): %s",
        count,
        failed,
        total * 1000,
        total * 1000 / count,
        claim * 1000,
        per_consumer or "no consumers",
    )


def _name(consumer: ActivityConsumer) -> str:
    return f"{consumer.__module__}.{getattr(consumer, '__qualname__', type(consumer).__qualname__)}"


def _dead_letters(failed: dict[int, tuple[Activity, list[str], str]], now) -> None:
    """The failed activities that have used their last attempt go to the dead-letter list."""
    exhausted = Activity.objects.filter(pk__in=failed, dispatch_attempts__gte=MAX_DISPATCH_ATTEMPTS).values_list(
        "pk", "dispatch_attempts"
    )
    for activity_id, attempts in exhausted:
        _activity, consumers, error = failed[activity_id]
        DeadLetter.objects.update_or_create(
            activity_id=activity_id,
            defaults={"consumers": consumers, "error": error, "attempts": attempts, "resolved_at": None},
            create_defaults={"consumers": consumers, "error": error, "attempts": attempts, "created_at": now},
        )
        logger.error("activity %s failed %d times (%s): dead-lettered", activity_id, attempts, ", ".join(consumers))


def retry_dead_letters(dead_letter_ids: list[int]) -> tuple[int, int]:
    """Dispatch these dead-lettered activities again, now (brand staff, once the cause is fixed).

    Their attempts start again from zero, so should they still fail beat retries them as for a new
    activity before they come back here. Returns (consumed now, still failing)."""
    letters = list(DeadLetter.objects.filter(pk__in=dead_letter_ids, resolved_at__isnull=True))
    if not letters:
        return 0, 0
    activity_ids = [letter.activity_id for letter in letters]
    with transaction.atomic():
        DeadLetter.objects.filter(pk__in=[letter.pk for letter in letters]).update(retried_at=timezone.now())
        Activity.objects.filter(pk__in=activity_ids, dispatched_at__isnull=True).update(dispatch_attempts=0)
    still_failing = dispatch_many(activity_ids)
    DeadLetter.objects.filter(
        pk__in=[letter.pk for letter in letters], activity__dispatched_at__isnull=False, resolved_at__isnull=True
    ).update(resolved_at=timezone.now())
    return len(activity_ids) - still_failing, still_failing


def stale_undispatched(older_than: timedelta = timedelta(minutes=1), limit: int = 1000) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Activity.objects.filter(
            dispatched_at__isnull=True, created_at__lt=cutoff, dispatch_attempts__lt=MAX_DISPATCH_ATTEMPTS
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


# The task names are those they had in `community.tasks`: beat's schedule and queued messages use them.


@shared_task(
    name="community.tasks.dispatch_activity",
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def dispatch_activity(activity_id: int) -> bool:
    """One activity (tasks queued before dispatch was batched still arrive here)."""
    return dispatch(activity_id)


@shared_task(
    name="community.tasks.dispatch_activities",
    acks_late=True,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=True,
)
def dispatch_activities(activity_ids: list[int]) -> int:
    """Every activity one transaction recorded (and, in a worker, the others waiting, in batches of up
    to SWEEP_LIMIT, while there are any); returns how many had a consumer fail."""
    if dispatch_activities.request.is_eager:
        return dispatch_many(activity_ids)
    return drain(activity_ids)


@shared_task(name="community.tasks.redispatch_stale_activities")
def redispatch_stale_activities() -> int:
    """Beat's safety net: activities whose consumers never ran (broker down, crash) run now."""
    ids = stale_undispatched(older_than=timedelta(seconds=settings.ACTIVITY_REDISPATCH_SECONDS))
    for start in range(0, len(ids), 100):
        dispatch_many(ids[start : start + 100])
    if ids:
        logger.info("redispatched %d stale activities", len(ids))
    return len(ids)
