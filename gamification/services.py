"""Every write of gamification: the ledger, check-ins, badges and the points mall.

The ledger's rules, which everything here keeps:
- a cause is paid at most once: each transaction has a unique key naming it;
- an account's balance and lifetime total change in the same database transaction as the ledger
  row, under a row lock on the account (one writer per user at a time), and the balance never goes
  below zero (checked in the UPDATE and by a CHECK constraint);
- lock order is always the account first, then a reward or a redemption, so nothing deadlocks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel import realtime
from community.kernel.access import require_brand_staff, require_user
from community.kernel.activity import dispatch_memo, record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.images import clean_image, replacing_cover
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification
from community.notifications import preferences
from community.notifications.services import notify
from gamification.codes import STREAK_BONUS_EVERY, Rule
from gamification.models import (
    Badge,
    BadgeAward,
    Campaign,
    CampaignDelivery,
    CheckIn,
    Lifecycle,
    Maturity,
    PointsAccount,
    PointsRule,
    PointsTransaction,
    Redemption,
    Reward,
)
from gamification.scores import segment_users

logger = logging.getLogger(__name__)

Kind = PointsTransaction.Kind

# ---------------------------------------------------------------- days


def day_timezone() -> ZoneInfo:
    """The zone whose calendar days count for check-ins and daily caps (users have no own zone yet)."""
    return ZoneInfo(getattr(settings, "POINTS_TIME_ZONE", "Asia/Shanghai"))


def local_day(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(day_timezone()).date()


# ---------------------------------------------------------------- the ledger


def _locked_account(user_id: int) -> PointsAccount:
    """The user's account, created on first use, locked until the surrounding transaction ends."""
    account = PointsAccount.objects.select_for_update().filter(user_id=user_id).first()
    if account is None:
        PointsAccount.objects.get_or_create(user_id=user_id)
        account = PointsAccount.objects.select_for_update().get(user_id=user_id)
    return account


