"""The ledger: each cause paid once, daily caps, take-backs, levels, and notifications kept sparse."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from community.kernel.verbs import NotificationVerb
from community.models import Notification
from community.notifications.texts import render
from gamification import services
from gamification.codes import Rule
from gamification.levels import LEVEL_THRESHOLDS, level_for, next_level_at
from gamification.models import PointsAccount, PointsRule, PointsTransaction
from tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def ledger_sum(user) -> int:
    return sum(PointsTransaction.objects.filter(account__user=user).values_list("amount", flat=True))


def account(user) -> PointsAccount:
    return PointsAccount.objects.get(user=user)


def test_the_starting_rules_of_the_brief_are_seeded(db):
    codes = set(PointsRule.objects.values_list("code", flat=True))
    assert codes == {
        Rule.DAILY_CHECK_IN,
        Rule.CHECK_IN_STREAK_BONUS,
        Rule.POST_CREATED,
        Rule.COMMENT_CREATED,
        Rule.LIKE_RECEIVED,
        Rule.EVENT_ATTENDED,
        Rule.EVENT_HOSTED,
        Rule.INVITE_ACCEPTED,
        Rule.VEHICLE_VERIFIED,
    }
    assert all(rule.points > 0 and rule.active for rule in PointsRule.objects.all())


@pytest.mark.parametrize("code", [c for c in vars(Rule) if not c.startswith("_")])
def test_every_rule_pays_a_cause_once(db, user, code):
    rule_code = getattr(Rule, code)
    rule = PointsRule.objects.get(code=rule_code)
    key = f"{rule_code}:test:1"
    first = services.award_points(user_id=user.pk, rule_code=rule_code, key=key)
    again = services.award_points(user_id=user.pk, rule_code=rule_code, key=key)
    assert first is not None and first.amount == rule.points and first.note == rule.name
    assert again is None
    assert PointsTransaction.objects.filter(key=key).count() == 1
    assert account(user).balance == account(user).lifetime_earned == rule.points == ledger_sum(user)


def test_the_database_refuses_a_second_row_for_the_same_cause(db, user):
    services.award_points(user_id=user.pk, rule_code=Rule.POST_CREATED, key="post_created:post:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsTransaction.objects.create(
            account=account(user), amount=10, kind="EARN", key="post_created:post:1", day=datetime.now().date()
        )


def test_the_database_refuses_a_negative_balance(db, user):
    services.award_points(user_id=user.pk, rule_code=Rule.POST_CREATED, key="post_created:post:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsAccount.objects.filter(user=user).update(balance=-1)


def test_daily_caps_hold_and_a_new_day_opens_them_again(db, user):
    rule = PointsRule.objects.get(code=Rule.COMMENT_CREATED)
    rule.points, rule.daily_cap = 3, 10
    rule.save()
    morning = datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
    paid = [
        services.award_points(user_id=user.pk, rule_code=Rule.COMMENT_CREATED, key=f"comment:{i}", now=morning)
        for i in range(6)
    ]
    # 3 + 3 + 3, then the 1 point of room left, then nothing.
    assert [entry.amount if entry else None for entry in paid] == [3, 3, 3, 1, None, None]
    assert account(user).balance == 10
    # Just after midnight in Shanghai (still the previous day in UTC) is a new day.
    next_day = datetime(2026, 3, 3, 0, 5, tzinfo=SHANGHAI)
    assert services.award_points(user_id=user.pk, rule_code=Rule.COMMENT_CREATED, key="comment:7", now=next_day)
    assert account(user).balance == 13 == ledger_sum(user)
    # Another user has their own cap.
    other = UserFactory()
    assert services.award_points(user_id=other.pk, rule_code=Rule.COMMENT_CREATED, key="comment:8", now=morning)


def test_a_switched_off_rule_pays_nothing(db, user):
    PointsRule.objects.filter(code=Rule.POST_CREATED).update(active=False)
    assert services.award_points(user_id=user.pk, rule_code=Rule.POST_CREATED, key="post_created:post:1") is None
    assert services.award_points(user_id=user.pk, rule_code="no_such_rule", key="x:1") is None
    assert not PointsTransaction.objects.exists()


def test_taking_back_removes_the_points_once(db, user):
    services.award_points(user_id=user.pk, rule_code=Rule.POST_CREATED, key="post_created:post:5")
    taken = services.revoke_points(key="post_created:post:5")
    assert taken.amount == -10 and taken.key == "revoke:post_created:post:5" and taken.kind == "REVOKE"
    assert services.revoke_points(key="post_created:post:5") is None
    assert services.revoke_points(key="never:paid") is None
    acc = account(user)
    assert (acc.balance, acc.lifetime_earned) == (0, 0) == (ledger_sum(user), 0)
    # Doing the same thing again does not pay again: the cause was paid (and taken back) already.
    assert services.award_points(user_id=user.pk, rule_code=Rule.POST_CREATED, key="post_created:post:5") is None


def test_taking_back_spent_points_never_goes_below_zero_but_lowers_the_level(db, user):
    services.award_points(user_id=user.pk, rule_code=Rule.VEHICLE_VERIFIED, key="vehicle_verified:user:1")
    services.award_points(user_id=user.pk, rule_code=Rule.POST_CREATED, key="post_created:post:1")
    assert account(user).level == 2  # 110 lifetime points
    from gamification.models import Reward

    reward = Reward.objects.create(name="原厂车载香薰", cost=80, stock=3)
    services.redeem_reward(user=user, reward_id=reward.pk)
    taken = services.revoke_points(key="vehicle_verified:user:1")
    assert taken.amount == -30  # what was left of the 100
    acc = account(user)
    assert acc.balance == 0 == ledger_sum(user)
    assert acc.lifetime_earned == 10 and acc.level == 1
    # Nothing left at all: the take-back is still recorded (as 0) so it cannot happen twice.
    taken_again = services.revoke_points(key="post_created:post:1")
    assert taken_again.amount == 0
    assert account(user).lifetime_earned == 0


def test_levels_come_from_lifetime_points_with_the_thresholds_in_one_place():
    assert level_for(0) == 1 and next_level_at(0) == LEVEL_THRESHOLDS[1]
    assert level_for(LEVEL_THRESHOLDS[1] - 1) == 1
    assert level_for(LEVEL_THRESHOLDS[1]) == 2 and next_level_at(LEVEL_THRESHOLDS[1]) == LEVEL_THRESHOLDS[2]
    top = LEVEL_THRESHOLDS[-1]
    assert level_for(top) == len(LEVEL_THRESHOLDS) and next_level_at(top) is None
    assert level_for(top * 10) == len(LEVEL_THRESHOLDS) and next_level_at(top * 10) is None


def test_spending_does_not_lower_the_level(db, user):
    from gamification.models import Reward

    services.award_points(user_id=user.pk, rule_code=Rule.VEHICLE_VERIFIED, key="vehicle_verified:user:1")
    reward = Reward.objects.create(name="欧尚定制雨伞", cost=100, stock=1)
    services.redeem_reward(user=user, reward_id=reward.pk)
    acc = account(user)
    assert (acc.balance, acc.lifetime_earned, acc.level) == (0, 100, 2)


def test_points_notifications_are_sparse_milestones_and_level_ups(db, user, on_commit):
    with on_commit():
        for i in range(5):  # small awards: no notification each time
            services.award_points(user_id=user.pk, rule_code=Rule.COMMENT_CREATED, key=f"comment_created:comment:{i}")
    assert not Notification.objects.filter(recipient=user).exists()
    with on_commit():  # a rule marked `notify` (a milestone)
        services.award_points(user_id=user.pk, rule_code=Rule.INVITE_ACCEPTED, key="invite_accepted:use:1")
    note = Notification.objects.get(recipient=user, verb=NotificationVerb.POINTS_AWARDED)
    assert note.data["points"] == 20 and note.data["levelUp"] is False and note.actor is None
    assert render(note) == "你获得了 20 积分：邀请车友"
    PointsRule.objects.filter(code=Rule.POST_CREATED).update(points=200, daily_cap=None)
    with on_commit():  # crossing a level threshold notifies even a quiet rule
        services.award_points(user_id=user.pk, rule_code=Rule.POST_CREATED, key="post_created:post:1")
    level_up = Notification.objects.filter(recipient=user, verb=NotificationVerb.POINTS_AWARDED).latest("id")
    assert level_up.data["levelUp"] is True and level_up.data["level"] == 2


def test_a_capped_cause_retried_is_judged_on_the_day_it_happened(db, user):
    rule = PointsRule.objects.get(code=Rule.LIKE_RECEIVED)
    rule.points, rule.daily_cap = 1, 2
    rule.save()
    day = datetime(2026, 5, 1, 12, 0, tzinfo=SHANGHAI)
    for i in range(3):
        services.award_points(user_id=user.pk, rule_code=Rule.LIKE_RECEIVED, key=f"like:{i}", now=day)
    # Consumers pass the activity's time, so a redelivery of the capped one meets the same cap.
    retried = services.award_points(user_id=user.pk, rule_code=Rule.LIKE_RECEIVED, key="like:2", now=day)
    assert retried is None
    tomorrow = services.award_points(
        user_id=user.pk, rule_code=Rule.LIKE_RECEIVED, key="like:3", now=day + timedelta(days=1)
    )
    assert tomorrow.amount == 1
    assert account(user).balance == 3
