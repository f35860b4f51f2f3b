"""Demo data for `manage.py seed_demo`: a points mall, check-in streaks and a few redemptions.

Everything goes through the services, so balances always equal their ledgers. Idempotent: rewards
are found by name, and owners who already checked in or redeemed are left as they are.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from community.kernel.errors import ServiceError
from community.kernel.models import Activity
from gamification import scores, services, ties
from gamification.models import CheckIn, Redemption, Reward, Tie

REWARDS = [
    # name, description, cost, stock
    ("原厂车载香薰", "长安欧尚原厂车载香薰，清新木质香调，出风口即插即用。", 200, 50),
    ("欧尚定制雨伞", "欧尚Style定制自动折叠晴雨伞，车门储物格放得下。", 150, 100),
    ("4S店免费保养券", "全国欧尚授权4S店通用，含一次机油机滤更换，有效期一年。", 800, 20),
    ("车载手机支架", "重力感应出风口支架，适配欧尚全系车型。", 100, 80),
    ("精致洗车券", "合作门店精致洗车一次，含内饰除尘。", 60, 200),
    ("欧尚车友会纪念徽章", "首批车友会限量徽章，已兑完，敬请期待补货。", 30, 0),
    ("车主露营套装", "帐篷、折叠桌椅和天幕，周末自驾露营一步到位。", 1500, 5),
]


def seed_app(report) -> None:
    rewards = _seed_rewards()
    check_ins = _seed_check_ins(report.owners)
    redemptions = _seed_redemptions(report, rewards)
    report.lines.append(
        f"积分商城: {len(rewards)} 个奖品, {check_ins} 次新签到, {redemptions} 次新兑换 "
        f"(points mall: rewards, new check-ins, new redemptions)."
    )
    _seed_scores(report)


def _seed_scores(report) -> None:
    """Ties grow from the demo's activity stream as it is recorded; here the nightly work runs once
    (decay, activity profiles and segments, circle scores), which is idempotent like the tasks."""

    _age_some_owners(report.owners)
    ties.decay_ties()
    profiles = scores.recompute_profiles()
    circles = scores.recompute_circle_scores()
    strong = Tie.objects.filter(strength__gte=ties.STRONG_AT).count()
    report.lines.append(
        f"关系与活跃度: {Tie.objects.count()} 条关系 ({strong} 条强关系), {profiles} 份活跃画像, "
        f"{circles} 个圈子活跃度 (ties, activity profiles, circle scores)."
    )


# Days since the last action for owners by their place in the list (index % 5), so the segmentation
# matrix of `make run` has owners in every lifecycle, as a live community would.
QUIET_DAYS = {2: 15, 3: 50, 4: 120}


def _age_some_owners(owners) -> None:
    """Move some owners' activity back in time: seeded a moment ago, it would make everyone ACTIVE."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for index, owner in enumerate(owners):
        days = QUIET_DAYS.get(index % 5)
        if days:
            last = now - timedelta(days=days)
            Activity.objects.filter(actor=owner, created_at__gt=last).update(created_at=last)


def _rng(owner, purpose: str) -> random.Random:
    """One generator per owner and purpose, so a re-run draws the same whatever it skips."""
    return random.Random(f"gamification:{purpose}:{owner.username}")


def _seed_rewards() -> list[Reward]:
    rewards = []
    for position, (name, description, cost, stock) in enumerate(REWARDS, start=1):
        reward, _created = Reward.objects.get_or_create(
            name=name, defaults={"description": description, "cost": cost, "stock": stock, "position": position * 10}
        )
        rewards.append(reward)
    return rewards


def _seed_check_ins(owners) -> int:
    """Most owners check in on a run of recent days ending today or yesterday; some reach a 7-day bonus."""
    already = set(CheckIn.objects.filter(user__in=owners).values_list("user_id", flat=True).distinct())
    today = services.local_day()
    zone = services.day_timezone()
    made = 0
    for owner in owners:
        rng = _rng(owner, "check-in")
        days = rng.choice([0, 0, 1, 3, 5, 7, 8, 10, 14, 16])
        last = today - timedelta(days=1 if rng.random() < 0.3 else 0)
        if owner.pk in already:
            continue
        for offset in range(days - 1, -1, -1):
            day = last - timedelta(days=offset)
            moment = datetime.combine(day, time(8, rng.randrange(0, 60)), tzinfo=zone)
            services.daily_check_in(user=owner, now=moment)
            made += 1
    return made


def _seed_redemptions(report, rewards: list[Reward]) -> int:
    """About half the owners who can afford something redeem it, once: later runs add nothing."""
    if Redemption.objects.filter(user__in=report.owners).exists():
        return 0
    on_sale = [reward for reward in rewards if reward.active and reward.stock > 0]
    made = 0
    for owner in report.owners:
        rng = _rng(owner, "redeem")
        if rng.random() < 0.5:
            continue
        balance = services.account_for(owner.pk).balance
        affordable = [reward for reward in on_sale if reward.cost <= balance]
        if not affordable:
            continue
        try:
            result = services.redeem_reward(user=owner, reward_id=rng.choice(affordable).pk)
        except ServiceError:
            continue  # sold out meanwhile: fine for a demo
        made += 1
        if report.brand is not None and made % 2 == 1:
            services.fulfil_redemption(user=report.brand, redemption_id=result.redemption.pk)
    return made
