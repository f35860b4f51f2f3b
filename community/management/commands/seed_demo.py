"""`manage.py seed_demo [--users N] [--seed S]`: a community that has lived six months, safe to run again.

The history is replayed through the real services with the clock moved (`simulation.history`); the
nightly work then runs once for tonight. A database that has the demo already is left as it is.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from community import demo


class Command(BaseCommand):
    help = "Replay six months of a car-owner community through the services (idempotent, deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=30, help="How many owners (default 30; 2000 for a bench).")
        parser.add_argument("--seed", type=int, default=2026, help="The random seed: the same seed, the same history.")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bars.")

    def handle(self, *args, users: int, seed: int, no_progress: bool, **options):
        from simulation import history

        if users < 1:
            raise CommandError("--users must be at least 1")
        started = time.perf_counter()
        if history.already_lived():
            self.stdout.write("The demo community is here already: nothing to do (flush the database to replay it).")
            self._logins()
            return
        # The replay runs tens of thousands of statements: DEBUG's cursor would time and keep each one.
        debug, settings.DEBUG = settings.DEBUG, False
        try:
            self._seed(users, seed, no_progress, started)
        finally:
            settings.DEBUG = debug
        self._logins()

    def _seed(self, users: int, seed: int, no_progress: bool, started: float) -> None:
        from simulation import history

        def bar(total: int, desc: str):
            return tqdm(total=total, desc=desc, unit="step", disable=no_progress, file=self.stderr, leave=True)

        timings = []
        if connection.vendor == "sqlite":
            # Demo data on the embedded database: no fsync per transaction (a crash mid-seed means
            # seeding again), the write-ahead log, which daphne's readers like too, temporary tables
            # and a larger page cache in memory.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA temp_store=MEMORY")
                cursor.execute("PRAGMA cache_size=-65536")
        brand = history.brand_staff()
        with bar(history.DAYS + 1, "六个月 days lived") as progress:
            lived = history.History(users, seed, brand, tick=progress.update)
            figures = lived.run()
        timings.append(("history", figures.seconds["history"]))
        step = time.perf_counter()
        with bar(1, "夜间计算 nightly work") as progress:
            nightly = history.nightly()
            progress.update(1)
        timings.append(("nightly", time.perf_counter() - step))
        step = time.perf_counter()
        with bar(1, "收尾 finishing touches") as progress:
            lines = history.finishing_touches(brand, history.owners_of(lived.people), lived.rng)
            progress.update(1)
        timings.append(("finishing", time.perf_counter() - step))

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo community ready: {figures.owners} owners, {figures.circles} circles, {figures.events} events, "
                f"{figures.signups} sign-ups, {figures.messages} chat messages, {figures.posts} posts over "
                f"{figures.days} days; {nightly['profiles']} activity profiles."
            )
        )
        for line in [*lines, *history.summary()]:
            self.stdout.write(line)
        total = time.perf_counter() - started
        self.stdout.write(
            "Seconds: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings) + f", total {total:.1f}"
        )

    def _logins(self):
        from circles.models import Membership
        from community.models import User

        self.stdout.write("Demo logins (username / password):")
        rows = [(demo.BRAND_USERNAME, "品牌运营 (brand staff)"), (demo.SUPERUSER_USERNAME, "超级管理员 (/admin/)")]
        rows += [
            (u.username, f"车主 {u.nickname}")
            for u in User.objects.filter(username__startswith="owner").order_by("username")[:3]
        ]
        host = (
            Membership.objects.filter(role="HOST", status="ACTIVE", user__username__startswith="owner")
            .select_related("user", "circle")
            .order_by("circle_id")
            .first()
        )
        if host is not None:
            rows.append((host.user.username, f"圈主 {host.circle.name}"))
        for username, role in rows:
            self.stdout.write(f"  {username:<10} {demo.DEMO_PASSWORD}   {role}")
