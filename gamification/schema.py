"""GraphQL for points, levels, badges, the daily check-in and the points mall (thin: services do the work).

`GamificationUserFields` is mixed into the `User` type in `community/schema.py`; the query and
mutation mixins join the root schema there.
"""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphene import relay
from graphene_django import DjangoObjectType

from circles.models import Circle
from circles.schema import CircleType
from circles.selectors import can_manage, membership_of, readable_circles_q
from community.graphql import ids
from community.graphql.enums import plain
from community.graphql.errors import (
    bad_input,
    forbidden,
    not_found,
    require_brand_viewer,
    require_viewer,
)
from community.graphql.loaders import loader, then
from community.graphql.media import file_url
from community.graphql.mutations import BRAND_STAFF, SIGNED_IN, IdempotentInput, Payload, ServiceMutation, payload
from community.graphql.pagination import clamp_first, paginate, returned_connection
from community.graphql.scalars import Upload
from community.models import User
from events.loaders import EventByIdLoader
from events.schema import EventType
from events.selectors import visible_event
from gamification import people, scores, selectors, services, tie_figures
from gamification.levels import level_for, level_name, level_starts_at
from gamification.loaders import (
    ActivityProfileByUserLoader,
    BadgesByUserLoader,
    PointsAccountByUserLoader,
    TieWithViewerLoader,
)
from gamification.models import (
    BadgeAward,
    PointsAccount,
    PointsTransaction,
    Redemption,
    Reward,
    Tie,
)
from gamification.models import Lifecycle as LifecycleChoices
from gamification.models import Maturity as MaturityChoices
from gamification.ties import level_of

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
    level_name = graphene.String(required=True, description="The level's name, in the reader's language.")
    next_level_at = graphene.Int(description="Lifetime points at which the next level starts; null at the top level.")
    level_starts_at = graphene.Int(required=True, description="Lifetime points at which the current level started.")
    check_in_streak = graphene.Int(
        required=True, description="Days in a row the user has checked in, still alive today; 0 once broken."
    )
    transactions = graphene.Field(PointsTransactionConnection, first=graphene.Int(), after=graphene.String())

    class Meta:
        name = "PointsAccount"

    @staticmethod
    def resolve_level_name(root: PointsAccount, info):
        return level_name(root.level)

    @staticmethod
    def resolve_level_starts_at(root: PointsAccount, info):
        return level_starts_at(root.lifetime_earned)

    @staticmethod
    def resolve_check_in_streak(root: PointsAccount, info):
        return services.current_streak(root)

    @staticmethod
    def resolve_transactions(root: PointsAccount, info, first=None, after=None):
        return paginate(selectors.transactions_of(root), PointsTransactionConnection, first=first, after=after)


class RewardType(DjangoObjectType):
    cover_url = graphene.String(description="Its cover image (cleaned: no metadata), or null.")

    class Meta:
        model = Reward
        name = "Reward"
        interfaces = (relay.Node,)
        fields = ("id", "name", "description", "cost", "stock")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.filter(active=True)

    @staticmethod
    def resolve_cover_url(root: Reward, info):
        return file_url(info, root.cover)


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


# Assembled by the root schema, which imports this module: referred to by name.
USER = "community.schema.UserType"
USER_CONNECTION = "community.schema.UserConnection"


TieLevel = graphene.Enum("TieLevel", [(n, n) for n in ("STRANGER", "ACQUAINTANCE", "FRIEND", "STRONG")])
Lifecycle = graphene.Enum("Lifecycle", [(v, v) for v in LifecycleChoices.values])
Maturity = graphene.Enum("Maturity", [(v, v) for v in MaturityChoices.values])
LeaderboardScope = graphene.Enum("LeaderboardScope", [(n, n) for n in ("GLOBAL", "CITY", "CIRCLE")])
LeaderboardPeriod = graphene.Enum("LeaderboardPeriod", [(n, n) for n in ("WEEK", "MONTH", "ALL_TIME")])


