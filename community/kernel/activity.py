"""The activity stream: every service records its action here, once; consumers react after commit.

Consumers (notifications, points, ties, scores, the moderation log) register with `on_activity` and run
after the recording transaction commits, in Celery where it runs and inline otherwise. They must
be idempotent: an activity whose dispatch failed part-way is dispatched again by beat.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from community.kernel.models import Activity

logger = logging.getLogger(__name__)

ActivityConsumer = Callable[[Activity], None]
_consumers: dict[str, list[ActivityConsumer]] = defaultdict(list)

MAX_DISPATCH_ATTEMPTS = 5


def on_activity(*verbs: str) -> Callable[[ActivityConsumer], ActivityConsumer]:
    def register(consumer: ActivityConsumer) -> ActivityConsumer:
        for verb in verbs:
            if consumer not in _consumers[verb]:
                _consumers[verb].append(consumer)
        return consumer

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
    transaction.on_commit(lambda: _enqueue(activity.pk), robust=True)
    return activity


def enqueue_dispatch(activity_id: int) -> None:
    """For an activity written outside `record_activity` (one SQL statement doing several writes) and
    committed already: hand it to its consumers, as `record_activity` does after commit."""
    _enqueue(activity_id)


def _enqueue(activity_id: int) -> None:
    try:
        dispatch_activity.delay(activity_id)
    except Exception:  # the broker is down: beat picks the activity up again
        logger.warning("could not enqueue activity %s; it will be redispatched", activity_id, exc_info=True)


def dispatch(activity_id: int) -> bool:
    """Run every consumer of one activity; True when all of them succeeded."""
    activity = Activity.objects.select_related("actor", "target_type").filter(pk=activity_id).first()
    if activity is None or activity.dispatched_at is not None:
        return True
    ok = True
    for consumer in _consumers.get(activity.verb, []):
        try:
            with transaction.atomic():
                consumer(activity)
        except Exception:
            ok = False
            logger.exception("activity consumer %s failed on activity %s", consumer.__qualname__, activity_id)
    Activity.objects.filter(pk=activity_id).update(
        dispatched_at=timezone.now() if ok else None,
        dispatch_attempts=models.F("dispatch_attempts") + 1,
    )
    return ok


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
    return dispatch(activity_id)


@shared_task(name="community.tasks.redispatch_stale_activities")
def redispatch_stale_activities() -> int:
    """Beat's safety net: activities whose consumers never ran (broker down, crash) run now."""
    ids = stale_undispatched(older_than=timedelta(seconds=settings.ACTIVITY_REDISPATCH_SECONDS))
    for activity_id in ids:
        dispatch(activity_id)
    if ids:
        logger.info("redispatched %d stale activities", len(ids))
    return len(ids)
