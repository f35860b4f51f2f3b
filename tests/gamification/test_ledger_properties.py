"""Whatever happens, in any order: each balance is the sum of its ledger and never negative, and stock adds up."""

import itertools

from django.db.models import Sum
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from community.kernel.errors import ServiceError
from gamification import services
from gamification.codes import Rule
from gamification.models import PointsAccount, PointsTransaction, Redemption, Reward
from tests.factories import BrandStaffFactory, UserFactory

RULES = [Rule.VEHICLE_VERIFIED, Rule.POST_CREATED, Rule.COMMENT_CREATED, Rule.LIKE_RECEIVED, Rule.EVENT_ATTENDED]
USERS = 2
CAUSES = 3
REWARD_COSTS = [(25, 2), (60, 1), (5, 4)]  # cost, stock

users = st.integers(0, USERS - 1)
causes = st.tuples(st.sampled_from(RULES), st.integers(0, CAUSES - 1))
earn = st.tuples(st.just("earn"), users, causes)
operation = st.one_of(
    earn,
    earn,
    earn,
    st.tuples(st.just("take_back"), users, causes),
    st.tuples(st.just("redeem"), users, st.integers(0, len(REWARD_COSTS) - 1)),
    st.tuples(st.just("cancel"), st.integers(0, 10)),
)
runs = itertools.count()


def check_invariants(rewards: list[Reward], initial_stock: dict[int, int]) -> None:
    for account in PointsAccount.objects.all():
        entries = PointsTransaction.objects.filter(account=account)
        assert account.balance == (entries.aggregate(total=Sum("amount"))["total"] or 0)
        assert account.balance >= 0
        earned = entries.filter(kind="EARN").aggregate(total=Sum("amount"))["total"] or 0
        reversed_ = entries.filter(kind="EARN", reversed_by__isnull=False).aggregate(total=Sum("amount"))["total"] or 0
        assert account.lifetime_earned == earned - reversed_ >= 0
    for reward in rewards:
        reward.refresh_from_db()
        live = Redemption.objects.filter(reward=reward).exclude(status=Redemption.Status.CANCELLED).count()
        assert reward.stock == initial_stock[reward.pk] - live >= 0


@settings(
    max_examples=50,
    database=None,  # no example database left in the work tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=10, max_size=40))
def test_the_ledger_always_adds_up(db, operations):
    run = next(runs)  # keys and names unique to this example: the database is shared between examples
    people = [UserFactory() for _ in range(USERS)]
    staff = BrandStaffFactory()
    rewards = [Reward.objects.create(name=f"奖品{run}-{i}", cost=c, stock=s) for i, (c, s) in enumerate(REWARD_COSTS)]
    initial_stock = {reward.pk: reward.stock for reward in rewards}
    redemptions: list[int] = []
    for op in operations:
        if op[0] == "earn":
            _, who, (rule, cause) = op
            services.award_points(user_id=people[who].pk, rule_code=rule, key=f"{rule}:run{run}:u{who}:{cause}")
        elif op[0] == "take_back":
            _, who, (rule, cause) = op
            if services.revoke_points(key=f"{rule}:run{run}:u{who}:{cause}") is not None:
                event("taken back")
        elif op[0] == "redeem":
            _, who, which = op
            try:
                redemptions.append(services.redeem_reward(user=people[who], reward_id=rewards[which].pk).redemption.pk)
                event("redeemed")
            except ServiceError as error:
                assert error.code in ("INSUFFICIENT_POINTS", "OUT_OF_STOCK")
                event(f"refused: {error.code}")
        elif op[0] == "cancel" and redemptions:
            try:
                services.cancel_redemption(user=staff, redemption_id=redemptions[op[1] % len(redemptions)])
                event("cancelled")
            except ServiceError as error:
                assert error.code == "CONFLICT"  # cancelled already
    check_invariants(rewards, initial_stock)