def _post(
    account: PointsAccount,
    *,
    amount: int,
    kind: str,
    key: str,
    day: date,
    note: str = "",
    rule: PointsRule | None = None,
    reverses: PointsTransaction | None = None,
    lifetime_delta: int = 0,
) -> PointsTransaction | None:
    """Write one ledger row and move the locked account by `amount`; None if `key` was already paid.

    Must run inside `transaction.atomic()` with `account` locked by `_locked_account`. The row is
    stamped with the time it is written (so the ledger's cursors stay stable); `day` is the local
    day of its cause, which daily caps count by.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            entry = PointsTransaction.objects.create(
                account=account,
                amount=amount,
                kind=kind,
                key=key,
                rule=rule,
                reverses=reverses,
                note=note[:120],
                day=day,
                created_at=now,
            )
    except IntegrityError:
        # The key (or the reversal) exists already: that cause has been paid.
        return None
    moved = PointsAccount.objects.filter(pk=account.pk, balance__gte=-amount).update(
        balance=F("balance") + amount,
        lifetime_earned=F("lifetime_earned") + lifetime_delta,
        updated_at=now,
    )
    if not moved:
        raise _insufficient(cost=-amount, balance=account.balance)
    account.balance += amount
    account.lifetime_earned += lifetime_delta
    return entry


def _insufficient(*, cost: int, balance: int) -> ServiceError:
    return ServiceError(
        ErrorCode.INSUFFICIENT_POINTS,
        _("Not enough points: this needs %(cost)d and you have %(balance)d.") % {"cost": cost, "balance": balance},
    )


def _rule(code: str) -> PointsRule | None:
    """The rule, read once per batch of activities being dispatched (every time outside one)."""
    memo = dispatch_memo()
    if memo is None:
        return PointsRule.objects.filter(code=code).first()
    key = ("gamification.rule", code)
    if key not in memo:
        memo[key] = PointsRule.objects.filter(code=code).first()
    return memo[key]


def _badge(code: str) -> Badge | None:
    """The badge if it is on, read once per batch of activities being dispatched."""
    memo = dispatch_memo()
    if memo is None:
        return Badge.objects.filter(code=code, active=True).first()
    key = ("gamification.badge", code)
    if key not in memo:
        memo[key] = Badge.objects.filter(code=code, active=True).first()
    return memo[key]


def award_points(
    *, user_id: int, rule_code: str, key: str, now: datetime | None = None, activity: Activity | None = None
) -> PointsTransaction | None:
    """Pay the rule's points to the user for the cause named by `key`, at most once.

    Returns the new transaction, or None when nothing was paid: the cause was paid before, the rule
    is switched off, or the user reached the rule's daily cap (a cap leaves room for part of the
    points: that part is paid). `now` is when the cause happened; its local day counts for the cap,
    so a redelivered activity is judged against the day it happened on.
    """
    now = now or timezone.now()
    rule = _rule(rule_code)
    if rule is None:
        logger.warning("no points rule %r; nothing paid for %s", rule_code, key)
        return None
    if not rule.active or rule.points <= 0:
        return None
    day = local_day(now)
    with transaction.atomic():
        account = _locked_account(user_id)
        # A cause paid before is refused by the key's unique index when the row is written (`_post`).
        amount = rule.points
        if rule.daily_cap is not None:
            earned_today = (
                PointsTransaction.objects.filter(account=account, rule=rule, kind=Kind.EARN, day=day).aggregate(
                    total=Sum("amount")
                )["total"]
                or 0
            )
            amount = min(amount, rule.daily_cap - earned_today)
        if amount <= 0:
            return None
        level_before = account.level
        entry = _post(
            account,
            amount=amount,
            kind=Kind.EARN,
            key=key,
            day=day,
            note=rule.name,
            rule=rule,
            lifetime_delta=amount,
        )
        if entry is not None and (rule.notify or account.level > level_before):
            _notify_points(account, entry, rule=rule, level_up=account.level > level_before, activity=activity)
    return entry


def _notify_points(
    account: PointsAccount, entry: PointsTransaction, *, rule: PointsRule, level_up: bool, activity
) -> None:
    """POINTS_AWARDED, sparingly: for rules marked `notify` (milestones) and when the level goes up.

    Tied to the causing activity, so one action that pays twice (a check-in and its streak bonus)
    still notifies once.
    """
    notify(
        recipient_id=account.user_id,
        verb=NotificationVerb.POINTS_AWARDED,
        activity=activity,
        data={
            "points": entry.amount,
            "rule": rule.code,
            "reason": rule.name,
            "balance": account.balance,
            "level": account.level,
            "levelUp": level_up,
        },
    )


def revoke_points(*, key: str, now: datetime | None = None) -> PointsTransaction | None:
    """Take back what the cause `key` earned, once (the new row is keyed `revoke:<key>`).

    For other apps to call when a cause is undone: a like removed, a post deleted or hidden by
    moderation. The lifetime total loses the whole earning (so the level is honest); the balance loses
    what it still holds of it, never going below zero (points already spent stay spent). Returns the
    take-back row, or None when the cause earned nothing or was already taken back.
    """
    now = now or timezone.now()
    with transaction.atomic():
        original = PointsTransaction.objects.filter(key=key, kind=Kind.EARN).first()
        if original is None:
            return None
        account = PointsAccount.objects.select_for_update().get(pk=original.account_id)
        if PointsTransaction.objects.filter(reverses=original).exists():
            return None
        level_before = account.level
        entry = _post(
            account,
            amount=-min(original.amount, account.balance),
            kind=Kind.REVOKE,
            key=f"revoke:{key}",
            day=local_day(now),
            note=original.note,
            rule=original.rule,
            reverses=original,
            lifetime_delta=-original.amount,
        )
        if entry is not None and account.level < level_before:
            logger.info("user %s went down to level %s after %s", account.user_id, account.level, entry.key)
    return entry


def account_for(user_id: int) -> PointsAccount:
    """The user's account as it stands, or an empty one (not saved) for a user who never earned."""
    return PointsAccount.objects.filter(user_id=user_id).first() or PointsAccount(user_id=user_id)


# ---------------------------------------------------------------- daily check-in


