"""The new-user sandbox: young or barely active accounts get tighter limits, like a forum's trust levels.

Fake accounts that fake activity (水军) are new accounts posting a lot, fast. A regular member is
limited generously; a sandboxed one (younger than NEW_USER_DAYS, or with fewer than
NEW_USER_ACTIONS recorded actions) gets the `sandbox` column of LIMITS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.models import Activity
from community.safety import ratelimit


@dataclass(frozen=True)
class Limit:
    per_window: int
    window_seconds: int


def _limits() -> dict[str, dict[str, Limit]]:
    hour, day = 3600, 86400
    return {
        "post": {"member": Limit(30, hour), "sandbox": Limit(3, hour)},
        "comment": {"member": Limit(120, hour), "sandbox": Limit(10, hour)},
        "image": {"member": Limit(300, day), "sandbox": Limit(9, day)},
        "chat": {"member": Limit(30, 60), "sandbox": Limit(10, 60)},
        "dm": {"member": Limit(30, 60), "sandbox": Limit(10, 60)},
        # conversations a new account may open a day (each first message to someone new)
        "dm_new": {"member": Limit(50, day), "sandbox": Limit(5, day)},
        "report": {"member": Limit(30, hour), "sandbox": Limit(5, hour)},
        "profile": {"member": Limit(30, hour), "sandbox": Limit(10, hour)},
    }


def is_sandboxed(user) -> bool:
    if user.is_brand_staff:
        return False
    if timezone.now() - user.date_joined < timedelta(days=settings.NEW_USER_DAYS):
        return True
    return Activity.objects.filter(actor=user).count() < settings.NEW_USER_ACTIONS


def tier(user) -> str:
    return "sandbox" if is_sandboxed(user) else "member"


def spend(user, kind: str, amount: int = 1) -> None:
    """Count `amount` actions of `kind` for `user`; RATE_LIMITED (with when to retry) past the limit."""
    limit = _limits()[kind][tier(user)]
    key = f"trust:{kind}:{user.pk}"
    for _attempt in range(amount):
        result = ratelimit.hit(key, limit.per_window, limit.window_seconds)
        if not result.allowed:
            if tier(user) == "sandbox":
                message = _(
                    "New accounts can do this %(count)d times per period. Try again in %(seconds)d seconds."
                ) % {"count": limit.per_window, "seconds": result.retry_after}
                raise ServiceError(ErrorCode.RATE_LIMITED, message, retry_after=result.retry_after)
            raise ratelimit.refused(result.retry_after)
