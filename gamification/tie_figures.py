"""Figures of the product's promise, from the tie history (`TieMilestone`, which survives decay): new
ties per event attendee, a circle's ties by month, and the brand's cohort curve. A tie is *formed* when
it first reaches ACQUAINTANCE (below that the two are still strangers) and *raised* when it first
reaches FRIEND or STRONG.

Every figure is computed in the database, set-based: correlated subqueries the planner runs per
attendance row of the events asked for, grouped queries per circle, and for the cohorts one statement
that aggregates the milestones per user and the owners per month.

A *new tie at an event* is a co-attendee with whom the attendee's tie was formed or raised a level,
from check-in opening (an hour before the start) to 30 days after the event ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth
from django.utils import timezone

from circles.models import Membership
from community.accounts.selectors import owners
from community.models import User
from events.models import Event, Signup
from events.selectors import register_new_ties_counter
from gamification.models import Tie, TieMilestone
from gamification.ties import STRONG_AT, db_time

TIE_WINDOW_BEFORE = timedelta(hours=1)  # check-in opens an hour before the start
TIE_WINDOW_AFTER = timedelta(days=30)
COHORT_DAYS = (30, 60, 90)


def _shifted(field: str, delta: timedelta) -> ExpressionWrapper:
    return ExpressionWrapper(OuterRef(field) + Value(delta), output_field=DateTimeField())


def with_new_ties(attendances: QuerySet) -> QuerySet:
    """`attendances` (ATTENDED sign-ups) annotated with `new_ties`: how many co-attendees of the same
    event the attendee formed a tie with, or raised one with to a new level, in the event's window."""
    me, them = OuterRef(OuterRef("user_id")), OuterRef("user_id")
    pair = Q(user_low_id=Least(me, them), user_high_id=Greatest(me, them))
    since = _shifted("event__starts_at", -TIE_WINDOW_BEFORE)
    until = _shifted("event__ends_at", TIE_WINDOW_AFTER)
    formed_or_raised = TieMilestone.objects.filter(pair, reached_at__gte=since, reached_at__lte=until)
    co_attendees = (
        Signup.objects.filter(event_id=OuterRef("event_id"), status=Signup.Status.ATTENDED)
        .exclude(user_id=OuterRef("user_id"))
        .filter(Exists(formed_or_raised))
        .order_by()
        .values("event_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return attendances.annotate(new_ties=Coalesce(Subquery(co_attendees, output_field=IntegerField()), Value(0)))


@register_new_ties_counter
def new_ties_by_origin(events: QuerySet) -> dict[str, tuple[int, int]]:
    """{origin: (new ties counted from each attendee's side, attendances)} for `events`."""
    attendances = Signup.objects.filter(event__in=events, status=Signup.Status.ATTENDED)
    rows = (
        with_new_ties(attendances)
        .order_by()
        .values("event__origin")
        .annotate(attendances=Count("id"), ties=Sum("new_ties"))
    )
    return {row["event__origin"]: (row["ties"] or 0, row["attendances"]) for row in rows}


# ---------------------------------------------------------------- for a circle's hosts


@dataclass(frozen=True)
class TieMonth:
    month: date
    ties_formed: int


@dataclass(frozen=True)
class EventTies:
    event_id: int
    attendees: int
    new_ties: int  # pairs of attendees whose tie was formed or raised a level around the event


@dataclass(frozen=True)
class CircleTieFigures:
    members: int
    members_with_strong_tie: int
    months: list[TieMonth]
    top_events: list[EventTies]

    @property
    def strong_tie_share(self) -> float:
        return round(self.members_with_strong_tie / self.members, 4) if self.members else 0.0


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _month_starts(months: int, now: datetime) -> list[date]:
    today = timezone.localdate(now)
    first = today.replace(day=1)
    starts = [first]
    while len(starts) < months:
        previous = starts[-1] - timedelta(days=1)
        starts.append(previous.replace(day=1))
    return list(reversed(starts))


def circle_tie_figures(circle_id: int, *, months: int = 6, top: int = 5, now: datetime | None = None):
    """Ties formed between the circle's members by month (last `months`, this one included), the share
    of members with at least one strong tie now, and the circle's events that formed the most ties."""
    now = now or timezone.now()
    members = Membership.objects.filter(circle_id=circle_id, status=Membership.Status.ACTIVE).values("user_id")
    starts = _month_starts(months, now)
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=_zone())
    by_month = {
        timezone.localdate(row["month"]) if isinstance(row["month"], datetime) else row["month"]: row["n"]
        for row in TieMilestone.objects.filter(
            level=TieMilestone.Level.ACQUAINTANCE,
            user_low_id__in=members,
            user_high_id__in=members,
            reached_at__gte=since,
        )
        .annotate(month=TruncMonth("reached_at", tzinfo=_zone()))
        .order_by()
        .values("month")
        .annotate(n=Count("id"))
    }
    strong = Tie.objects.filter(strength__gte=STRONG_AT)
    with_strong = members.filter(
        Q(user_id__in=strong.values("user_low_id")) | Q(user_id__in=strong.values("user_high_id"))
    )
    events = Event.objects.filter(
        circle_id=circle_id,
        status__in=[Event.Status.PUBLISHED, Event.Status.FINISHED],
        starts_at__gte=since,
        starts_at__lte=now,
    )
    attendances = Signup.objects.filter(event__in=events, status=Signup.Status.ATTENDED)
    per_event = (
        with_new_ties(attendances).order_by().values("event_id").annotate(attendees=Count("id"), ties=Sum("new_ties"))
    )
    ranked = sorted(
        (
            EventTies(event_id=row["event_id"], attendees=row["attendees"], new_ties=(row["ties"] or 0) // 2)
            for row in per_event
        ),
        key=lambda e: (-e.new_ties, -e.attendees, -e.event_id),
    )
    return CircleTieFigures(
        members=members.count(),
        members_with_strong_tie=with_strong.count(),
        months=[TieMonth(month=start, ties_formed=by_month.get(start, 0)) for start in starts],
        top_events=ranked[:top],
    )


# ---------------------------------------------------------------- the brand's cohort curve


@dataclass(frozen=True)
class CohortPoint:
    days: int
    measured: int  # cohort members for whom `days` have passed since they joined
    with_friend: int  # of those, with a FRIEND tie (or stronger) reached within `days`
    with_strong_tie: int

    @property
    def friend_share(self) -> float:
        return round(self.with_friend / self.measured, 4) if self.measured else 0.0

    @property
    def strong_share(self) -> float:
        return round(self.with_strong_tie / self.measured, 4) if self.measured else 0.0


@dataclass(frozen=True)
class Cohort:
    month: date
    joined: int
    points: list[CohortPoint]


def _plus_days(column: str, days: int) -> str:
    if connection.vendor == "postgresql":
        return f"({column} + interval '{int(days)} days')"
    return f"datetime({column}, '+{int(days)} days')"


def _month_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE '{settings.TIME_ZONE}', 'YYYY-MM')"
    offset = int(timezone.now().astimezone(_zone()).utcoffset().total_seconds() // 3600)
    return f"strftime('%%Y-%%m', datetime({column}, '{offset:+d} hours'))"


def tie_cohorts(
    *, months: int = 6, city: str | None = None, circle_id: int | None = None, now: datetime | None = None
) -> list[Cohort]:
    """Owners who joined in each of the last `months` months (this one included): the share with at
    least one FRIEND tie, and with at least one STRONG tie, 30, 60 and 90 days after joining. With
    `circle_id`: the circle's members, by the month they joined the circle and counted from then.
    One statement: the first FRIEND and STRONG milestone of every user (one pass over the milestones),
    joined to the cohort and grouped by month."""
    now = now or timezone.now()
    starts = _month_starts(months, now)
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=_zone())
    owner_sql, owner_params = owners().values("pk").query.sql_with_params()
    milestone, user = TieMilestone._meta.db_table, User._meta.db_table
    if circle_id is not None:
        cohort = (
            f"SELECT m.user_id AS uid, m.joined_at AS start FROM {Membership._meta.db_table} m "
            f"WHERE m.circle_id = %s AND m.status = 'ACTIVE' AND m.joined_at >= %s AND m.user_id IN ({owner_sql})"
        )
        cohort_params = [circle_id, db_time(since), *owner_params]
    else:
        cohort = (
            f"SELECT u.id AS uid, u.date_joined AS start FROM {user} u "
            f"WHERE u.date_joined >= %s AND u.id IN ({owner_sql})"
        )
        cohort_params = [db_time(since), *owner_params]
    if city:
        cohort += f" AND {'m.user_id' if circle_id is not None else 'u.id'} IN (SELECT id FROM {user} WHERE city = %s)"
        cohort_params.append(city)
    columns = []
    for days in COHORT_DAYS:
        due = f"{_plus_days('c.start', days)} <= %s"
        columns += [
            f"SUM(CASE WHEN {due} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {due} AND f.friend_at <= {_plus_days('c.start', days)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {due} AND f.strong_at <= {_plus_days('c.start', days)} THEN 1 ELSE 0 END)",
        ]
    # Owners who joined since `since` reached their milestones after it: older ones are not read (a
    # circle's members may have made friends before they joined the circle, so all count there).
    recent, recent_params = ("", []) if circle_id is not None else (" AND reached_at >= %s", [db_time(since)] * 2)
    sql = f"""
WITH firsts AS (
    SELECT uid, MIN(CASE WHEN level = 'FRIEND' THEN reached_at END) AS friend_at,
        MIN(CASE WHEN level = 'STRONG' THEN reached_at END) AS strong_at
    FROM (
        SELECT user_low_id AS uid, level, reached_at FROM {milestone} WHERE level IN ('FRIEND', 'STRONG'){recent}
        UNION ALL
        SELECT user_high_id AS uid, level, reached_at FROM {milestone} WHERE level IN ('FRIEND', 'STRONG'){recent}
    ) x GROUP BY uid
), c AS ({cohort})
SELECT {_month_of("c.start")} AS month, COUNT(*), {", ".join(columns)}
FROM c LEFT JOIN firsts f ON f.uid = c.uid
GROUP BY 1 ORDER BY 1
"""
    params = [*recent_params, *cohort_params, *([db_time(now)] * (3 * len(COHORT_DAYS)))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    result = []
    for start in starts:
        row = rows.get(f"{start:%Y-%m}")
        if row is None:
            result.append(Cohort(month=start, joined=0, points=[CohortPoint(d, 0, 0, 0) for d in COHORT_DAYS]))
            continue
        joined, rest = row[0], [int(v or 0) for v in row[1:]]
        points = [
            CohortPoint(days=days, measured=rest[3 * i], with_friend=rest[3 * i + 1], with_strong_tie=rest[3 * i + 2])
            for i, days in enumerate(COHORT_DAYS)
        ]
        result.append(Cohort(month=start, joined=joined, points=points))
    return result
