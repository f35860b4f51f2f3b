"""The nightly recomputation at scale: tie decay, user activity profiles (score, lifecycle, maturity)
and circle scores over 100,000 users, 2,000,000 activities and 300,000 ties.

    .venv/bin/python bench/nightly.py [--users 100000 --activities 2000000 --ties 300000 --circles 2000]

PostgreSQL only (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/community_bench_nightly,
created and migrated if needed; its bench tables are emptied first). Rows are generated in the
database with INSERT ... SELECT generate_series, so seeding is fast and nothing passes through
Python. For 25 %, 50 % and 100 % of the data it seeds, ANALYZEs, then times each nightly step as
the Celery tasks run it (`gamification.ties.decay_ties`, `gamification.scores.recompute_profiles`,
`gamification.scores.recompute_circle_scores`), printing seconds, rows per second (activities and
ties read per second of the whole run) and this process's peak memory (ru_maxrss). The SQL runs in
the PostgreSQL server; the process's memory shows that nothing is pulled into Python.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import harness  # bench/harness.py, beside this script; it puts the project on sys.path

ROOT = harness.ROOT

from community.kernel.verbs import Verb  # noqa: E402  (after harness, which makes the project importable)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/community_bench_nightly"


VERBS = [  # (verb, share of the stream in per cent)
    (Verb.POST_CREATED, 10),
    (Verb.COMMENT_CREATED, 20),
    (Verb.POST_LIKED, 35),
    (Verb.CHAT_MESSAGE_SENT, 15),
    (Verb.EVENT_ATTENDED, 8),
    (Verb.EVENT_HOSTED, 2),
    (Verb.POINTS_CHECKED_IN, 10),
]


def seed(users: int, activities: int, ties: int, circles: int) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            "TRUNCATE gamification_tieevent, gamification_tie, gamification_useractivityprofile, "
            "gamification_campaigndelivery, gamification_campaign, community_activity, circles_membership, "
            "circles_circle, community_user RESTART IDENTITY CASCADE"
        )
        c.execute(
            """
INSERT INTO community_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
    date_joined, nickname, avatar, avatar_thumbnail, city, bio, follower_count, following_count)
SELECT '!', false, 'bench' || g, '', '', '', false, true,
    now() - make_interval(days => ((g * 7919) %% 720)::int), '车友' || g, '', '',
    (ARRAY['重庆','成都','北京','上海','广州','西安'])[1 + g %% 6], '', 0, 0
FROM generate_series(1, %s::bigint) g""",
            [users],
        )
        c.execute(
            """
INSERT INTO circles_circle (name, description, kind, city, join_policy, visibility, status, member_count,
    activity_score, created_at, updated_at)
SELECT '车友会' || g, '', 'CITY', (ARRAY['重庆','成都','北京','上海','广州','西安'])[1 + g %% 6], 'OPEN', 'PUBLIC',
    'ACTIVE', 0, 0, now(), now()
FROM generate_series(1, %s::bigint) g""",
            [circles],
        )
        # Circle g is hosted by user g; every user is in one or two circles.
        c.execute(
            """
INSERT INTO circles_membership (role, status, role_since, created_at, updated_at, joined_at, circle_id, user_id)
SELECT 'HOST', 'ACTIVE', now(), now(), now(), now(), g, g FROM generate_series(1, %s::bigint) g""",
            [circles],
        )
        c.execute(
            """
INSERT INTO circles_membership (role, status, role_since, created_at, updated_at, joined_at, circle_id, user_id)
SELECT 'MEMBER', 'ACTIVE', now(), now(), now(), now(), 1 + ((u * k * 31) %% %s), u
FROM generate_series(1, %s::bigint) u, generate_series(1, 2) k
WHERE k = 1 OR u %% 2 = 0
ON CONFLICT DO NOTHING""",
            [circles, users],
        )
        c.execute(
            "UPDATE circles_circle c SET member_count = m.n FROM "
            "(SELECT circle_id, COUNT(*) n FROM circles_membership GROUP BY circle_id) m WHERE m.circle_id = c.id"
        )
        cases = []
        low = 0
        for verb, share in VERBS:
            cases.append(f"WHEN (g %% 100) < {low + share} THEN '{verb}'")
            low += share
        verb_case = "CASE " + " ".join(cases) + " END"
        # Actors skew to a busy few (user ≈ N × r²); each user has a quiet spell (0 to 200 days, most
        # short), and their activity skews recent before it.
        c.execute(
            f"""
