"""The demo data (`manage.py seed_demo`) fills the points mall, check-ins and redemptions, and changes
nothing the second time. Only this app's part runs here, on the social core's owners."""

from django.db.models import Sum

from community import demo
from gamification.demo import REWARDS, seed_app
from gamification.models import CheckIn, PointsAccount, PointsTransaction, Redemption, Reward


def counts():
    return (
        Reward.objects.count(),
        CheckIn.objects.count(),
        Redemption.objects.count(),
        PointsTransaction.objects.count(),
        list(Reward.objects.order_by("id").values_list("stock", flat=True)),
    )


def test_seed_demo_makes_a_points_mall_with_history_and_is_idempotent(db, on_commit):
    with on_commit():
        report = demo.seed(12)
        seed_app(report)
    assert any("积分商城" in line for line in report.lines)
    assert any("关系与活跃度" in line for line in report.lines)
    from gamification.models import UserActivityProfile

    assert UserActivityProfile.objects.count() >= 12  # the nightly work ran over the demo's owners
    first = counts()
    assert first[0] == len(REWARDS)
    assert {"原厂车载香薰", "4S店免费保养券", "欧尚定制雨伞"} <= set(Reward.objects.values_list("name", flat=True))
    assert first[1] >= 12 and first[2] >= 1
    assert CheckIn.objects.filter(streak__gte=7).exists()  # someone reached a streak bonus
    with on_commit():
        seed_app(demo.seed(12))
    assert counts() == first
    for account in PointsAccount.objects.all():
        ledger = PointsTransaction.objects.filter(account=account).aggregate(total=Sum("amount"))["total"] or 0
        assert account.balance == ledger >= 0
    assert Redemption.objects.filter(status=Redemption.Status.FULFILLED).exists()
