"""The brand's cohort curve at scale: of owners who joined in each month, the share with a FRIEND and
a STRONG tie 30, 60 and 90 days later (`gamification.tie_figures.tie_cohorts`), on the nightly
benchmark's data: 100,000 users over two years, 2,000,000 activities, 300,000 ties.

    .venv/bin/python bench/cohorts.py [--users 100000 --activities 2000000 --ties 300000 --circles 2000]

PostgreSQL only (BENCH_DATABASE_URL, default the nightly benchmark's database, which it re-seeds with
`bench/nightly.py`'s generator). The ties' milestones are generated in SQL too: every tie reached
ACQUAINTANCE, those strong enough FRIEND and STRONG, at days after the later of the two joined. Then
the cohort figures for the last 12 months are timed for everyone, one city and one circle, each run
twice, interleaved, with the load average printed before and after. Target: each under 5 s.
"""

from __future__ import annotations

import os
import time

import harness  # bench/harness.py, beside this script; it puts the project on sys.path
import nightly

MILESTONES_SQL = """
INSERT INTO gamification_tiemilestone (user_low_id, user_high_id, level, reached_at)
SELECT t.user_low_id, t.user_high_id, l.level,
    LEAST(now(), GREATEST(a.date_joined, b.date_joined) + make_interval(days => ((t.id * 37) % 120)::int + l.lag))
FROM gamification_tie t
JOIN community_user a ON a.id = t.user_low_id
JOIN community_user b ON b.id = t.user_high_id
CROSS JOIN (VALUES ('ACQUAINTANCE', 0, 5.0), ('FRIEND', 20, 15.0), ('STRONG', 50, 40.0)) AS l(level, lag, floor)
WHERE t.raw_strength >= l.floor
"""


def main() -> None:
    parser = nightly.dataset_parser(__doc__)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--reuse", action="store_true", help="Keep the users, activities and ties seeded last time.")
    args = parser.parse_args()
    harness.print_load()
    database_url = os.environ.get("BENCH_DATABASE_URL", nightly.DEFAULT_DB)
    harness.ensure_database(database_url)
    harness.setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from gamification.tie_figures import tie_cohorts

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    if not args.reuse:
        nightly.seed(args.users, args.activities, args.ties, args.circles)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE gamification_tiemilestone")
        cursor.execute(MILESTONES_SQL)
        milestones = cursor.rowcount
        cursor.execute("ANALYZE")
    print(
        f"seeded {args.users} users, {args.activities} activities, {args.ties} ties, {milestones} milestones "
        f"in {time.perf_counter() - t:.1f}s"
    )
    variants = [("everyone", {}), ("city 重庆", {"city": "重庆"}), ("circle 1", {"circle_id": 1})]
    print(
        f"{'cohorts of':<12} {'run':>3} {'seconds':>8} {'cohorts':>7} {'joined':>7} {'FRIEND@30':>9} "
        f"{'FRIEND@90':>9} {'STRONG@90':>9}"
    )
    worst = 0.0
    for run in (1, 2):
        for name, kwargs in variants:
            t = time.perf_counter()
            cohorts = tie_cohorts(months=args.months, **kwargs)
            seconds = time.perf_counter() - t
            worst = max(worst, seconds)
            joined = sum(c.joined for c in cohorts)
            measured = [c for c in cohorts if c.points[2].measured]
            f30 = sum(c.points[0].with_friend for c in cohorts) / max(1, sum(c.points[0].measured for c in cohorts))
            f90 = sum(c.points[2].with_friend for c in measured) / max(1, sum(c.points[2].measured for c in measured))
            s90 = sum(c.points[2].with_strong_tie for c in measured) / max(
                1, sum(c.points[2].measured for c in measured)
            )
            print(
                f"{name:<12} {run:>3} {seconds:>8.2f} {len(cohorts):>7} {joined:>7} {f30:>9.1%} {f90:>9.1%} "
                f"{s90:>9.1%}",
                flush=True,
            )
    harness.print_load()
    print(f"slowest: {worst:.2f}s (target < 5 s): {'met' if worst < 5 else 'missed'}")


if __name__ == "__main__":
    main()
