"""The daily check-in: once per local day, streaks across days, a bonus every 7th day in a row."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import Notification
from gamification import services
from gamification.codes import STREAK_BONUS_EVERY, Rule
from gamification.models import CheckIn, PointsAccount, PointsRule, PointsTransaction
from tests.helpers import data_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHECK_IN = """
mutation {
  dailyCheckIn {
    pointsAwarded streak
    account {
      balance lifetimeEarned level nextLevelAt checkInStreak
      transactions(first: 5) { edges { node { amount reason } } }
    }
    errors { field code message }
  }
}"""


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 1, day, hour, 0, tzinfo=SHANGHAI)


def test_checking_in_through_the_api_pays_and_records_the_activity(gql, user):
    result = data_of(gql(CHECK_IN, user=user), "dailyCheckIn")
    assert result["errors"] == []
    assert result["pointsAwarded"] == 5 and result["streak"] == 1
    account = result["account"]
    assert (account["balance"], account["lifetimeEarned"], account["level"], account["nextLevelAt"]) == (5, 5, 1, 100)
    assert account["checkInStreak"] == 1
    assert account["transactions"]["edges"] == [{"node": {"amount": 5, "reason": "每日签到"}}]
    check_in = CheckIn.objects.get(user=user)
    recorded = Activity.objects.get(verb=Verb.POINTS_CHECKED_IN)
    assert recorded.actor == user and recorded.target_id == check_in.pk and recorded.data["streak"] == 1
    assert not Notification.objects.filter(recipient=user).exists()  # the answer is the news: no notification


def test_twice_a_day_is_refused_and_awards_nothing(gql, user):
    data_of(gql(CHECK_IN, user=user), "dailyCheckIn")
    again = data_of(gql(CHECK_IN, user=user), "dailyCheckIn")
    assert again["errors"] == [{"field": None, "code": "CONFLICT", "message": "今天已经签到过了，明天再来吧。"}]
    assert again["pointsAwarded"] == 0 and again["streak"] == 1 and again["account"]["balance"] == 5
    english = data_of(gql(CHECK_IN, user=user, language="en"), "dailyCheckIn")
    assert english["errors"][0]["message"] == "You have already checked in today. Come back tomorrow."
    assert CheckIn.objects.count() == 1 and PointsTransaction.objects.count() == 1
    assert Activity.objects.filter(verb=Verb.POINTS_CHECKED_IN).count() == 1


def test_checking_in_needs_a_user(gql):
    result = data_of(gql(CHECK_IN), "dailyCheckIn")
    assert result["errors"][0]["code"] == "UNAUTHENTICATED"
    assert result["account"] is None and result["pointsAwarded"] == 0
    assert not CheckIn.objects.exists()


def test_the_streak_continues_from_yesterday_and_resets_after_a_gap(db, user):
    assert [services.daily_check_in(user=user, now=at(d)).streak for d in (1, 2, 3)] == [1, 2, 3]
    # A late-evening check-in the next day still continues the streak.
    assert services.daily_check_in(user=user, now=at(4, hour=23)).streak == 4
    # Skipping the 5th breaks it.
    assert services.daily_check_in(user=user, now=at(6)).streak == 1
    assert services.daily_check_in(user=user, now=at(7)).streak == 2
    account = PointsAccount.objects.get(user=user)
    assert (account.check_in_streak, account.last_check_in_on.isoformat()) == (2, "2026-01-07")
    assert services.current_streak(account, now=at(8)) == 2  # still alive until they miss a day
    assert services.current_streak(account, now=at(9)) == 0


def test_the_day_is_the_local_day_in_shanghai(db, user):
    # 23:30 UTC on 1 January is 07:30 on 2 January in Shanghai.
    late_utc = datetime(2026, 1, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    services.daily_check_in(user=user, now=late_utc)
    assert CheckIn.objects.get(user=user).day.isoformat() == "2026-01-02"
    with pytest.raises(ServiceError) as refused:  # 08:00 Shanghai the same local day
        services.daily_check_in(user=user, now=at(2, hour=8))
    assert refused.value.code == ErrorCode.CONFLICT
    assert services.daily_check_in(user=user, now=at(3, hour=0)).streak == 2


def test_every_seventh_day_in_a_row_pays_the_streak_bonus(db, user):
    bonus = PointsRule.objects.get(code=Rule.CHECK_IN_STREAK_BONUS).points
    daily = PointsRule.objects.get(code=Rule.DAILY_CHECK_IN).points
    paid = [services.daily_check_in(user=user, now=at(d)).points_awarded for d in range(1, 2 * STREAK_BONUS_EVERY + 1)]
    assert paid[STREAK_BONUS_EVERY - 1] == daily + bonus
    assert paid[2 * STREAK_BONUS_EVERY - 1] == daily + bonus
    assert paid.count(daily) == 2 * STREAK_BONUS_EVERY - 2
    account = PointsAccount.objects.get(user=user)
    assert account.balance == sum(paid) == sum(PointsTransaction.objects.values_list("amount", flat=True))
    assert PointsTransaction.objects.filter(rule__code=Rule.CHECK_IN_STREAK_BONUS).count() == 2
    assert CheckIn.objects.get(user=user, day=at(7).date()).points == daily + bonus


def test_a_switched_off_check_in_rule_still_counts_the_day(db, user):
    PointsRule.objects.filter(code=Rule.DAILY_CHECK_IN).update(active=False)
    result = services.daily_check_in(user=user, now=at(1))
    assert (result.points_awarded, result.streak, result.account.balance) == (0, 1, 0)
    assert services.daily_check_in(user=user, now=at(2)).streak == 2


def test_back_filled_days_never_move_the_streak_backwards(db, user):
    services.daily_check_in(user=user, now=at(10))
    services.daily_check_in(user=user, now=at(5))
    account = PointsAccount.objects.get(user=user)
    assert account.last_check_in_on.isoformat() == "2026-01-10" and account.check_in_streak == 1


def test_the_api_uses_the_real_clock_for_the_day(gql, user, monkeypatch):
    yesterday = timezone.now() - timedelta(days=1)
    services.daily_check_in(user=user, now=yesterday)
    result = data_of(gql(CHECK_IN, user=user), "dailyCheckIn")
    assert result["streak"] == 2 and result["account"]["checkInStreak"] == 2
    monkeypatch.setattr(timezone, "now", lambda: yesterday + timedelta(days=3))
    me = data_of(gql("{ me { points { checkInStreak } } }", user=user), "me")
    assert me["points"]["checkInStreak"] == 0  # missed a day since
