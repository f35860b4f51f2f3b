"""GraphQL for points, levels, badges, the daily check-in and the points mall (thin: services do the work).

`GamificationUserFields` is mixed into the `User` type in `community/schema.py`; the query and
mutation mixins join the root schema there.
"""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphene import relay
from graphene_django import DjangoObjectType

from community.graphql import ids
from community.graphql.loaders import loader, then
from community.graphql.mutations import Payload, ServiceMutation
from community.graphql.pagination import paginate
from community.services import require_user
from gamification import selectors, services
from gamification.levels import level_for
from gamification.loaders import BadgesByUserLoader, PointsAccountByUserLoader
from gamification.models import BadgeAward, PointsAccount, PointsTransaction, Redemption, Reward

# ---------------------------------------------------------------- types


class BadgeType(graphene.ObjectType):
    """A badge the user earned (resolved from their award)."""

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    awarded_at = graphene.DateTime()

    class Meta:
        name = "Badge"

    @staticmethod
    def resolve_code(root: BadgeAward, info):
        return root.badge.code

    @staticmethod
    def resolve_name(root: BadgeAward, info):
        return root.badge.name

    @staticmethod
    def resolve_description(root: BadgeAward, info):
        return root.badge.description

    @staticmethod
    def resolve_awarded_at(root: BadgeAward, info):
        return root.awarded_at


def transaction_reason(entry: PointsTransaction) -> str:
    """What a ledger line was for, in the reader's language (rule and reward names are as staff wrote them)."""
    Kind = PointsTransaction.Kind
    if entry.kind == Kind.SPEND:
        return _("Redeemed: %(what)s") % {"what": entry.note}
    if entry.kind == Kind.REFUND:
        return _("Refund: %(what)s") % {"what": entry.note}
    if entry.kind == Kind.REVOKE:
        return _("Taken back: %(what)s") % {"what": entry.note}
    return entry.note


class PointsTransactionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    amount = graphene.Int(required=True)
    reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "PointsTransaction"

    @staticmethod
    def resolve_id(root: PointsTransaction, info):
        return ids.encode("PointsTransaction", root.pk)

    @staticmethod
    def resolve_reason(root: PointsTransaction, info):
        return transaction_reason(root)


class PointsTransactionConnection(relay.Connection):
    class Meta:
        node = PointsTransactionType


class PointsAccountType(graphene.ObjectType):
    balance = graphene.Int(required=True)
    lifetime_earned = graphene.Int(required=True)
    level = graphene.Int(required=True)
    next_level_at = graphene.Int(description="Lifetime points at which the next level starts; null at the top level.")
    check_in_streak = graphene.Int(
        required=True, description="Days in a row the user has checked in, still alive today; 0 once broken."
    )
    transactions = graphene.Field(PointsTransactionConnection, first=graphene.Int(), after=graphene.String())

    class Meta:
        name = "PointsAccount"

    @staticmethod
    def resolve_check_in_streak(root: PointsAccount, info):
        return services.current_streak(root)

    @staticmethod
    def resolve_transactions(root: PointsAccount, info, first=None, after=None):
        return paginate(selectors.transactions_of(root), PointsTransactionConnection, first=first, after=after)


class RewardType(DjangoObjectType):
    class Meta:
        model = Reward
        name = "Reward"
        interfaces = (relay.Node,)
        fields = ("id", "name", "description", "cost", "stock")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.filter(active=True)


class RewardConnection(relay.Connection):
    class Meta:
        node = RewardType


class RedemptionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    reward = graphene.Field(RewardType, required=True)
    cost = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        name = "Redemption"

    @staticmethod
    def resolve_id(root: Redemption, info):
        return ids.encode("Redemption", root.pk)


class GamificationUserFields:
    """Fields of `User` (mixed into `community.schema.UserType`); batched, so lists stay flat."""

    level = graphene.Int(required=True)
    badges = graphene.List(graphene.NonNull(BadgeType), required=True)
    points = graphene.Field(
        PointsAccountType, description="Visible to the user themself and to brand staff, null for everyone else."
    )

    @staticmethod
    def resolve_level(root, info):
        return then(
            loader(info, PointsAccountByUserLoader).load(root.pk),
            lambda account: account.level if account else level_for(0),
        )

    @staticmethod
    def resolve_badges(root, info):
        return loader(info, BadgesByUserLoader).load(root.pk)

    @staticmethod
    def resolve_points(root, info):
        if not selectors.can_see_points(info.context.user, root.pk):
            return None
        return then(
            loader(info, PointsAccountByUserLoader).load(root.pk),
            lambda account: account or PointsAccount(user_id=root.pk),
        )


# ---------------------------------------------------------------- queries


class GamificationQuery(graphene.ObjectType):
    rewards = graphene.Field(
        RewardConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="The points mall: rewards on sale, in the order brand staff set.",
    )

    @staticmethod
    def resolve_rewards(root, info, first=None, after=None):
        return paginate(
            selectors.rewards_on_sale(), RewardConnection, first=first, after=after, ordering=("position", "id")
        )


# ---------------------------------------------------------------- mutations


class DailyCheckInPayload(Payload):
    points_awarded = graphene.Int(required=True)
    streak = graphene.Int(required=True)
    account = graphene.Field(PointsAccountType)


class RedeemRewardInput(graphene.InputObjectType):
    reward_id = graphene.ID(required=True)


class RedeemRewardPayload(Payload):
    redemption = graphene.Field(RedemptionType)
    account = graphene.Field(PointsAccountType)


class DailyCheckIn(ServiceMutation):
    """Check in for today (the user's local day): points, a streak, and a bonus every 7th day in a row."""

    Output = DailyCheckInPayload

    @classmethod
    def perform(cls, info):
        result = services.daily_check_in(user=info.context.user)
        return DailyCheckInPayload(points_awarded=result.points_awarded, streak=result.streak, account=result.account)

    @classmethod
    def error_payload(cls, info, errors):
        user = info.context.user
        if not user.is_authenticated:
            return DailyCheckInPayload(points_awarded=0, streak=0, account=None, errors=errors)
        account = services.account_for(user.pk)
        return DailyCheckInPayload(
            points_awarded=0, streak=services.current_streak(account), account=account, errors=errors
        )


class RedeemReward(ServiceMutation):
    Output = RedeemRewardPayload

    class Arguments:
        input = RedeemRewardInput(required=True)

    @classmethod
    def perform(cls, info, input):
        require_user(info.context.user)
        reward_id = ids.decode(input.reward_id, "Reward", field="rewardId")
        result = services.redeem_reward(user=info.context.user, reward_id=reward_id)
        return RedeemRewardPayload(redemption=result.redemption, account=result.account)

    @classmethod
    def error_payload(cls, info, errors):
        user = info.context.user
        account = services.account_for(user.pk) if user.is_authenticated else None
        return RedeemRewardPayload(account=account, errors=errors)


class GamificationMutation(graphene.ObjectType):
    daily_check_in = DailyCheckIn.Field()
    redeem_reward = RedeemReward.Field()
