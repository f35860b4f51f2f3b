"""PointsAccount.levelStartsAt: where the current level began, so a client can draw the progress to the next."""

from __future__ import annotations

import pytest

from gamification.levels import LEVEL_THRESHOLDS, level_for, level_starts_at, next_level_at
from gamification.models import PointsAccount
from tests.factories import UserFactory
from tests.helpers import data_of

pytestmark = pytest.mark.django_db

ME = "query { me { points { lifetimeEarned level levelStartsAt nextLevelAt } } }"


@pytest.mark.parametrize("earned", [0, 99, 100, 299, 300, 1499, 49999, 50000, 90000])
def test_the_level_starts_at_its_threshold_and_below_the_next(earned):
    start = level_starts_at(earned)
    assert start == LEVEL_THRESHOLDS[level_for(earned) - 1]
    assert start <= earned
    following = next_level_at(earned)
    assert following is None or earned < following


def test_the_viewer_reads_their_progress(gql):
    user = UserFactory()
    PointsAccount.objects.update_or_create(user=user, defaults={"balance": 20, "lifetime_earned": 450})
    points = data_of(gql(ME, user=user), "me")["points"]
    assert points == {"lifetimeEarned": 450, "level": 3, "levelStartsAt": 300, "nextLevelAt": 700}
