"""Levels from lifetime points earned: the thresholds live here and nowhere else.

Spending never lowers a level; only taking back points that should not have been earned does.
"""

from __future__ import annotations

from bisect import bisect_right

from django.utils.translation import gettext_lazy as _

# LEVEL_THRESHOLDS[n] is the lifetime points at which level n + 1 starts.
LEVEL_THRESHOLDS: tuple[int, ...] = (0, 100, 300, 700, 1500, 3000, 6000, 12000, 25000, 50000)
TOP_LEVEL = len(LEVEL_THRESHOLDS)
# LEVEL_NAMES[n] names level n + 1, in the reader's language.
LEVEL_NAMES = (
    _("New driver"),
    _("Learner"),
    _("Road regular"),
    _("City cruiser"),
    _("Highway hand"),
    _("Road tripper"),
    _("Seasoned driver"),
    _("Club veteran"),
    _("Road master"),
    _("Community legend"),
)
assert len(LEVEL_NAMES) == TOP_LEVEL


def level_name(level: int) -> str:
    """The name of a level (1 to TOP_LEVEL), in the active language."""
    return str(LEVEL_NAMES[max(1, min(level, TOP_LEVEL)) - 1])


def level_for(lifetime_earned: int) -> int:
    return max(1, bisect_right(LEVEL_THRESHOLDS, max(lifetime_earned, 0)))


def level_starts_at(lifetime_earned: int) -> int:
    """Lifetime points at which the current level started (for a progress bar towards the next)."""
    return LEVEL_THRESHOLDS[level_for(lifetime_earned) - 1]


def next_level_at(lifetime_earned: int) -> int | None:
    """Lifetime points at which the next level starts; None at the top level."""
    level = level_for(lifetime_earned)
    return LEVEL_THRESHOLDS[level] if level < TOP_LEVEL else None