class TieType(graphene.ObjectType):
    """A tie seen from the viewer: `user` is the other person."""

    user = graphene.Field(USER, required=True)
    strength = graphene.Float(required=True)
    level = graphene.Field(TieLevel, required=True)
    shared_events = graphene.Int(required=True)
    last_interaction_at = graphene.DateTime()

    class Meta:
        name = "Tie"

    @staticmethod
    def resolve_user(root: Tie, info):
        viewer = info.context.user
        return root.user_high if viewer.pk == root.user_low_id else root.user_low

    @staticmethod
    def resolve_strength(root: Tie, info):
        return round(root.strength, 2)

    @staticmethod
    def resolve_level(root: Tie, info):
        return level_of(root.strength)


class TieConnection(relay.Connection):
    class Meta:
        node = TieType


class ActivityFactorsType(graphene.ObjectType):
    """Why a user has their score and sits in their segment cell, as of the last nightly run."""

    recency_points = graphene.Float(required=True, description="Out of 40: fades over 30 days without activity.")
    frequency_points = graphene.Float(required=True, description="Out of 30: active days in the last 30.")
    contribution_points = graphene.Float(required=True, description="Out of 30: what they gave in the last 30 days.")
    days_since_last_active = graphene.Float(
        required=True, description="Lifecycle: ≤7 ACTIVE, ≤30 DECLINING, ≤90 LAPSED."
    )
    active_days_30 = graphene.Int(required=True)
    tenure_days = graphene.Float(required=True, description="Maturity: MATURE from 180 days and 60 activities.")
    lifetime_actions = graphene.Int(required=True, description="Maturity: GROWING from 30 days and 10 activities.")
    posts_30 = graphene.Int(required=True)
    comments_received_30 = graphene.Int(required=True)
    events_attended_30 = graphene.Int(required=True)
    attendees_hosted_30 = graphene.Int(required=True)
    friend_ties = graphene.Int(required=True, description="Ties at FRIEND or above.")

    class Meta:
        name = "ActivityFactors"


class ActivityProfileType(graphene.ObjectType):
    activity_score = graphene.Float(required=True)
    lifecycle = graphene.Field(Lifecycle, required=True)
    maturity = graphene.Field(Maturity, required=True)
    last_active_at = graphene.DateTime()
    factors = graphene.Field(
        ActivityFactorsType, description="The factors of the score and the cell; null until the first nightly run."
    )

    class Meta:
        name = "ActivityProfile"

    @staticmethod
    def resolve_activity_score(root, info):
        return round(root.activity_score, 1)

    @staticmethod
    def resolve_factors(root, info):
        if root.computed_at is None:
            return None
        return ActivityFactorsType(
            recency_points=round(root.recency_points, 2),
            frequency_points=round(root.frequency_points, 2),
            contribution_points=round(root.contribution_points, 2),
            days_since_last_active=round(root.idle_days, 1),
            active_days_30=root.active_days_30,
            tenure_days=round(root.tenure_days, 1),
            lifetime_actions=root.lifetime_actions,
            posts_30=root.posts_30,
            comments_received_30=root.comments_received_30,
            events_attended_30=root.attended_30,
            attendees_hosted_30=root.hosted_30,
            friend_ties=root.friend_ties,
        )


class LeaderboardEntryType(graphene.ObjectType):
    rank = graphene.Int(required=True)
    score = graphene.Float(required=True)
    user = graphene.Field(USER)
    circle = graphene.Field(CircleType)

    class Meta:
        name = "LeaderboardEntry"


class SegmentCellType(graphene.ObjectType):
    maturity = graphene.Field(Maturity, required=True)
    lifecycle = graphene.Field(Lifecycle, required=True)
    users = graphene.Int(required=True)

    class Meta:
        name = "SegmentCell"


class SegmentMatrixType(graphene.ObjectType):
    cells = graphene.List(graphene.NonNull(SegmentCellType), required=True)
    total = graphene.Int(required=True)
    computed_at = graphene.DateTime()

    class Meta:
        name = "SegmentMatrix"


