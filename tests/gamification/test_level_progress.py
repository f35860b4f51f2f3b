"""PointsAccount.levelStartsAt: where the current level began, so a client can draw the progress to the next."""

from __future__ import annotations

import pytest

from gamification.levels import LEVEL_THRESHOLDS, level_for, level_name, level_starts_at, next_level_at
from gamification.models import PointsAccount
from tests.factories import UserFactory
from tests.helpers import data_of, gid

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


NAMES = "query($id: ID!) { user(id: $id) { level levelName } me { points { level levelName } } }"


def test_level_names_are_in_the_readers_language(gql):
    user, other = UserFactory(), UserFactory()
    PointsAccount.objects.update_or_create(user=user, defaults={"balance": 0, "lifetime_earned": 450})
    chinese = data_of(gql(NAMES, {"id": gid(user)}, user=user), "user")
    assert chinese == {"level": 3, "levelName": "常来常往"}
    english = gql(NAMES, {"id": gid(user)}, user=user, language="en")["data"]
    assert english["user"]["levelName"] == "Road regular" and english["me"]["points"]["levelName"] == "Road regular"
    # an owner without an account yet is at the first level
    assert data_of(gql(NAMES, {"id": gid(other)}, user=user), "user")["levelName"] == "新手上路"


def test_every_level_has_a_chinese_name():
    from django.utils import translation

    with translation.override("zh-hans"):
        names = [level_name(level) for level in range(1, len(LEVEL_THRESHOLDS) + 1)]
    with translation.override("en"):
        english = [level_name(level) for level in range(1, len(LEVEL_THRESHOLDS) + 1)]
    assert len(set(names)) == len(names) and not set(names) & set(english)
