"""Who may write to whom at once, and the hook through which the ties (gamification, above) say how
well two owners know each other: gamification fills it in its `AppConfig.ready()`, so this app never
imports it."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from circles.models import Membership
from community.models import Follow

# The tie levels from which owners may write at once (gamification's names).
WRITE_AT_ONCE_LEVELS = frozenset({"ACQUAINTANCE", "FRIEND", "STRONG"})

_tie_level: list[Callable[[int, int], str]] = []


def tell_tie_levels_with(level_between: Callable[[int, int], str]) -> None:
    """`level_between(a, b)` names the pair's tie level (STRANGER when they have none)."""
    _tie_level[:] = [level_between]


def tie_level(a_id: int, b_id: int) -> str:
    return _tie_level[0](a_id, b_id) if _tie_level else "STRANGER"


def mutual_followers(a_id: int, b_id: int) -> bool:
    pair = Q(follower_id=a_id, followee_id=b_id) | Q(follower_id=b_id, followee_id=a_id)
    return Follow.objects.filter(pair).count() == 2


def share_a_circle(a_id: int, b_id: int) -> bool:
    mine = Membership.objects.filter(user_id=a_id, status=Membership.Status.ACTIVE).values("circle_id")
    return Membership.objects.filter(user_id=b_id, status=Membership.Status.ACTIVE, circle_id__in=mine).exists()


def may_write_at_once(a_id: int, b_id: int) -> bool:
    """Mutual followers, members of a shared circle, or a tie of ACQUAINTANCE or more."""
    return mutual_followers(a_id, b_id) or share_a_circle(a_id, b_id) or tie_level(a_id, b_id) in WRITE_AT_ONCE_LEVELS