@dataclass(frozen=True)
class CheckInResult:
    check_in: CheckIn
    points_awarded: int
    streak: int
    account: PointsAccount


def current_streak(account: PointsAccount, now: datetime | None = None) -> int:
    """The streak still alive: the last check-in was today or yesterday, else it has broken (0)."""
    if account.last_check_in_on is None:
        return 0
    gap = (local_day(now) - account.last_check_in_on).days
    return account.check_in_streak if gap in (0, 1) else 0


def daily_check_in(*, user, now: datetime | None = None) -> CheckInResult:
    """Check in for the user's local day: once a day, the streak going on from yesterday or from 1.

    Pays the daily check-in rule, plus the streak bonus rule on every 7th day in a row.
    """
    require_user(user)
    now = now or timezone.now()
    today = local_day(now)
    try:
        with transaction.atomic():
            account = _locked_account(user.pk)
            if CheckIn.objects.filter(user_id=user.pk, day=today).exists():
                raise _already_checked_in()
            yesterday = CheckIn.objects.filter(user_id=user.pk, day=today - timedelta(days=1)).first()
            streak = yesterday.streak + 1 if yesterday else 1
            check_in = CheckIn.objects.create(user_id=user.pk, day=today, streak=streak, created_at=now)
            activity = record_activity(
                actor=user,
                verb=Verb.POINTS_CHECKED_IN,
                target=check_in,
                data={"day": today.isoformat(), "streak": streak},
            )
            paid = [
                award_points(
                    user_id=user.pk,
                    rule_code=Rule.DAILY_CHECK_IN,
                    key=f"{Rule.DAILY_CHECK_IN}:user:{user.pk}:day:{today.isoformat()}",
                    now=now,
                    activity=activity,
                )
            ]
            if streak % STREAK_BONUS_EVERY == 0:
                paid.append(
                    award_points(
                        user_id=user.pk,
                        rule_code=Rule.CHECK_IN_STREAK_BONUS,
                        key=f"{Rule.CHECK_IN_STREAK_BONUS}:user:{user.pk}:day:{today.isoformat()}",
                        now=now,
                        activity=activity,
                    )
                )
            points = sum(entry.amount for entry in paid if entry is not None)
            if points:
                CheckIn.objects.filter(pk=check_in.pk).update(points=points)
                check_in.points = points
            # Check-ins written for past days (demo data, back-fills) never move the streak backwards.
            if account.last_check_in_on is None or today >= account.last_check_in_on:
                PointsAccount.objects.filter(pk=account.pk).update(check_in_streak=streak, last_check_in_on=today)
    except IntegrityError:
        # A check-in for the same day committed between our look and our insert.
        raise _already_checked_in() from None
    account.refresh_from_db()
    return CheckInResult(check_in=check_in, points_awarded=points, streak=streak, account=account)


def _already_checked_in() -> ServiceError:
    return ServiceError(ErrorCode.CONFLICT, _("You have already checked in today. Come back tomorrow."))


# ---------------------------------------------------------------- badges


def award_badge(
    *, user_id: int, code: str, now: datetime | None = None, activity: Activity | None = None
) -> BadgeAward | None:
    """Give the badge to the user once, and notify them; None if they had it or it is switched off."""
    badge = _badge(code)
    if badge is None:
        return None
    with transaction.atomic():
        award, created = BadgeAward.objects.get_or_create(
            user_id=user_id, badge=badge, defaults={"awarded_at": now or timezone.now()}
        )
        if not created:
            return None
        # Not tied to the activity: one action may earn two badges (first event and fifth event),
        # and each deserves its notification; the award's uniqueness already stops repeats.
        notify(
            recipient_id=user_id,
            verb=NotificationVerb.BADGE_AWARDED,
            data={"badge": badge.code, "name": badge.name, "description": badge.description},
        )
    return award


# ---------------------------------------------------------------- the points mall


@dataclass(frozen=True)
class RedeemResult:
    redemption: Redemption
    account: PointsAccount


