"""Points, levels, badges and rewards.

The ledger is the truth: `PointsTransaction` rows are append-only, each keyed by the cause it pays
for, and `PointsAccount` is the running total kept in the same database transaction as the row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gamification.levels import level_for, next_level_at


class PointsRule(models.Model):
    """What an action earns. Brand staff edit points, caps and switches; code refers to it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    points = models.PositiveIntegerField(_("points"))
    daily_cap = models.PositiveIntegerField(
        _("daily cap"),
        null=True,
        blank=True,
        help_text=_("Most points one user can earn from this rule in one day; empty for no cap."),
    )
    notify = models.BooleanField(
        _("notify"), default=False, help_text=_("Send the user a notification when they earn these points.")
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PointsAccount(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_account")
    balance = models.IntegerField(_("balance"), default=0)
    lifetime_earned = models.IntegerField(_("lifetime earned"), default=0)
    check_in_streak = models.PositiveIntegerField(_("check-in streak"), default=0)
    last_check_in_on = models.DateField(_("last check-in"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="points_account_balance_gte_0"),
            models.CheckConstraint(condition=Q(lifetime_earned__gte=0), name="points_account_lifetime_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.balance}"

    @property
    def level(self) -> int:
        return level_for(self.lifetime_earned)

    @property
    def next_level_at(self) -> int | None:
        return next_level_at(self.lifetime_earned)


class PointsTransaction(models.Model):
    """One line of the ledger. Never updated or deleted; an undo is a new, negative line."""

    class Kind(models.TextChoices):
        EARN = "EARN", _("earned")
        REVOKE = "REVOKE", _("taken back")
        SPEND = "SPEND", _("spent")
        REFUND = "REFUND", _("refunded")

    account = models.ForeignKey(PointsAccount, on_delete=models.CASCADE, related_name="transactions")
    amount = models.IntegerField(_("amount"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # Names the cause, e.g. `like_received:post:17:by:42`: the same cause can never be paid twice.
    key = models.CharField(_("idempotency key"), max_length=190, unique=True)
    rule = models.ForeignKey(PointsRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The earning a REVOKE takes back (at most one revoke per earning).
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    # What it was for when it was written (rule or reward name), so renames never rewrite history.
    note = models.CharField(_("note"), max_length=120, blank=True)
    # The user's local day of the cause: daily caps count by it.
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("points transaction")
        verbose_name_plural = _("points transactions")
        indexes = [
            models.Index(fields=["account", "-created_at", "-id"]),
            models.Index(fields=["account", "rule", "day"]),
        ]
        constraints = [
            # Earnings and refunds add, spending subtracts; a take-back subtracts what the balance still
            # holds, which may be nothing when the points were already spent.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["EARN", "REFUND"], amount__gt=0)
                    | Q(kind="SPEND", amount__lt=0)
                    | Q(kind="REVOKE", amount__lte=0)
                ),
                name="points_transaction_sign_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.key}"


class CheckIn(models.Model):
    """One daily check-in: once per user per local day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins")
    day = models.DateField(_("day"))
    streak = models.PositiveIntegerField(_("streak"))
    points = models.PositiveIntegerField(_("points"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="check_in_once_a_day"),
            models.CheckConstraint(condition=Q(streak__gte=1), name="check_in_streak_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} ×{self.streak}"


class Badge(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    description = models.CharField(_("description"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        constraints = [models.UniqueConstraint(fields=["user", "badge"], name="badge_awarded_once")]
        indexes = [models.Index(fields=["user", "awarded_at"])]

    def __str__(self) -> str:
        return f"{self.badge_id} → {self.user_id}"


class Reward(models.Model):
    """Something in the points mall."""

    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=500, blank=True)
    cost = models.PositiveIntegerField(_("cost in points"))
    # A cover image, cleaned like post photos (community.kernel.images); empty: none.
    cover = models.ImageField(_("cover image"), upload_to="covers/rewards/%Y/%m/", blank=True)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Lower comes first in the mall."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="reward_cost_gt_0"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="reward_stock_gte_0"),
        ]
        indexes = [models.Index(fields=["position", "id"], condition=Q(active=True), name="reward_on_sale")]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING", _("waiting to be sent")
        FULFILLED = "FULFILLED", _("sent")
        CANCELLED = "CANCELLED", _("cancelled and refunded")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="redemptions")
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    cost = models.PositiveIntegerField(_("cost in points"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reward_id} → {self.user_id}"


# ---------------------------------------------------------------- ties, activity profiles, campaigns


class Tie(models.Model):
    """One row per pair of users who have interacted, stored once: `user_low` has the smaller id.

    `raw_strength` is everything the pair did, decayed (half-life 90 days, see `gamification.ties`)
    to `updated_at`; `strength` is what is shown and ranked: the same, but capped below FRIEND
    until both sides have acted (`low_acted` and `high_acted`).
    """

    user_low = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    raw_strength = models.FloatField(_("strength before the reciprocity cap"), default=0)
    strength = models.FloatField(_("strength"), default=0)
    low_acted = models.BooleanField(default=False)
    high_acted = models.BooleanField(default=False)
    shared_events = models.PositiveIntegerField(_("events attended together"), default=0)
    last_interaction_at = models.DateTimeField(_("last interaction"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The moment `strength` and `raw_strength` are stated for (last change or last nightly decay).
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="tie_unique_pair"),
            models.CheckConstraint(condition=Q(user_low__lt=models.F("user_high")), name="tie_low_lt_high"),
            models.CheckConstraint(condition=Q(strength__gte=0) & Q(raw_strength__gte=0), name="tie_strength_gte_0"),
        ]
        indexes = [
            models.Index(fields=["user_low", "-strength", "-id"], name="tie_low_strength"),
            models.Index(fields=["user_high", "-strength", "-id"], name="tie_high_strength"),
            models.Index(fields=["created_at"], name="tie_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user_low_id} ~ {self.user_high_id}: {self.strength:.1f}"

    @property
    def reciprocal(self) -> bool:
        return self.low_acted and self.high_acted

    def other_id(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id


class TieEvent(models.Model):
    """What was added to a tie and why: unique per pair and cause, so a redelivered activity (or the
    second attendee's copy of the same co-attendance) adds nothing."""

    user_low = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    weight = models.FloatField()
    activity = models.ForeignKey(
        "community.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tie event")
        verbose_name_plural = _("tie events")
        constraints = [models.UniqueConstraint(fields=["user_low", "user_high", "key"], name="tie_event_once")]
        indexes = [models.Index(fields=["created_at"], name="tie_event_created")]

    def __str__(self) -> str:
        return f"{self.user_low_id} ~ {self.user_high_id} +{self.weight} {self.key}"


class TieMilestone(models.Model):
    """The first time a pair's tie reached a level (ACQUAINTANCE, FRIEND or STRONG): once per pair and
    level, kept when the tie decays below it again. The history that new-tie figures, cohort curves and
    the FRIEND / STRONG notifications come from (strength itself fades, so it cannot tell the past)."""

    class Level(models.TextChoices):
        ACQUAINTANCE = "ACQUAINTANCE", _("acquaintance")
        FRIEND = "FRIEND", _("friend")
        STRONG = "STRONG", _("strong tie")

    user_low = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    reached_at = models.DateTimeField(_("reached at"), default=timezone.now)

    class Meta:
        verbose_name = _("tie milestone")
        verbose_name_plural = _("tie milestones")
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high", "level"], name="tie_milestone_once"),
            models.CheckConstraint(condition=Q(user_low__lt=models.F("user_high")), name="tie_milestone_low_lt_high"),
            models.CheckConstraint(
                condition=Q(level__in=["ACQUAINTANCE", "FRIEND", "STRONG"]), name="tie_milestone_level_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["level", "reached_at"], name="tie_milestone_level"),
            models.Index(fields=["user_high", "level"], name="tie_milestone_high"),
        ]

    def __str__(self) -> str:
        return f"{self.user_low_id} ~ {self.user_high_id} {self.level} {self.reached_at:%Y-%m-%d}"


class Lifecycle(models.TextChoices):
    ACTIVE = "ACTIVE", _("active recently")
    DECLINING = "DECLINING", _("declining")
    LAPSED = "LAPSED", _("lapsed")
    DORMANT = "DORMANT", _("dormant")


class Maturity(models.TextChoices):
    NOVICE = "NOVICE", _("novice")
    GROWING = "GROWING", _("growing")
    MATURE = "MATURE", _("mature")


class UserActivityProfile(models.Model):
    """A user's activity score and segment, recomputed nightly by `gamification.scores`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="activity_profile"
    )
    activity_score = models.FloatField(_("activity score"), default=0)
    lifecycle = models.CharField(_("lifecycle"), max_length=10, choices=Lifecycle.choices, default=Lifecycle.DORMANT)
    maturity = models.CharField(_("maturity"), max_length=8, choices=Maturity.choices, default=Maturity.NOVICE)
    last_active_at = models.DateTimeField(_("last active"), null=True, blank=True)
    active_days_30 = models.PositiveIntegerField(_("active days in the last 30"), default=0)
    lifetime_actions = models.PositiveIntegerField(_("lifetime actions"), default=0)
    # The factors of the score and the segment, as of `computed_at` (why a user is in their cell).
    idle_days = models.FloatField(_("days since the last activity"), default=0)
    tenure_days = models.FloatField(_("days since joining"), default=0)
    recency_points = models.FloatField(_("recency points"), default=0)
    frequency_points = models.FloatField(_("frequency points"), default=0)
    contribution_points = models.FloatField(_("contribution points"), default=0)
    posts_30 = models.PositiveIntegerField(_("posts in the last 30 days"), default=0)
    comments_received_30 = models.PositiveIntegerField(_("comments received in the last 30 days"), default=0)
    attended_30 = models.PositiveIntegerField(_("events attended in the last 30 days"), default=0)
    hosted_30 = models.PositiveIntegerField(_("attendees hosted in the last 30 days"), default=0)
    friend_ties = models.PositiveIntegerField(_("ties at FRIEND or above"), default=0)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("activity profile")
        verbose_name_plural = _("activity profiles")
        indexes = [models.Index(fields=["maturity", "lifecycle"], name="profile_segment")]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity_score__gte=0) & Q(activity_score__lte=100), name="profile_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.activity_score:.0f} {self.maturity}/{self.lifecycle}"


class Campaign(models.Model):
    """A message brand staff sent to one cell of the segment matrix."""

    maturity = models.CharField(_("maturity"), max_length=8, choices=Maturity.choices)
    lifecycle = models.CharField(_("lifecycle"), max_length=10, choices=Lifecycle.choices)
    city = models.CharField(_("city"), max_length=40, blank=True)
    message = models.CharField(_("message"), max_length=500)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return f"{self.maturity}/{self.lifecycle} {self.created_at:%Y-%m-%d}"


class CampaignDelivery(models.Model):
    """One user reached by one campaign: the weekly cap is checked against these rows."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("campaign delivery")
        verbose_name_plural = _("campaign deliveries")
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="campaign_delivery_once")]
        indexes = [models.Index(fields=["user", "delivered_at"], name="campaign_delivery_user")]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.user_id}"
