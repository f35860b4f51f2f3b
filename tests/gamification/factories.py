"""Factories for gamification test data."""

import factory

from gamification.models import Reward


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"欧尚定制雨伞{n}")
    description = "欧尚Style定制自动折叠晴雨伞。"
    cost = 100
    stock = 10
    position = factory.Sequence(lambda n: n)


def grant_points(user, points: int, *, key: str | None = None):
    """Pay `points` to the user through the ledger, under a rule made for the amount (no cap)."""
    from gamification import services
    from gamification.models import PointsRule, PointsTransaction

    rule, _ = PointsRule.objects.get_or_create(
        code=f"test_grant_{points}", defaults={"name": f"测试奖励{points}", "points": points}
    )
    key = key or f"test_grant:{user.pk}:{PointsTransaction.objects.count()}"
    return services.award_points(user_id=user.pk, rule_code=rule.code, key=key)


def make_tie(a, b, strength: float, *, acted: bool = False, milestones=(), **fields):
    """The pair's tie at `strength` (raw and shown alike), as the ties consumer and nightly decay would have
    left it after enough together; `acted`: both sides have acted; `milestones`: the (level, reached_at)
    the pair has reached."""
    from gamification.models import Tie, TieMilestone

    low, high = sorted((a, b), key=lambda user: user.pk)
    tie = Tie.objects.create(
        user_low=low,
        user_high=high,
        strength=strength,
        raw_strength=strength,
        low_acted=acted,
        high_acted=acted,
        **fields,
    )
    for level, when in milestones:
        TieMilestone.objects.create(user_low=low, user_high=high, level=level, reached_at=when)
    return tie