class GamificationUserFields:
    """Fields of `User` (mixed into `community.schema.UserType`); batched, so lists stay flat."""

    level = graphene.Int(required=True)
    level_name = graphene.String(required=True, description="The user's level's name, in the reader's language.")
    badges = graphene.List(graphene.NonNull(BadgeType), required=True)
    points = graphene.Field(
        PointsAccountType, description="Visible to the user themself and to brand staff, null for everyone else."
    )

    tie = graphene.Field(
        TieType, description="The viewer's tie with this user; null for the viewer themself or when anonymous."
    )
    activity = graphene.Field(
        ActivityProfileType, description="Visible to the user themself and to brand staff, null for everyone else."
    )

    @staticmethod
    def resolve_tie(root, info):
        viewer = info.context.user
        if viewer is None or not viewer.is_authenticated or viewer.pk == root.pk:
            return None
        return loader(info, TieWithViewerLoader).load(root.pk)

    @staticmethod
    def resolve_activity(root, info):
        if not selectors.can_see_activity(info.context.user, root.pk):
            return None
        return then(
            loader(info, ActivityProfileByUserLoader).load(root.pk),
            lambda profile: profile or scores.provisional_profile(root),
        )

    @staticmethod
    def resolve_level(root, info):
        return then(
            loader(info, PointsAccountByUserLoader).load(root.pk),
            lambda account: account.level if account else level_for(0),
        )

    @staticmethod
    def resolve_level_name(root, info):
        return then(
            loader(info, PointsAccountByUserLoader).load(root.pk),
            lambda account: level_name(account.level if account else level_for(0)),
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


class StrongTieWeekType(graphene.ObjectType):
    week_start = graphene.Date(required=True)
    new_members = graphene.Int(required=True, description="Members who reached their first strong tie that week.")
    cumulative = graphene.Int(required=True, description="Members who had reached one by the end of that week.")

    class Meta:
        name = "StrongTieWeek"


class StrongTieFiguresType(graphene.ObjectType):
    members = graphene.Int(required=True)
    members_with_strong_tie = graphene.Int(required=True, description="Members with at least one STRONG tie now.")
    share = graphene.Float(required=True)
    weeks = graphene.List(graphene.NonNull(StrongTieWeekType), required=True)

    class Meta:
        name = "StrongTieFigures"


class TieMonthType(graphene.ObjectType):
    month = graphene.Date(required=True, description="The first day of the month (local time).")
    ties_formed = graphene.Int(required=True, description="Ties formed between members of the circle that month.")

    class Meta:
        name = "TieMonth"


class EventTiesType(graphene.ObjectType):
    event = graphene.Field(EventType)
    attendees = graphene.Int(required=True)
    new_ties = graphene.Int(
        required=True, description="Pairs of attendees whose tie was formed or raised a level around the event."
    )

    class Meta:
        name = "EventTies"

    @staticmethod
    def resolve_event(root, info):
        return loader(info, EventByIdLoader).load(root.event_id)


class CircleTieFiguresType(graphene.ObjectType):
    members = graphene.Int(required=True)
    members_with_strong_tie = graphene.Int(required=True, description="Members with at least one STRONG tie now.")
    strong_tie_share = graphene.Float(required=True)
    months = graphene.List(graphene.NonNull(TieMonthType), required=True)
    top_events = graphene.List(
        graphene.NonNull(EventTiesType), required=True, description="The circle's events that formed the most ties."
    )

    class Meta:
        name = "CircleTieFigures"


class TieCohortPointType(graphene.ObjectType):
    days = graphene.Int(required=True, description="Days after joining: 30, 60 or 90.")
    measured = graphene.Int(required=True, description="Owners of the cohort for whom that many days have passed.")
    with_friend = graphene.Int(required=True, description="Of those, with a FRIEND tie (or stronger) by then.")
    with_strong_tie = graphene.Int(required=True)
    friend_share = graphene.Float(required=True)
    strong_share = graphene.Float(required=True)

    class Meta:
        name = "TieCohortPoint"


class TieCohortType(graphene.ObjectType):
    month = graphene.Date(required=True, description="The month they joined (its first day, local time).")
    joined = graphene.Int(required=True)
    points = graphene.List(graphene.NonNull(TieCohortPointType), required=True)

    class Meta:
        name = "TieCohort"


class GamificationQuery(graphene.ObjectType):
    people_you_met = graphene.Field(
        USER_CONNECTION,
        event_id=graphene.ID(required=True),
        first=graphene.Int(),
        after=graphene.String(),
        description="For an attendee of the event: the other attendees they do not follow yet, strongest tie first.",
    )
    people_you_may_know = graphene.Field(
        USER_CONNECTION,
        first=graphene.Int(),
        after=graphene.String(),
        description="Owners the viewer shares attended events, circles or followed people with, not followed yet.",
    )
    circle_tie_figures = graphene.Field(
        CircleTieFiguresType,
        circle_id=graphene.ID(required=True),
        months=graphene.Int(description="How many months back, this one included (default 6, at most 24)."),
        description="Hosts, co-hosts and brand staff: ties formed in the circle and who has a strong tie.",
    )
    tie_cohorts = graphene.Field(
        graphene.List(graphene.NonNull(TieCohortType)),
        months=graphene.Int(description="Cohorts of the last N months, this one included (default 6, at most 24)."),
        city=graphene.String(),
        circle_id=graphene.ID(description="The circle's members, by the month they joined it."),
        description="Brand staff only: of owners who joined in each month, the share with a FRIEND and a STRONG tie "
        "30, 60 and 90 days later.",
    )
    strong_tie_figures = graphene.Field(
        StrongTieFiguresType,
        weeks=graphene.Int(description="How many weeks back, this one included (default 8, at most 52)."),
        description="Brand staff only: members with a strong tie, and how that grows week by week.",
    )
    rewards = graphene.Field(
        RewardConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="The points mall: rewards on sale, in the order brand staff set.",
    )

    my_ties = graphene.Field(
        TieConnection,
        first=graphene.Int(),
        after=graphene.String(),
        min_level=graphene.Argument(TieLevel),
        description="The viewer's ties, strongest first.",
    )
    leaderboard = graphene.Field(
        graphene.List(graphene.NonNull(LeaderboardEntryType)),
        required=True,
        scope=graphene.Argument(LeaderboardScope, required=True),
        period=graphene.Argument(LeaderboardPeriod),
        circle_id=graphene.ID(),
        city=graphene.String(),
        first=graphene.Int(),
        description="Users by points earned in the period (WEEK: since Monday, MONTH: since the 1st, local time).",
    )
    circle_ranking = graphene.Field(
        graphene.List(graphene.NonNull(LeaderboardEntryType)),
        required=True,
        first=graphene.Int(),
        city=graphene.String(),
        description="Public circles by activity score (recomputed nightly).",
    )
    segment_matrix = graphene.Field(SegmentMatrixType, city=graphene.String(), description="Brand staff only.")
    segment_users = graphene.Field(
        USER_CONNECTION,
        maturity=graphene.Argument(Maturity, required=True),
        lifecycle=graphene.Argument(Lifecycle, required=True),
        first=graphene.Int(),
        after=graphene.String(),
        city=graphene.String(description="Only owners of this city (the matrix's `city` filter)."),
        description="Brand staff only.",
    )

    @staticmethod
    def resolve_people_you_met(root, info, event_id, first=None, after=None):
        viewer = require_viewer(info)
        event_pk = ids.decode_argument(event_id, "Event", "eventId")
        if visible_event(viewer, event_pk) is None:
            raise not_found()
        if not people.attended(viewer, event_pk):
            raise forbidden()
        met = people.people_met(viewer, event_pk)
        return paginate(met, returned_connection(info), first=first, after=after, ordering=people.MET_ORDERING)

    @staticmethod
    def resolve_people_you_may_know(root, info, first=None, after=None):
        viewer = require_viewer(info)
        known = people.people_may_know(viewer)
        return paginate(known, returned_connection(info), first=first, after=after, ordering=people.MAY_KNOW_ORDERING)

    @staticmethod
    def resolve_circle_tie_figures(root, info, circle_id, months=6):
        viewer = require_viewer(info)
        circle_pk = ids.decode_argument(circle_id, "Circle", "circleId")
        if not 1 <= months <= 24:
            raise bad_input(_("Between 1 and 24 months."))
        if not Circle.objects.filter(pk=circle_pk).exists():
            raise not_found()
        if not can_manage(viewer, membership_of(viewer, circle_pk)):
            raise forbidden()
        figures = tie_figures.circle_tie_figures(circle_pk, months=months)
        return CircleTieFiguresType(
            members=figures.members,
            members_with_strong_tie=figures.members_with_strong_tie,
            strong_tie_share=figures.strong_tie_share,
            months=[TieMonthType(month=m.month, ties_formed=m.ties_formed) for m in figures.months],
            top_events=[
                EventTiesType(event_id=e.event_id, attendees=e.attendees, new_ties=e.new_ties)
                for e in figures.top_events
            ],
        )

    @staticmethod
    def resolve_tie_cohorts(root, info, months=6, city=None, circle_id=None):
        require_brand_viewer(info)
        if not 1 <= months <= 24:
            raise bad_input(_("Between 1 and 24 months."))
        circle_pk = ids.decode_argument(circle_id, "Circle", "circleId") if circle_id else None
        cohorts = tie_figures.tie_cohorts(months=months, city=(city or "").strip() or None, circle_id=circle_pk)
        return [
            TieCohortType(
                month=cohort.month,
                joined=cohort.joined,
                points=[
                    TieCohortPointType(
                        days=p.days,
                        measured=p.measured,
                        with_friend=p.with_friend,
                        with_strong_tie=p.with_strong_tie,
                        friend_share=p.friend_share,
                        strong_share=p.strong_share,
                    )
                    for p in cohort.points
                ],
            )
            for cohort in cohorts
        ]

    @staticmethod
    def resolve_strong_tie_figures(root, info, weeks=8):
        require_brand_viewer(info)
        if not 1 <= weeks <= 52:
            raise bad_input(_("Between 1 and 52 weeks."))
        return selectors.strong_tie_figures(weeks=weeks)

    @staticmethod
    def resolve_rewards(root, info, first=None, after=None):
        return paginate(
            selectors.rewards_on_sale(), RewardConnection, first=first, after=after, ordering=("position", "id")
        )

    @staticmethod
    def resolve_my_ties(root, info, first=None, after=None, min_level=None):
        viewer = require_viewer(info)
        ties = selectors.ties_of(viewer.pk, min_level=plain(min_level))
        return paginate(ties, TieConnection, first=first, after=after, ordering=("-strength", "-id"))

    @staticmethod
    def resolve_leaderboard(root, info, scope, period=None, circle_id=None, city=None, first=None):
        scope, period = plain(scope), plain(period) or "ALL_TIME"
        limit = clamp_first(first)
        circle_pk = None
        if scope == "CITY":
            city = (city or "").strip() or (info.context.user.city if info.context.user.is_authenticated else "")
            if not city:
                raise bad_input(_("Give a city for a city leaderboard."))
        elif scope == "CIRCLE":
            if not circle_id:
                raise bad_input(_("Give a circle for a circle leaderboard."))
            circle_pk = ids.decode_argument(circle_id, "Circle", "circleId")

            # A private circle's members are ranked for its members (and brand staff) only.
            if not Circle.objects.filter(readable_circles_q(info.context.user), pk=circle_pk).exists():
                raise not_found()
        rows = selectors.leaderboard(scope=scope, period=period, limit=limit, circle_id=circle_pk, city=city)
        users = User.objects.in_bulk([user_id for user_id, _score in rows])
        return [
            LeaderboardEntryType(rank=rank, score=float(score), user=users.get(user_id))
            for rank, (user_id, score) in enumerate(rows, start=1)
        ]

    @staticmethod
    def resolve_circle_ranking(root, info, first=None, city=None):
        circles = selectors.circle_ranking(limit=clamp_first(first), city=(city or "").strip() or None)
        return [
            LeaderboardEntryType(rank=rank, score=round(circle.activity_score, 2), circle=circle)
            for rank, circle in enumerate(circles, start=1)
        ]

    @staticmethod
    def resolve_segment_matrix(root, info, city=None):
        require_brand_viewer(info)
        matrix = scores.segment_matrix((city or "").strip() or None)
        return SegmentMatrixType(
            cells=[SegmentCellType(**cell) for cell in matrix["cells"]],
            total=matrix["total"],
            computed_at=matrix["computed_at"],
        )

    @staticmethod
    def resolve_segment_users(root, info, maturity, lifecycle, first=None, after=None, city=None):
        require_brand_viewer(info)
        users = scores.segment_users(plain(maturity), plain(lifecycle), (city or "").strip() or None)
        return paginate(users, returned_connection(info), first=first, after=after, ordering=("id",))


# ---------------------------------------------------------------- mutations


class DailyCheckInPayload(Payload):
    points_awarded = graphene.Int(required=True)
    streak = graphene.Int(required=True)
    account = graphene.Field(PointsAccountType)


class RedeemRewardInput(IdempotentInput, graphene.InputObjectType):
    reward_id = graphene.ID(required=True)


class RedeemRewardPayload(Payload):
    redemption = graphene.Field(RedemptionType)
    account = graphene.Field(PointsAccountType)


class DailyCheckIn(ServiceMutation):
    """Check in for today (the user's local day): points, a streak, and a bonus every 7th day in a row."""

    Output = DailyCheckInPayload
    access = SIGNED_IN

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
    access = SIGNED_IN
    idempotent_result = "redemption"
    input_type = RedeemRewardInput

    @classmethod
    def perform(cls, info, input):
        reward_id = ids.decode(input.reward_id, "Reward", field="rewardId")
        result = services.redeem_reward(user=info.context.user, reward_id=reward_id)
        return RedeemRewardPayload(redemption=result.redemption, account=result.account)

    @classmethod
    def replayed_payload(cls, info, produced):
        return RedeemRewardPayload(redemption=produced, account=services.account_for(info.context.user.pk))

    @classmethod
    def error_payload(cls, info, errors):
        user = info.context.user
        account = services.account_for(user.pk) if user.is_authenticated else None
        return RedeemRewardPayload(account=account, errors=errors)


class LaunchCampaignInput(graphene.InputObjectType):
    maturity = graphene.Field(Maturity, required=True)
    lifecycle = graphene.Field(Lifecycle, required=True)
    message = graphene.String(required=True)
    city = graphene.String()


class CampaignPayload(Payload):
    recipients = graphene.Int(
        required=True,
        description="Users notified; users reached by another campaign in the last 7 days are skipped.",
    )
    skipped = graphene.Int(required=True)
    opted_out = graphene.Int(required=True, description="Of `skipped`, users who opted out of brand campaigns.")


class LaunchCampaign(ServiceMutation):
    """Brand staff only: notify one cell of the segment matrix (optionally one city), at most once a week each."""

    Output = CampaignPayload
    access = BRAND_STAFF
    input_type = LaunchCampaignInput

    @classmethod
    def perform(cls, info, input):
        result = services.launch_campaign(
            user=info.context.user,
            maturity=input.maturity,
            lifecycle=input.lifecycle,
            message=input.message,
            city=input.get("city"),
        )
        return CampaignPayload(recipients=result.recipients, skipped=result.skipped, opted_out=result.opted_out)

    @classmethod
    def error_payload(cls, info, errors):
        return CampaignPayload(recipients=0, skipped=0, opted_out=0, errors=errors)


RewardPayload = payload("RewardPayload", reward=RewardType)


class SetRewardCoverInput(graphene.InputObjectType):
    reward_id = graphene.ID(required=True)
    image = Upload(required=True)


class SetRewardCover(ServiceMutation):
    Output = RewardPayload
    access = BRAND_STAFF
    input_type = SetRewardCoverInput
    service = services.set_reward_cover
    decode = {"reward_id": "Reward"}


class GamificationMutation(graphene.ObjectType):
    set_reward_cover = SetRewardCover.Field(
        description="Brand staff: a reward's cover image, cleaned like post photos."
    )
    daily_check_in = DailyCheckIn.Field()
    redeem_reward = RedeemReward.Field()
    launch_campaign = LaunchCampaign.Field(description="Brand staff only.")
