"""Nightly work and campaigns pressed at once on PostgreSQL: same rows as one run, one campaign a week."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from gamification import scores, services, ties
from gamification.models import CampaignDelivery, Tie, UserActivityProfile
from tests.factories import BrandStaffFactory, UserFactory
from tests.gamification.factories import make_tie
from tests.gamification.test_concurrency import at_once_n

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_nightly_runs_at_once_leave_what_one_run_leaves():
    now = timezone.now()
    people = UserFactory.create_batch(6)
    Activity.objects.bulk_create(
        [Activity(actor=p, verb=Verb.POST_CREATED, created_at=now - timedelta(days=i)) for i, p in enumerate(people)]
    )
    a, b = people[:2]
    make_tie(a, b, 30, acted=True, updated_at=now - timedelta(days=45))

    def nightly(_i):
        ties.decay_ties(now)
        scores.recompute_profiles(now)
        scores.recompute_circle_scores(now)

    at_once_n(nightly, 4)
    together = sorted(UserActivityProfile.objects.values_list("user_id", "activity_score", "lifecycle", "maturity"))
    tie = Tie.objects.get()
    assert tie.strength == pytest.approx(30 * 0.5**0.5)
    nightly(0)
    again = sorted(UserActivityProfile.objects.values_list("user_id", "activity_score", "lifecycle", "maturity"))
    assert again == together
    assert Tie.objects.get().strength == tie.strength


def test_campaigns_launched_at_once_reach_each_user_once():
    staff = BrandStaffFactory()
    people = UserFactory.create_batch(5, city="拉萨")
    scores.recompute_profiles()
    results, refusals = at_once_n(
        lambda i: services.launch_campaign(
            user=staff, maturity="NOVICE", lifecycle="ACTIVE", message=f"第{i}条", city="拉萨"
        ),
        4,
    )
    assert not refusals
    assert sum(r.recipients for r in results) == len(people)
    assert sorted(r.skipped for r in results) == [0, 5, 5, 5]
    assert Notification.objects.filter(verb=NotificationVerb.CAMPAIGN).count() == len(people)
    assert CampaignDelivery.objects.count() == len(people)
