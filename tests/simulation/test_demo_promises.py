"""The demo's promises, from `manage.py seed_demo` as `make run` calls it: six months lived through the
services make ties at every level (STRONG included), owners in all twelve segment cells, host-led events
ahead of brand-led ones on new ties per attendee and on repeat attendance, tie milestones notified, and
cohort curves that rise. Run again, it changes nothing; the same seed draws the same people."""

import random
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from community import demo
from community.models import Activity, Notification, User
from events.selectors import compare_origins
from gamification.models import Tie, TieMilestone, UserActivityProfile
from gamification.tie_figures import tie_cohorts
from gamification.ties import level_of
from simulation.history import DAYS
from simulation.people import people


@pytest.mark.django_db(transaction=True)
def test_six_months_lived_keep_the_demos_promises():
    out = StringIO()
    call_command("seed_demo", "--no-progress", stdout=out)
    owners = User.objects.filter(username__startswith="owner")
    assert owners.count() == 30
    # one hash of the demo password serves every demo account: each logs in with it
    for username in (demo.BRAND_USERNAME, demo.SUPERUSER_USERNAME, "owner001", "owner030"):
        assert authenticate(username=username, password=demo.DEMO_PASSWORD) is not None, username
    assert authenticate(username="owner001", password="not-the-demo-password") is None
    assert User.objects.get(username=demo.SUPERUSER_USERNAME).is_superuser

    levels = {level_of(strength) for strength in Tie.objects.values_list("strength", flat=True)}
    assert levels == {"STRANGER", "ACQUAINTANCE", "FRIEND", "STRONG"}
    assert TieMilestone.objects.filter(level="STRONG").exists()
    assert Notification.objects.filter(verb="TIE_MILESTONE", data__level="FRIEND").exists()

    cells = set(UserActivityProfile.objects.filter(user__in=owners).values_list("maturity", "lifecycle"))
    assert len(cells) == 12, cells

    from datetime import timedelta

    from django.utils import timezone

    stats = compare_origins(since=timezone.now() - timedelta(days=DAYS))
    host, brand = stats["HOST"], stats["BRAND"]
    assert host.events > brand.events > 0
    assert host.new_ties_per_attendee > brand.new_ties_per_attendee
    assert host.repeat_attendee_rate > brand.repeat_attendee_rate

    # the history is spread over six months, not stamped today
    first = Activity.objects.order_by("created_at").values_list("created_at", flat=True).first()
    assert (timezone.now() - first).days >= DAYS - 3
    assert any(cohort.points[0].with_friend for cohort in tie_cohorts(months=7))
    assert "Seconds:" in out.getvalue() and "12/12" in out.getvalue()

    counts = (User.objects.count(), Activity.objects.count(), Tie.objects.count(), Notification.objects.count())
    again = StringIO()
    call_command("seed_demo", "--no-progress", stdout=again)
    assert "nothing to do" in again.getvalue()
    assert (User.objects.count(), Activity.objects.count(), Tie.objects.count(), Notification.objects.count()) == counts


def test_the_same_seed_draws_the_same_people_and_every_habit():
    first = [(p.username, p.habit, p.joined_ago, p.quiet_since, p.city) for p in people(30, random.Random(7))]
    second = [(p.username, p.habit, p.joined_ago, p.quiet_since, p.city) for p in people(30, random.Random(7))]
    assert first == second
    assert len({habit for _u, habit, *_ in first}) == 12
