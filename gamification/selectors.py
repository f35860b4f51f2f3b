"""Reads of gamification that are more than a lookup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Min, QuerySet
from django.utils import timezone

from circles.models import Circle, Membership
from community.accounts.selectors import owners
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from gamification.models import PointsAccount, PointsTransaction, Reward, Tie
from gamification.ties import LEVEL_FLOOR, STRONG_AT


def rewards_on_sale() -> QuerySet[Reward]:
    """The points mall: rewards brand staff put on sale, sold-out ones included (shown with stock 0)."""
    return Reward.objects.filter(active=True)


def transactions_of(account: PointsAccount) -> QuerySet[PointsTransaction]:
    if account.pk is None:
        return PointsTransaction.objects.none()
    return PointsTransaction.objects.filter(account_id=account.pk)


def can_see_points(viewer, user_id: int) -> bool:
    """Points are private: the user themself and brand staff only."""
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.pk == user_id or viewer.is_brand_staff


# ---------------------------------------------------------------- ties, scores, leaderboards


def ties_of(user_id: int, *, min_level: str | None = None):
    """The user's ties (either side of the pair), both users joined in the same query."""
    from django.db.models import Q

    ties = Tie.objects.filter(Q(user_low_id=user_id) | Q(user_high_id=user_id)).select_related("user_low", "user_high")
    if min_level and LEVEL_FLOOR.get(min_level, 0) > 0:
        ties = ties.filter(strength__gte=LEVEL_FLOOR[min_level])
    return ties


def can_see_activity(viewer, user_id: int) -> bool:
    """Activity profiles, like points: the user themself and brand staff only."""
    return can_see_points(viewer, user_id)


def period_start(period: str, now=None):
    """WEEK: since Monday 00:00 local time; MONTH: since the 1st; ALL_TIME: None."""
    from django.utils import timezone

    now = timezone.localtime(now or timezone.now())
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "WEEK":
        return midnight - timedelta(days=midnight.weekday())
    if period == "MONTH":
        return midnight.replace(day=1)
    return None


def leaderboard(*, scope: str, period: str, limit: int, circle_id: int | None = None, city: str | None = None):
    """[(user_id, points)] by points earned in the period (earnings minus take-backs; spending does
    not count), best first, ties broken by user id: one grouped query over the ledger."""
    from django.db.models import Sum

    entries = PointsTransaction.objects.filter(kind__in=["EARN", "REVOKE"], account__user_id__in=owners().values("pk"))
    start = period_start(period)
    if start is not None:
        entries = entries.filter(created_at__gte=start)
    if scope == "CITY":
        entries = entries.filter(account__user__city=city)
    elif scope == "CIRCLE":
        members = Membership.objects.filter(circle_id=circle_id, status=Membership.Status.ACTIVE).values("user_id")
        entries = entries.filter(account__user_id__in=members)
    rows = (
        entries.values("account__user_id")
        .annotate(score=Sum("amount"))
        .filter(score__gt=0)
        .order_by("-score", "account__user_id")[:limit]
    )
    return [(row["account__user_id"], row["score"]) for row in rows]


def circle_ranking(*, limit: int, city: str | None = None):
    circles = Circle.objects.filter(status=Circle.Status.ACTIVE, visibility=Circle.Visibility.PUBLIC)
    if city:
        circles = circles.filter(city=city)
    return list(circles.order_by("-activity_score", "id")[:limit])


# ---------------------------------------------------------------- strong ties, for the brand


@dataclass(frozen=True)
class StrongTieWeek:
    week_start: date
    new_members: int
    cumulative: int


@dataclass(frozen=True)
class StrongTieFigures:
    members: int
    members_with_strong_tie: int
    weeks: list[StrongTieWeek]

    @property
    def share(self) -> float:
        return round(self.members_with_strong_tie / self.members, 4) if self.members else 0.0


def strong_tie_figures(*, weeks: int = 8, now: datetime | None = None) -> StrongTieFigures:
    """How many members have at least one strong tie now, and how many reached their first one each
    week (from `tie.became_strong` in the activity stream, so the history survives decay)."""
    now = now or timezone.now()
    members = owners().values("pk")
    strong = Tie.objects.filter(strength__gte=STRONG_AT)
    with_strong_tie = (
        strong.filter(user_low_id__in=members)
        .values_list("user_low_id", flat=True)
        .union(strong.filter(user_high_id__in=members).values_list("user_high_id", flat=True))
    )
    firsts = (
        Activity.objects.filter(verb=Verb.TIE_BECAME_STRONG, actor_id__in=members)
        .values("actor_id")
        .annotate(first=Min("created_at"))
        .values_list("first", flat=True)
    )
    today = timezone.localdate(now)
    this_week = today - timedelta(days=today.weekday())
    starts = [this_week - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    counts = dict.fromkeys(starts, 0)
    before = 0
    for first in firsts:
        day = timezone.localdate(first)
        week = day - timedelta(days=day.weekday())
        if week < starts[0]:
            before += 1
        elif week in counts:
            counts[week] += 1
    rows, running = [], before
    for start in starts:
        running += counts[start]
        rows.append(StrongTieWeek(week_start=start, new_members=counts[start], cumulative=running))
    return StrongTieFigures(
        members=owners().count(),
        members_with_strong_tie=with_strong_tie.count(),
        weeks=rows,
    )
