"""The activity stream: every service records its action here, once; consumers react after commit.

Consumers (notifications now; points, ties and scores later) register with `on_activity` and run
after the recording transaction commits, in Celery where it runs and inline otherwise. They must
be idempotent: an activity whose dispatch failed part-way is dispatched again by beat.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from community.models import Activity

logger = logging.getLogger(__name__)

ActivityConsumer = Callable[[Activity], None]
_consumers: dict[str, list[ActivityConsumer]] = defaultdict(list)

MAX_DISPATCH_ATTEMPTS = 5


class Verb:
    """Verbs recorded by the services. Apps add theirs here so the stream has one vocabulary."""

    REGISTERED = "user.registered"
    FOLLOWED = "user.followed"
    UNFOLLOWED = "user.unfollowed"
    PROFILE_UPDATED = "user.profile_updated"
    VEHICLE_ADDED = "vehicle.added"
    VEHICLE_VERIFIED = "vehicle.verified"

    # circles (circle_id is always set)
    CIRCLE_CREATED = "circle.created"
    CIRCLE_APPROVED = "circle.approved"
    CIRCLE_REJECTED = "circle.rejected"
    CIRCLE_UPDATED = "circle.updated"
    CIRCLE_ARCHIVED = "circle.archived"
    CIRCLE_JOIN_REQUESTED = "circle.join_requested"
    CIRCLE_JOIN_DECLINED = "circle.join_declined"
    # data.via: "open", "approval" (data.approved_by), "invite" or "register" (data.inviter_id)
    CIRCLE_JOINED = "circle.joined"
    CIRCLE_LEFT = "circle.left"
    # actor: the host, co-host or brand staff; data: member_id, banned, was_active
    CIRCLE_MEMBER_REMOVED = "circle.member_removed"
    CIRCLE_MEMBER_MUTED = "circle.member_muted"
    CIRCLE_MEMBER_UNBANNED = "circle.member_unbanned"
    CIRCLE_ROLE_CHANGED = "circle.role_changed"
    # data.reason: "transfer" or "succession"; data.previous_host_id, data.new_host_id
    CIRCLE_HOST_CHANGED = "circle.host_changed"
    CIRCLE_INVITE_CREATED = "circle.invite_created"
    # actor: the invitee; target: the invite; data.inviter_id (referrals, points)
    CIRCLE_INVITE_ACCEPTED = "circle.invite_accepted"
    CHAT_MESSAGE_SENT = "chat.message_sent"
    CHAT_MESSAGE_REVIEWED = "chat.message_reviewed"

    # events (recorded by the events app; circles counts them on the host dashboard)
    EVENT_PUBLISHED = "event.published"


def on_activity(*verbs: str) -> Callable[[ActivityConsumer], ActivityConsumer]:
    def register(consumer: ActivityConsumer) -> ActivityConsumer:
        for verb in verbs:
            if consumer not in _consumers[verb]:
                _consumers[verb].append(consumer)
        return consumer

    return register


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
    from community.tasks import dispatch_activity

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
