"""The demo's points mall (its rewards, found by name so a second run adds nothing); the check-ins,
points and redemptions come from the simulated history (`simulation.history`)."""

from __future__ import annotations

from gamification.models import Reward

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


def seed_rewards() -> list[Reward]:
    rewards = []
    for position, (name, description, cost, stock) in enumerate(REWARDS, start=1):
        reward, _created = Reward.objects.get_or_create(
            name=name, defaults={"description": description, "cost": cost, "stock": stock, "position": position * 10}
        )
        rewards.append(reward)
    return rewards
