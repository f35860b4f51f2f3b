"""Real concurrency on PostgreSQL: threads with their own connections pressing the same buttons at once."""

import importlib

import pytest

from community.accounts import services as account_services
from community.kernel import activity as stream
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import Notification
from gamification import services
from gamification.codes import Rule
from gamification.models import BadgeAward, CheckIn, PointsAccount, PointsRule, PointsTransaction, Redemption, Reward
from tests.factories import BrandStaffFactory, UserFactory, VehicleFactory
from tests.gamification.factories import grant_points
from tests.helpers import at_once

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def seeded_rules_and_badges(transactional_db):
    """Transactional tests empty the tables between tests, migrations' rows included: seed them again."""
    seed = importlib.import_module("gamification.migrations.0002_seed_rules_and_badges").seed
    from django.apps import apps

    seed(apps, None)


def at_once_n(work, n: int = THREADS):
    """Run `work(i)` for i in range(n) in threads released together; returns (results, refusal codes)."""
    outcomes = at_once([lambda i=i: work(i) for i in range(n)])
    assert not outcomes.crashes, outcomes.crashes
    return outcomes.results, outcomes.codes


def ledger_matches(user) -> PointsAccount:
    account = PointsAccount.objects.get(user=user)
    entries = PointsTransaction.objects.filter(account=account).values_list("amount", flat=True)
    assert account.balance == sum(entries) and account.balance >= 0
    return account


@pytest.mark.parametrize("rule_code", [value for name, value in vars(Rule).items() if not name.startswith("_")])
def test_the_same_cause_awarded_at_once_pays_one_transaction(rule_code):
    user = UserFactory()
    key = f"{rule_code}:cause:7"
    results, _ = at_once_n(lambda i: services.award_points(user_id=user.pk, rule_code=rule_code, key=key))
    assert len([r for r in results if r is not None]) == 1
    assert PointsTransaction.objects.filter(key=key).count() == 1
    assert ledger_matches(user).balance == PointsRule.objects.get(code=rule_code).points


def test_an_activity_dispatched_by_several_workers_at_once_pays_and_badges_once(monkeypatch):
    user, staff = UserFactory(), BrandStaffFactory()
    vehicle = VehicleFactory(owner=user)
    monkeypatch.setattr(stream, "_enqueue", lambda activity_id: None)  # the broker lost it: nobody ran it yet
    account_services.verify_vehicle(user=staff, vehicle_id=vehicle.pk)
    recorded = Activity.objects.get(verb=Verb.VEHICLE_VERIFIED)
    assert recorded.dispatched_at is None and not PointsTransaction.objects.exists()

    def redeliver(i):
        return stream.dispatch(recorded.pk)

    at_once_n(redeliver)
    assert PointsTransaction.objects.count() == 1
    assert ledger_matches(user).balance == 100
    assert BadgeAward.objects.filter(user=user).count() == 1
    assert Notification.objects.filter(recipient=user).count() == 2


def test_the_daily_cap_holds_under_concurrent_awards():
    user = UserFactory()
    rule = PointsRule.objects.get(code=Rule.COMMENT_CREATED)
    rule.points, rule.daily_cap = 3, 10
    rule.save()
    at_once_n(
        lambda i: services.award_points(user_id=user.pk, rule_code=Rule.COMMENT_CREATED, key=f"comment:{i}"),
        n=THREADS,
    )
    assert ledger_matches(user).balance == 10


def test_checking_in_twice_at_once_checks_in_once():
    user = UserFactory()
    results, refusals = at_once_n(lambda i: services.daily_check_in(user=user))
    assert len(results) == 1 and refusals == ["CONFLICT"] * (THREADS - 1)
    assert CheckIn.objects.filter(user=user).count() == 1
    assert ledger_matches(user).balance == results[0].points_awarded == 5


def test_one_user_redeeming_at_once_never_goes_negative():
    user = UserFactory()
    grant_points(user, 250)
    reward = Reward.objects.create(name="原厂车载香薰", cost=100, stock=THREADS)
    results, refusals = at_once_n(lambda i: services.redeem_reward(user=user, reward_id=reward.pk))
    assert len(results) == 2 and refusals == ["INSUFFICIENT_POINTS"] * (THREADS - 2)
    assert ledger_matches(user).balance == 50
    reward.refresh_from_db()
    assert reward.stock == THREADS - 2 and Redemption.objects.count() == 2


def test_many_users_redeeming_the_last_items_at_once_never_oversell():
    users = [UserFactory() for _ in range(THREADS)]
    for user in users:
        grant_points(user, 300, key=f"grant:{user.pk}")
    reward = Reward.objects.create(name="4S店免费保养券", cost=200, stock=3)
    results, refusals = at_once_n(lambda i: services.redeem_reward(user=users[i], reward_id=reward.pk))
    assert len(results) == 3 and refusals == ["OUT_OF_STOCK"] * (THREADS - 3)
    reward.refresh_from_db()
    assert reward.stock == 0 and Redemption.objects.count() == 3
    balances = sorted(ledger_matches(user).balance for user in users)
    assert balances == [100] * 3 + [300] * (THREADS - 3)


def test_taking_back_at_once_takes_back_once():
    user = UserFactory()
    services.award_points(user_id=user.pk, rule_code=Rule.POST_CREATED, key="post_created:post:3")
    results, _ = at_once_n(lambda i: services.revoke_points(key="post_created:post:3"))
    assert len([r for r in results if r is not None]) == 1
    account = ledger_matches(user)
    assert (account.balance, account.lifetime_earned) == (0, 0)
