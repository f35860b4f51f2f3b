"""`manage.py seed_demo [--users N]`: realistic demo data, safe to run again."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from community import demo


class Command(BaseCommand):
    help = "Create demo owners, brand staff, vehicles and follows (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=30, help="How many owners to make (default 30).")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, users: int, no_progress: bool, **options):
        if users < 0:
            self.stderr.write("--users cannot be negative")
            return
        with tqdm(total=users, desc="车主 owners", unit="user", disable=no_progress, file=self.stderr) as bar:
            report = demo.seed(users, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {report.users} owners ({report.created} new)."))
        self.stdout.write("Demo logins (username / password):")
        for username, password, role in report.logins:
            self.stdout.write(f"  {username:<10} {password}   {role}")
