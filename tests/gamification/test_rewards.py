"""The points mall: rewards on sale, redeeming with balance and stock checked together, refunds."""

import pytest
from graphql_relay import to_global_id

from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from gamification import services
from gamification.models import PointsAccount, PointsTransaction, Redemption, Reward
from tests.gamification.factories import RewardFactory, grant_points
from tests.helpers import data_of

REWARDS = """
query($first: Int, $after: String) {
  rewards(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id name description cost stock } }
  }
}"""
REDEEM = """
mutation($input: RedeemRewardInput!) {
  redeemReward(input: $input) {
    redemption { id cost createdAt reward { id name stock } }
    account { balance lifetimeEarned transactions(first: 1) { edges { node { amount reason } } } }
    errors { field code message }
  }
}"""


def earn(user, points: int) -> None:
    assert grant_points(user, points) is not None


def redeem(gql, user, reward, **kwargs):
    rid = reward if isinstance(reward, str) else to_global_id("Reward", reward.pk)
    return data_of(gql(REDEEM, {"input": {"rewardId": rid}}, user=user, **kwargs), "redeemReward")


def test_the_mall_lists_rewards_on_sale_in_the_order_staff_set(gql):
    RewardFactory(name="欧尚定制雨伞", position=2, cost=150)
    scent = RewardFactory(name="原厂车载香薰", position=1, cost=200)
    RewardFactory(name="下架的奖品", active=False)
    sold_out = RewardFactory(name="4S店免费保养券", position=3, stock=0, cost=800)
    page = data_of(gql(REWARDS, {"first": 2}), "rewards")  # anyone may browse
    assert [e["node"]["name"] for e in page["edges"]] == ["原厂车载香薰", "欧尚定制雨伞"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = data_of(gql(REWARDS, {"first": 2, "after": page["pageInfo"]["endCursor"]}), "rewards")
    assert [e["node"] for e in rest["edges"]] == [
        {
            "id": to_global_id("Reward", sold_out.pk),
            "name": "4S店免费保养券",
            "description": sold_out.description,
            "cost": 800,
            "stock": 0,
        }
    ]
    node = data_of(
        gql("query($id: ID!) { node(id: $id) { ... on Reward { name } } }", {"id": to_global_id("Reward", scent.pk)}),
        "node",
    )
    assert node == {"name": "原厂车载香薰"}


def test_rewards_list_costs_the_same_queries_for_any_page_size(gql, django_assert_max_num_queries):
    RewardFactory.create_batch(3)
    with django_assert_max_num_queries(1) as few:
        data_of(gql(REWARDS, {"first": 50}), "rewards")
    RewardFactory.create_batch(50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(data_of(gql(REWARDS, {"first": 50}), "rewards")["edges"]) == 50


def test_redeeming_spends_points_and_stock_through_the_ledger(gql, user):
    earn(user, 200)
    reward = RewardFactory(name="原厂车载香薰", cost=150, stock=2)
    result = redeem(gql, user, reward)
    assert result["errors"] == []
    redemption = Redemption.objects.get()
    assert result["redemption"]["id"] == to_global_id("Redemption", redemption.pk)
    assert result["redemption"]["cost"] == 150
    assert result["redemption"]["reward"] == {
        "id": to_global_id("Reward", reward.pk),
        "name": "原厂车载香薰",
        "stock": 1,
    }
    account = result["account"]
    assert account["balance"] == 50 and account["lifetimeEarned"] == 200
    assert account["transactions"]["edges"] == [{"node": {"amount": -150, "reason": "兑换：原厂车载香薰"}}]
    english = data_of(
        gql("{ me { points { transactions(first: 1) { edges { node { reason } } } } } }", user=user, language="en"),
        "me",
    )
    assert english["points"]["transactions"]["edges"][0]["node"]["reason"] == "Redeemed: 原厂车载香薰"
    assert PointsTransaction.objects.get(kind="SPEND").key == f"redeem:{redemption.pk}"
    reward.refresh_from_db()
    assert reward.stock == 1
    recorded = Activity.objects.get(verb=Verb.POINTS_REDEEMED)
    assert recorded.actor == user and recorded.target_id == redemption.pk


def test_not_enough_points_is_refused_and_nothing_is_taken(gql, user):
    earn(user, 100)
    reward = RewardFactory(cost=150, stock=2)
    result = redeem(gql, user, reward)
    assert result["redemption"] is None
    assert result["errors"] == [
        {"field": None, "code": "INSUFFICIENT_POINTS", "message": "积分不足：需要 150 积分，你现在有 100 积分。"}
    ]
    assert result["account"]["balance"] == 100
    english = redeem(gql, user, reward, language="en")
    assert english["errors"][0]["message"] == "Not enough points: this needs 150 and you have 100."
    reward.refresh_from_db()
    assert reward.stock == 2 and not Redemption.objects.exists()
    assert not PointsTransaction.objects.filter(kind="SPEND").exists()


def test_out_of_stock_is_refused_and_nothing_is_spent(gql, user):
    earn(user, 300)
    reward = RewardFactory(cost=100, stock=1)
    assert redeem(gql, user, reward)["errors"] == []
    result = redeem(gql, user, reward)
    assert result["errors"] == [{"field": "rewardId", "code": "OUT_OF_STOCK", "message": "这个奖品已经兑完了。"}]
    assert result["account"]["balance"] == 200
    assert Redemption.objects.count() == 1


def test_redeem_refuses_unknown_hidden_and_badly_named_rewards_and_anonymous_users(gql, user):
    earn(user, 100)
    hidden = RewardFactory(active=False, cost=10)
    assert redeem(gql, user, hidden)["errors"][0] == {
        "field": "rewardId",
        "code": "NOT_FOUND",
        "message": "积分商城里没有这个奖品。",
    }
    assert redeem(gql, user, to_global_id("Reward", 10**9))["errors"][0]["code"] == "NOT_FOUND"
    wrong_type = redeem(gql, user, to_global_id("User", user.pk))["errors"][0]
    assert (wrong_type["field"], wrong_type["code"]) == ("rewardId", "INVALID")
    anonymous = data_of(gql(REDEEM, {"input": {"rewardId": to_global_id("Reward", hidden.pk)}}), "redeemReward")
    assert anonymous["errors"][0]["code"] == "UNAUTHENTICATED" and anonymous["account"] is None
    assert PointsAccount.objects.get(user=user).balance == 100


def test_brand_staff_cancel_a_redemption_and_points_and_stock_come_back(db, user, brand_staff):
    earn(user, 200)
    reward = RewardFactory(cost=150, stock=1)
    redemption = services.redeem_reward(user=user, reward_id=reward.pk).redemption
    with pytest.raises(ServiceError) as refused:
        services.cancel_redemption(user=user, redemption_id=redemption.pk)
    assert refused.value.code == ErrorCode.FORBIDDEN
    services.cancel_redemption(user=brand_staff, redemption_id=redemption.pk)
    account = PointsAccount.objects.get(user=user)
    reward.refresh_from_db()
    redemption.refresh_from_db()
    assert (account.balance, account.lifetime_earned, reward.stock) == (200, 200, 1)
    assert redemption.status == Redemption.Status.CANCELLED and redemption.handled_by == brand_staff
    assert PointsTransaction.objects.get(kind="REFUND").key == f"refund:redeem:{redemption.pk}"
    with pytest.raises(ServiceError) as twice:
        services.cancel_redemption(user=brand_staff, redemption_id=redemption.pk)
    assert twice.value.code == ErrorCode.CONFLICT
    with pytest.raises(ServiceError):
        services.fulfil_redemption(user=brand_staff, redemption_id=redemption.pk)
    assert PointsAccount.objects.get(user=user).balance == 200


def test_brand_staff_mark_a_redemption_sent(db, user, brand_staff):
    earn(user, 100)
    reward = RewardFactory(cost=100, stock=1)
    redemption = services.redeem_reward(user=user, reward_id=reward.pk).redemption
    services.fulfil_redemption(user=brand_staff, redemption_id=redemption.pk)
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.FULFILLED
    with pytest.raises(ServiceError) as refused:
        services.cancel_redemption(user=brand_staff, redemption_id=redemption.pk)
    assert refused.value.code == ErrorCode.CONFLICT
    with pytest.raises(ServiceError) as missing:
        services.fulfil_redemption(user=brand_staff, redemption_id=10**9)
    assert missing.value.code == ErrorCode.NOT_FOUND


def test_restocking_adds_to_what_is_there(db, brand_staff, user):
    reward = RewardFactory(stock=1)
    Reward.objects.filter(pk=reward.pk).update(stock=0)  # someone redeemed meanwhile
    assert services.restock_reward(user=brand_staff, reward_id=reward.pk, quantity=5).stock == 5
    with pytest.raises(ServiceError):
        services.restock_reward(user=brand_staff, reward_id=reward.pk, quantity=0)
    with pytest.raises(ServiceError):
        services.restock_reward(user=user, reward_id=reward.pk, quantity=5)
