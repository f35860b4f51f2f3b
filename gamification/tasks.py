"""Nightly work of gamification. Each task is idempotent: running it twice (or twice at once) leaves
the same rows as running it once (see `gamification.ties.decay_ties` and `gamification.scores`)."""

import logging

from celery import shared_task

from gamification import scores, ties

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def decay_ties() -> int:
    touched = ties.decay_ties()
    logger.info("decayed %d ties", touched)
    return touched


@shared_task(acks_late=True)
def recompute_activity_profiles() -> int:
    users = scores.recompute_profiles()
    logger.info("recomputed %d activity profiles", users)
    return users


@shared_task(acks_late=True)
def recompute_circle_scores() -> int:
    circles = scores.recompute_circle_scores()
    logger.info("recomputed %d circle scores", circles)
    return circles


@shared_task(acks_late=True)
def nightly() -> dict:
    """Decay first, so scores count ties as they stand tonight."""
    return {
        "ties": ties.decay_ties(),
        "profiles": scores.recompute_profiles(),
        "circles": scores.recompute_circle_scores(),
    }
