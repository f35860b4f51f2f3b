"""`manage.py seed_demo [--users N]`: realistic demo data, safe to run again.

The social core seeds owners first; then every module of DEMO_MODULES that exists adds its
part with `seed_app(report)` (circles, events, posts, points...), in that order.
"""

import importlib

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from community import demo

# Modules with `seed_app(report)`, run in this order after the owners exist.
DEMO_MODULES = (
    "circles.demo",
    "events.demo",
    "community.content.demo",
    "community.moderation.demo",
    "gamification.demo",
)


class Command(BaseCommand):
    help = "Create demo owners, brand staff, vehicles, follows and what every app adds (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=30, help="How many owners to make (default 30).")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, users: int, no_progress: bool, **options):
        if users < 0:
            raise CommandError("--users cannot be negative")
        with tqdm(total=users, desc="车主 owners", unit="user", disable=no_progress, file=self.stderr) as bar:
            report = demo.seed(users, progress=bar.update)
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            module.seed_app(report)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {report.users} owners ({report.created} new)."))
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write("Demo logins (username / password):")
        for username, password, role in report.logins:
            self.stdout.write(f"  {username:<10} {password}   {role}")