def redeem_reward(*, user, reward_id: int, now: datetime | None = None) -> RedeemResult:
    """Spend points on a reward: balance and stock are checked and taken in one transaction.

    The stock goes down in a conditional UPDATE (never below zero, whatever the concurrency), the
    points through the ledger under the account lock, keyed `redeem:<redemption id>`.
    """
    require_user(user)
    now = now or timezone.now()
    with transaction.atomic():
        reward = Reward.objects.filter(pk=reward_id, active=True).first()
        if reward is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("This reward is not in the points mall."), "rewardId")
        if reward.stock <= 0:
            raise _out_of_stock()
        account = _locked_account(user.pk)
        if account.balance < reward.cost:
            raise _insufficient(cost=reward.cost, balance=account.balance)
        if not Reward.objects.filter(pk=reward.pk, active=True, stock__gt=0).update(stock=F("stock") - 1):
            raise _out_of_stock()
        redemption = Redemption.objects.create(user_id=user.pk, reward=reward, cost=reward.cost, created_at=now)
        spent = _post(
            account,
            amount=-reward.cost,
            kind=Kind.SPEND,
            key=f"redeem:{redemption.pk}",
            day=local_day(now),
            note=reward.name,
        )
        if spent is None:  # a fresh redemption's key cannot exist: refuse rather than give it away
            raise RuntimeError(f"redeem:{redemption.pk} was already in the ledger")
        record_activity(
            actor=user, verb=Verb.POINTS_REDEEMED, target=redemption, data={"reward": reward.pk, "cost": reward.cost}
        )
    reward.stock -= 1
    return RedeemResult(redemption=redemption, account=account)


def _out_of_stock() -> ServiceError:
    return ServiceError(ErrorCode.OUT_OF_STOCK, _("This reward is out of stock."), "rewardId")


def fulfil_redemption(*, user, redemption_id: int) -> Redemption:
    """Brand staff mark a redemption as sent."""
    require_brand_staff(user)
    with transaction.atomic():
        redemption = Redemption.objects.select_for_update().filter(pk=redemption_id).first()
        if redemption is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Redemption not found."), "redemptionId")
        if redemption.status != Redemption.Status.PENDING:
            raise _already_handled()
        redemption.status = Redemption.Status.FULFILLED
        redemption.handled_at = timezone.now()
        redemption.handled_by = user
        redemption.save(update_fields=["status", "handled_at", "handled_by"])
    return redemption


def cancel_redemption(*, user, redemption_id: int, now: datetime | None = None) -> Redemption:
    """Brand staff cancel a redemption that was not sent: the points come back and so does the stock."""
    require_brand_staff(user)
    now = now or timezone.now()
    with transaction.atomic():
        owner_id = Redemption.objects.filter(pk=redemption_id).values_list("user_id", flat=True).first()
        if owner_id is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Redemption not found."), "redemptionId")
        account = _locked_account(owner_id)
        redemption = Redemption.objects.select_for_update().select_related("reward").get(pk=redemption_id)
        if redemption.status != Redemption.Status.PENDING:
            raise _already_handled()
        redemption.status = Redemption.Status.CANCELLED
        redemption.handled_at = now
        redemption.handled_by = user
        redemption.save(update_fields=["status", "handled_at", "handled_by"])
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
        refunded = _post(
            account,
            amount=redemption.cost,
            kind=Kind.REFUND,
            key=f"refund:redeem:{redemption.pk}",
            day=local_day(now),
            note=redemption.reward.name,
        )
        if refunded is None:  # only a PENDING redemption gets here, and it was never refunded
            raise RuntimeError(f"refund:redeem:{redemption.pk} was already in the ledger")
    return redemption


def _already_handled() -> ServiceError:
    return ServiceError(ErrorCode.CONFLICT, _("This redemption has already been handled."), "redemptionId")


def restock_reward(*, user, reward_id: int, quantity: int) -> Reward:
    """Add stock without overwriting what concurrent redemptions took meanwhile."""
    require_brand_staff(user)
    if quantity <= 0:
        raise ServiceError(ErrorCode.INVALID, _("Add at least one."), "quantity")
    with transaction.atomic():
        if not Reward.objects.filter(pk=reward_id).update(stock=F("stock") + quantity):
            raise ServiceError(ErrorCode.NOT_FOUND, _("This reward is not in the points mall."), "rewardId")
    return Reward.objects.get(pk=reward_id)