INSERT INTO community_activity (actor_id, verb, circle_id, data, created_at, dispatched_at, dispatch_attempts)
SELECT actor, {verb_case},
    CASE WHEN g %% 3 = 0 THEN 1 + (g * 7) %% %s END,
    CASE WHEN (g %% 100) BETWEEN 10 AND 29
         THEN jsonb_build_object('post_author', 1 + (g * 40503) %% %s) ELSE '{{}}'::jsonb END,
    now() - make_interval(secs => 86400 * (
        200 * power(((actor * 7919) %% 1000) / 1000.0, 3)  -- the user's quiet spell: some have drifted away
        + 300 * power(((g * 48271) %% 100000) / 100000.0, 3))),
    now(), 1
FROM (SELECT g, 1 + floor(%s * power(((g * 2654435761) %% 1000003) / 1000003.0, 2))::bigint AS actor
      FROM generate_series(1, %s::bigint) g) s""",
            [circles, users, users, activities],
        )
        span = users - 5
        c.execute(
            """
INSERT INTO gamification_tie (user_low_id, user_high_id, raw_strength, strength, low_acted, high_acted,
    shared_events, last_interaction_at, created_at, updated_at)
SELECT 1 + g %% %s, 1 + g %% %s + 1 + g / %s, 5 + (g %% 50), CASE WHEN g %% 4 = 0 THEN LEAST(5 + (g %% 50), 14.99)
    ELSE 5 + (g %% 50) END, true, g %% 4 <> 0, g %% 4, now(), now() - make_interval(days => (g %% 30)::int),
    now() - make_interval(hours => (1 + g %% 48)::int)
FROM generate_series(0, %s::bigint - 1) g""",
            [span, span, span, ties],
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(fraction: float, args) -> dict:
    from gamification import scores, ties

    users, activities = int(args.users * fraction), int(args.activities * fraction)
    tie_rows, circles = int(args.ties * fraction), max(1, int(args.circles * fraction))
    t = time.perf_counter()
    seed(users, activities, tie_rows, circles)
    seeded = time.perf_counter() - t
    steps = {}
    for name, step in (
        ("decay", ties.decay_ties),
        ("profiles", scores.recompute_profiles),
        ("circles", scores.recompute_circle_scores),
    ):
        t = time.perf_counter()
        step()
        steps[name] = time.perf_counter() - t
    total = sum(steps.values())
    return {
        "fraction": fraction,
        "users": users,
        "activities": activities,
        "ties": tie_rows,
        "seed_s": seeded,
        **{f"{k}_s": v for k, v in steps.items()},
        "total_s": total,
        "rows_per_s": (activities + tie_rows) / total,
        "peak_mb": peak_mb(),
    }


def dataset_parser(description: str) -> argparse.ArgumentParser:
    """The arguments sizing the seeded population, for this benchmark and those that seed the same one."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--activities", type=int, default=2_000_000)
    parser.add_argument("--ties", type=int, default=300_000)
    parser.add_argument("--circles", type=int, default=2_000)
    return parser


def main() -> None:
    parser = dataset_parser(__doc__)
    parser.add_argument("--fractions", default="0.25,0.5,1")
    args = parser.parse_args()
    harness.print_load()
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    harness.ensure_database(database_url)
    harness.setup_django(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(
        f"{'data':>5} {'users':>8} {'activities':>10} {'ties':>8} {'seed s':>7} {'decay s':>7} "
        f"{'profiles s':>10} {'circles s':>9} {'total s':>7} {'rows/s':>9} {'peak MB':>7}"
    )
    for fraction in (float(f) for f in args.fractions.split(",")):
        r = run(fraction, args)
        print(
            f"{fraction:>5.0%} {r['users']:>8} {r['activities']:>10} {r['ties']:>8} {r['seed_s']:>7.1f} "
            f"{r['decay_s']:>7.2f} {r['profiles_s']:>10.2f} {r['circles_s']:>9.2f} {r['total_s']:>7.2f} "
            f"{r['rows_per_s']:>9.0f} {r['peak_mb']:>7.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
