"""Activity scores, lifecycle and maturity per user, and circle activity scores: recomputed nightly.

Everything here is set-based: the user profiles are one `INSERT ... SELECT ... ON CONFLICT DO
UPDATE` over the activity stream aggregated per user (PostgreSQL and SQLite both accept it), the
circles a few grouped queries and one UPDATE. Runs are idempotent (same inputs, same rows) and
serialised: on PostgreSQL by a transaction-level advisory lock, on SQLite by its single writer.

User activity score, 0 to 100 (DESIGN.md: recency, frequency, contribution):

    recency      40 × max(0, 1 − days since last activity / 30)
    frequency    30 × active days in the last 30 / 30
    contribution 30 × min(1, points / 60), points over the last 30 days =
                 3 × posts + 1 × comments received + 5 × events attended + 8 × attendees hosted
                 + 2 × ties at FRIEND or above (any age)

Activities the user did not do themself are not theirs: the stream's `tie.*` rows (a tie reached a level
because someone else acted) count neither for recency nor for engagement.

Lifecycle from days since the last activity (the join date for users who never acted): ACTIVE up
to 7, DECLINING up to 30, LAPSED up to 90, DORMANT beyond.

Maturity from tenure (days since joining) and lifetime engagement (activities ever recorded):
MATURE from 180 days and 60 activities, GROWING from 30 days and 10 activities, NOVICE otherwise.

Circle activity score, 0 to 100, over the last 7 days:

    40 × share of active members who did anything
    + 20 × min(1, posts / 10) + 20 × min(1, event attendances / 20) + 20 × min(1, new ties / 10)

where a new tie is a tie created this week between two active members of the circle.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from circles.models import Circle, Membership
from community.accounts.selectors import owners
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import User
from gamification.models import Lifecycle, Maturity, Tie, UserActivityProfile
from gamification.ties import FRIEND_AT, db_time

# ---------------------------------------------------------------- thresholds: here only

LIFECYCLE_DAYS: tuple[tuple[int, str], ...] = (
    (7, Lifecycle.ACTIVE),
    (30, Lifecycle.DECLINING),
    (90, Lifecycle.LAPSED),
)  # beyond the last: DORMANT
MATURITY_RULES: tuple[tuple[int, int, str], ...] = (
    (180, 60, Maturity.MATURE),  # at least this many days of tenure and lifetime activities
    (30, 10, Maturity.GROWING),
)  # otherwise NOVICE
WINDOW_DAYS = 30
RECENCY_POINTS, FREQUENCY_POINTS, CONTRIBUTION_POINTS = 40, 30, 30
CONTRIBUTION_FULL_AT = 60
CONTRIBUTION_WEIGHTS = {"posts": 3, "comments_received": 1, "attended": 5, "hosted": 8, "ties": 2}

CIRCLE_WEEK_DAYS = 7
CIRCLE_WEIGHTS = {"active_share": 40, "posts": 20, "attendance": 20, "new_ties": 20}
CIRCLE_FULL_AT = {"posts": 10, "attendance": 20, "new_ties": 10}

LOCK_KEY = zlib.crc32(b"gamification.nightly") & 0x7FFFFFFF


def _lock() -> None:
    """Serialise nightly runs (a second run waits, then recomputes the same rows)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _days_since(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(EPOCH FROM (%s::timestamptz - {column})) / 86400.0)"
    return f"(julianday(%s) - julianday({column}))"


def _json_int(column: str, key: str) -> str:
    if connection.vendor == "postgresql":
        return f"NULLIF({column} ->> '{key}', '')::bigint"
    return f"CAST(json_extract({column}, '$.{key}') AS INTEGER)"