# ---------------------------------------------------------------- campaigns

CAMPAIGN_COOLDOWN = timedelta(days=7)
MAX_CAMPAIGN_CHARS = 500
CAMPAIGN_LOCK_KEY = 0x63616D70  # "camp": one campaign at a time, so the weekly cap holds


@dataclass(frozen=True)
class CampaignResult:
    campaign: object
    recipients: int
    skipped: int
    # Of `skipped`, those who opted out of campaigns (the rest were reached by one in the last 7 days).
    opted_out: int = 0


def launch_campaign(*, user, maturity: str, lifecycle: str, message: str, city: str | None = None) -> CampaignResult:
    """Notify every user of one segment cell (optionally one city) with `message`, except those any
    campaign reached in the last 7 days. Set-based: a handful of queries whatever the cell's size."""
    from django.db import connection

    require_brand_staff(user)
    message = (message or "").strip()
    if not message:
        raise ServiceError(ErrorCode.INVALID, _("Write the campaign message."), "message")
    if len(message) > MAX_CAMPAIGN_CHARS:
        raise ServiceError(
            ErrorCode.INVALID,
            _("The campaign message can be at most %(n)d characters.") % {"n": MAX_CAMPAIGN_CHARS},
            "message",
        )
    maturity, lifecycle = getattr(maturity, "value", maturity), getattr(lifecycle, "value", lifecycle)
    if maturity not in Maturity.values:
        raise ServiceError(ErrorCode.INVALID, _("Unknown maturity."), "maturity")
    if lifecycle not in Lifecycle.values:
        raise ServiceError(ErrorCode.INVALID, _("Unknown lifecycle."), "lifecycle")
    city = (city or "").strip()
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CAMPAIGN_LOCK_KEY])
        cell = segment_users(maturity, lifecycle, city or None)
        total = cell.count()
        recently = CampaignDelivery.objects.filter(delivered_at__gt=now - CAMPAIGN_COOLDOWN).values("user_id")
        opted_out = cell.filter(pk__in=preferences.campaign_opted_out_ids()).count()
        recipient_ids = list(
            cell.exclude(pk__in=recently)
            .exclude(pk__in=preferences.campaign_opted_out_ids())
            .values_list("pk", flat=True)
        )
        campaign = Campaign.objects.create(
            maturity=maturity,
            lifecycle=lifecycle,
            city=city,
            message=message,
            recipients=len(recipient_ids),
            skipped=total - len(recipient_ids),
            created_by=user,
            created_at=now,
        )
        CampaignDelivery.objects.bulk_create(
            [CampaignDelivery(campaign=campaign, user_id=uid, delivered_at=now) for uid in recipient_ids],
            batch_size=1000,
        )
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=uid, verb=NotificationVerb.CAMPAIGN, actor=None, data={"text": message}, created_at=now
                )
                for uid in recipient_ids
            ],
            batch_size=1000,
        )
        # Quiet hours and a campaign kind switched off for push keep it out of the live push only.
        wanted = preferences.preferences_of_many(recipient_ids)
        for notification in notifications:
            if notification.pk is not None and wanted[notification.recipient_id].wants_push(
                NotificationVerb.CAMPAIGN, now
            ):
                realtime.publish(realtime.user_notifications_topic(notification.recipient_id), {"id": notification.pk})
    return CampaignResult(
        campaign=campaign, recipients=campaign.recipients, skipped=campaign.skipped, opted_out=opted_out
    )


def set_reward_cover(*, user, reward_id: int, image) -> Reward:
    """Brand staff give a reward of the mall a cover image, through the photo pipeline (size and pixel
    limits, metadata stripped); the replaced file is deleted after commit."""
    require_brand_staff(user)
    reward = Reward.objects.filter(pk=reward_id).first()
    if reward is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Reward not found."), "rewardId")
    clean = clean_image(image, field="image")
    with replacing_cover(reward, clean, stem=f"reward-{reward.pk}"):
        pass
    return reward
