"""Fixed-window rate limits kept in the cache (Redis in production, so shared by every process)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, ServiceError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    allowed: bool
    retry_after: int


def _window_key(key: str, window: int) -> tuple[str, int]:
    now = time.time()
    bucket = int(now // window)
    namespace = getattr(settings, "RATELIMIT_NAMESPACE", "")
    return f"rl:{namespace}:{key}:{bucket}", max(1, int((bucket + 1) * window - now))


def hit(key: str, limit: int, window: int) -> Limit:
    """Count one attempt; refused once more than `limit` fall in the current window.

    If the cache is down the attempt is allowed: a rate limit must never take the API down.
    """
    cache_key, retry_after = _window_key(key, window)
    try:
        cache.add(cache_key, 0, window + 1)
        count = cache.incr(cache_key)
    except Exception:
        logger.warning("rate limit cache unavailable; allowing %s", key, exc_info=True)
        return Limit(True, 0)
    return Limit(count <= limit, retry_after if count > limit else 0)


def peek(key: str, limit: int, window: int) -> Limit:
    """Whether the next attempt would be allowed, without counting it."""
    cache_key, retry_after = _window_key(key, window)
    try:
        count = cache.get(cache_key, 0)
    except Exception:
        return Limit(True, 0)
    return Limit(count < limit, retry_after if count >= limit else 0)


def release(key: str, window: int) -> None:
    """Give back one attempt counted by `hit` (an attempt that turned out not to count)."""
    cache_key, _ = _window_key(key, window)
    try:
        if cache.get(cache_key, 0) > 0:
            cache.decr(cache_key)
    except ValueError:  # the window just ended: nothing to give back
        pass
    except Exception:
        logger.warning("rate limit cache unavailable; could not release %s", key, exc_info=True)


def reset(key: str, window: int) -> None:
    cache_key, _ = _window_key(key, window)
    try:
        cache.delete(cache_key)
    except Exception:
        logger.warning("rate limit cache unavailable; could not reset %s", key, exc_info=True)


def refused(retry_after: int) -> ServiceError:
    """The error every rate limit answers with: RATE_LIMITED, and when to try again."""
    return ServiceError(
        ErrorCode.RATE_LIMITED,
        _("Too many attempts. Try again in %(seconds)d seconds.") % {"seconds": retry_after},
        retry_after=retry_after,
    )