def _day(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(({column} AT TIME ZONE 'UTC') AS date)"
    return f"date({column})"


def lifecycle_sql(days: str) -> str:
    whens = " ".join(f"WHEN {days} <= {limit} THEN '{name}'" for limit, name in LIFECYCLE_DAYS)
    return f"CASE {whens} ELSE '{Lifecycle.DORMANT}' END"


def maturity_sql(tenure: str, lifetime: str) -> str:
    whens = " ".join(
        f"WHEN {tenure} >= {days} AND {lifetime} >= {actions} THEN '{name}'" for days, actions, name in MATURITY_RULES
    )
    return f"CASE {whens} ELSE '{Maturity.NOVICE}' END"


def recompute_profiles(now: datetime | None = None) -> int:
    """Every user's profile as of `now`, in one statement; returns the number of users."""
    now = now or timezone.now()
    since = now - timedelta(days=WINDOW_DAYS)
    activity, user, tie = Activity._meta.db_table, User._meta.db_table, Tie._meta.db_table
    profile = UserActivityProfile._meta.db_table
    w = CONTRIBUTION_WEIGHTS
    points = (
        f"({w['posts']} * s.posts + {w['comments_received']} * s.comments_received + {w['attended']} * s.attended"
        f" + {w['hosted']} * s.hosted + {w['ties']} * s.ties)"
    )
    sql = f"""
WITH agg AS (
    SELECT actor_id AS uid, MAX(created_at) AS last_at, COUNT(*) AS lifetime,
        COUNT(DISTINCT CASE WHEN created_at >= %s THEN {_day("created_at")} END) AS days30,
        SUM(CASE WHEN created_at >= %s AND verb = 'post.created' THEN 1 ELSE 0 END) AS posts,
        SUM(CASE WHEN created_at >= %s AND verb = 'event.attended' THEN 1 ELSE 0 END) AS attended,
        SUM(CASE WHEN created_at >= %s AND verb = 'event.hosted' THEN 1 ELSE 0 END) AS hosted
    FROM {activity} WHERE verb NOT LIKE 'tie.%%' GROUP BY actor_id
), received AS (
    SELECT {_json_int("data", "post_author")} AS uid, COUNT(*) AS n
    FROM {activity} WHERE verb = 'comment.created' AND created_at >= %s GROUP BY 1
), tied AS (
    SELECT uid, COUNT(*) AS n FROM (
        SELECT user_low_id AS uid FROM {tie} WHERE strength >= {FRIEND_AT}
        UNION ALL SELECT user_high_id AS uid FROM {tie} WHERE strength >= {FRIEND_AT}
    ) t GROUP BY uid
), s AS (
    SELECT u.id AS uid, u.date_joined AS joined, agg.last_at AS last_at,
        COALESCE(agg.lifetime, 0) AS lifetime, COALESCE(agg.days30, 0) AS days30,
        COALESCE(agg.posts, 0) AS posts, COALESCE(agg.attended, 0) AS attended,
        COALESCE(agg.hosted, 0) AS hosted, COALESCE(received.n, 0) AS comments_received,
        COALESCE(tied.n, 0) AS ties,
        {_days_since("COALESCE(agg.last_at, u.date_joined)")} AS idle,
        {_days_since("u.date_joined")} AS tenure
    FROM {user} u
    LEFT JOIN agg ON agg.uid = u.id
    LEFT JOIN received ON received.uid = u.id
    LEFT JOIN tied ON tied.uid = u.id
), points AS (
    SELECT s.*,
        CASE WHEN s.idle >= {WINDOW_DAYS} OR s.last_at IS NULL THEN 0
             ELSE {RECENCY_POINTS} * (1 - s.idle / {WINDOW_DAYS}.0) END AS recency,
        {FREQUENCY_POINTS} * (CASE WHEN s.days30 > {WINDOW_DAYS} THEN {WINDOW_DAYS} ELSE s.days30 END)
            / {WINDOW_DAYS}.0 AS frequency,
        CASE WHEN {points} >= {CONTRIBUTION_FULL_AT} THEN {CONTRIBUTION_POINTS}
             ELSE {CONTRIBUTION_POINTS} * {points} / {CONTRIBUTION_FULL_AT}.0 END AS contribution
    FROM s
)
INSERT INTO {profile}
    (user_id, activity_score, lifecycle, maturity, last_active_at, active_days_30, lifetime_actions,
     idle_days, tenure_days, recency_points, frequency_points, contribution_points,
     posts_30, comments_received_30, attended_30, hosted_30, friend_ties, computed_at)
SELECT s.uid, s.recency + s.frequency + s.contribution,
    {lifecycle_sql("s.idle")},
    {maturity_sql("s.tenure", "s.lifetime")},
    s.last_at, s.days30, s.lifetime,
    CASE WHEN s.idle > 0 THEN s.idle ELSE 0 END, CASE WHEN s.tenure > 0 THEN s.tenure ELSE 0 END,
    s.recency, s.frequency, s.contribution,
    s.posts, s.comments_received, s.attended, s.hosted, s.ties, %s
FROM points s WHERE true
ON CONFLICT (user_id) DO UPDATE SET
    activity_score = excluded.activity_score, lifecycle = excluded.lifecycle, maturity = excluded.maturity,
    last_active_at = excluded.last_active_at, active_days_30 = excluded.active_days_30,
    lifetime_actions = excluded.lifetime_actions, idle_days = excluded.idle_days,
    tenure_days = excluded.tenure_days, recency_points = excluded.recency_points,
    frequency_points = excluded.frequency_points, contribution_points = excluded.contribution_points,
    posts_30 = excluded.posts_30, comments_received_30 = excluded.comments_received_30,
    attended_30 = excluded.attended_30, hosted_30 = excluded.hosted_30, friend_ties = excluded.friend_ties,
    computed_at = excluded.computed_at
"""
    t_now, t_since = db_time(now), db_time(since)
    params = [t_since] * 5 + [t_now, t_now, t_now]
    with transaction.atomic():
        _lock()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if cursor.rowcount >= 0:
                return cursor.rowcount
        # SQLite reports no row count for a statement starting with WITH.
        return UserActivityProfile.objects.filter(computed_at=now).count()


def recompute_circle_scores(now: datetime | None = None) -> int:
    """Every active circle's score for the last 7 days (formula in the module docstring)."""
    now = now or timezone.now()
    since = now - timedelta(days=CIRCLE_WEEK_DAYS)
    active_members = Membership.objects.filter(status=Membership.Status.ACTIVE, circle__status=Circle.Status.ACTIVE)
    recent = Activity.objects.filter(created_at__gte=since)
    members = dict(active_members.values_list("circle_id").annotate(n=Count("id")).order_by())
    active = dict(
        active_members.filter(user_id__in=recent.values("actor_id"))
        .values_list("circle_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {
        (row["circle_id"], row["verb"]): row["n"]
        for row in recent.filter(circle_id__isnull=False, verb__in=[Verb.POST_CREATED, Verb.EVENT_ATTENDED])
        .values("circle_id", "verb")
        .annotate(n=Count("id"))
        .order_by()
    }
    new_ties = _new_ties_per_circle(since)
    scores: dict[int, float] = {}
    for circle_id in Circle.objects.filter(status=Circle.Status.ACTIVE).values_list("pk", flat=True):
        total = members.get(circle_id, 0)
        share = active.get(circle_id, 0) / total if total else 0.0
        score = CIRCLE_WEIGHTS["active_share"] * share
        for name, value in (
            ("posts", counts.get((circle_id, Verb.POST_CREATED), 0)),
            ("attendance", counts.get((circle_id, Verb.EVENT_ATTENDED), 0)),
            ("new_ties", new_ties.get(circle_id, 0)),
        ):
            score += CIRCLE_WEIGHTS[name] * min(1.0, value / CIRCLE_FULL_AT[name])
        scores[circle_id] = round(score, 4)
    with transaction.atomic():
        _lock()
        Circle.objects.exclude(status=Circle.Status.ACTIVE).exclude(activity_score=0).update(activity_score=0)
        objs = [Circle(pk=pk, activity_score=score) for pk, score in scores.items()]
        Circle.objects.bulk_update(objs, ["activity_score"], batch_size=500)
    return len(scores)


def _new_ties_per_circle(since: datetime) -> dict[int, int]:
    membership = Membership._meta.db_table
    tie = Tie._meta.db_table
    sql = f"""
SELECT a.circle_id, COUNT(*) FROM {tie} t
JOIN {membership} a ON a.user_id = t.user_low_id AND a.status = 'ACTIVE'
JOIN {membership} b ON b.user_id = t.user_high_id AND b.status = 'ACTIVE' AND b.circle_id = a.circle_id
WHERE t.created_at >= %s GROUP BY a.circle_id
"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [db_time(since)])
        return dict(cursor.fetchall())


# ---------------------------------------------------------------- segments


def segment_matrix(city: str | None = None) -> dict:
    profiles = UserActivityProfile.objects.filter(user_id__in=owners().values("pk"))
    if city:
        profiles = profiles.filter(user__city=city)
    counts = {
        (row["maturity"], row["lifecycle"]): row["n"]
        for row in profiles.values("maturity", "lifecycle").annotate(n=Count("user_id")).order_by()
    }
    cells = [
        {"maturity": m, "lifecycle": lc, "users": counts.get((m, lc), 0)}
        for m in Maturity.values
        for lc in Lifecycle.values
    ]
    computed_at = UserActivityProfile.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    return {"cells": cells, "total": sum(c["users"] for c in cells), "computed_at": computed_at}


def segment_users(maturity: str, lifecycle: str, city: str | None = None):
    """The owners in one cell (brand staff are not owners: never in a cell, never in a campaign's audience)."""
    users = owners().filter(activity_profile__maturity=maturity, activity_profile__lifecycle=lifecycle)
    if city:
        users = users.filter(city=city)
    return users


def lifecycle_for(days_idle: float) -> str:
    for limit, name in LIFECYCLE_DAYS:
        if days_idle <= limit:
            return name.value
    return Lifecycle.DORMANT.value


def provisional_profile(user) -> UserActivityProfile:
    """For a user the nightly run has not reached yet (joined today): a NOVICE whose lifecycle
    counts from the join date, score 0 until the next run."""
    idle = (timezone.now() - user.date_joined).total_seconds() / 86400
    return UserActivityProfile(
        user_id=user.pk,
        lifecycle=lifecycle_for(idle),
        maturity=Maturity.NOVICE.value,
        last_active_at=None,
        computed_at=None,
    )
