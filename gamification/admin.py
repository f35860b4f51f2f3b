"""The brand team's back office for points: rules, the (read-only) ledger, badges and the points mall."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from community.admin_site import READ_ONLY, Refused
from community.kernel.errors import ServiceError
from gamification import services
from gamification.models import (
    Badge,
    BadgeAward,
    Campaign,
    CheckIn,
    PointsAccount,
    PointsRule,
    PointsTransaction,
    Redemption,
    Reward,
    Tie,
    TieMilestone,
    UserActivityProfile,
)
from gamification.ties import level_of


class ReadOnlyAdmin(Refused, admin.ModelAdmin):
    """The ledger and what it derives are written by services only; staff look, never type."""

    refused = READ_ONLY


@admin.register(PointsRule)
class PointsRuleAdmin(Refused, admin.ModelAdmin):
    list_display = ("name", "code", "points", "daily_cap", "notify", "active", "updated_at")
    list_editable = ("points", "daily_cap", "notify", "active")
    list_filter = ("active", "notify")
    fields = ("code", "name", "description", "points", "daily_cap", "notify", "active", "updated_at")
    readonly_fields = ("code", "updated_at")

    # Rules are found by their code, which the code base pays from: switch one off rather than delete it.
    refused = ("add", "delete")


@admin.register(PointsAccount)
class PointsAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "balance", "lifetime_earned", "level", "check_in_streak", "last_check_in_on", "ledger")
    search_fields = ("user__username", "user__nickname")
    list_select_related = ("user",)
    ordering = ("-lifetime_earned", "id")
    fields = ("user", "balance", "lifetime_earned", "level", "check_in_streak", "last_check_in_on", "ledger")
    readonly_fields = fields

    @admin.display(description=_("level"))
    def level(self, account):
        return account.level

    @admin.display(description=_("ledger"))
    def ledger(self, account):
        url = reverse("admin:gamification_pointstransaction_changelist") + f"?account__id__exact={account.pk}"
        return format_html('<a href="{}">{}</a>', url, _("transactions"))


@admin.register(PointsTransaction)
class PointsTransactionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "amount", "kind", "rule", "note", "key", "day")
    list_filter = ("kind", "rule", "day")
    search_fields = ("key", "account__user__username", "account__user__nickname")
    list_select_related = ("account__user", "rule")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")

    @admin.display(description=_("user"), ordering="account__user__username")
    def user(self, entry):
        return entry.account.user


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ("day", "user", "streak", "points", "created_at")
    list_filter = ("day",)
    search_fields = ("user__username", "user__nickname")
    list_select_related = ("user",)
    date_hierarchy = "created_at"


@admin.register(Badge)
class BadgeAdmin(Refused, admin.ModelAdmin):
    list_display = ("name", "code", "description", "active", "awarded")
    list_editable = ("active",)
    fields = ("code", "name", "description", "active")
    readonly_fields = ("code",)
    refused = ("add", "delete")  # each badge is awarded by a hook that knows it by code

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(award_count=Count("awards"))

    @admin.display(description=_("awarded"), ordering="award_count")
    def awarded(self, badge):
        return badge.award_count


@admin.register(BadgeAward)
class BadgeAwardAdmin(Refused, admin.ModelAdmin):
    list_display = ("awarded_at", "user", "badge")
    list_filter = ("badge",)
    search_fields = ("user__username", "user__nickname")
    list_select_related = ("user", "badge")
    date_hierarchy = "awarded_at"
    refused = ("add", "change")


class RewardForm(forms.ModelForm):
    add_stock = forms.IntegerField(
        label=_("add to stock"),
        min_value=0,
        required=False,
        help_text=_("Added to the current stock; redemptions made meanwhile are not overwritten."),
    )
    new_cover = forms.ImageField(
        label=_("cover image"),
        required=False,
        help_text=_("Cleaned like post photos (size and pixel limits, metadata stripped)."),
    )

    class Meta:
        model = Reward
        fields = ("name", "description", "cost", "stock", "active", "position")


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    form = RewardForm
    list_display = ("name", "cost", "stock", "active", "position", "redeemed")
    list_editable = ("active", "position")
    list_filter = ("active",)
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(redemption_count=Count("redemptions"))

    @admin.display(description=_("redeemed"), ordering="redemption_count")
    def redeemed(self, reward):
        return reward.redemption_count

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "description", "cost", "stock", "active", "position")
        return ("name", "description", "cost", "stock", "add_stock", "cover", "new_cover", "active", "position")

    def get_readonly_fields(self, request, obj=None):
        # Once on sale, stock only moves by atomic updates: redemptions take, "add to stock" gives.
        return ("stock", "cover") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        changed = [name for name in form.changed_data if name in {"name", "description", "cost", "active", "position"}]
        if changed:
            obj.save(update_fields=changed)
        cover = form.cleaned_data.get("new_cover")
        if cover:
            try:
                obj.cover = services.set_reward_cover(user=request.user, reward_id=obj.pk, image=cover).cover
            except ServiceError as error:
                self.message_user(request, str(error), messages.ERROR)
        quantity = form.cleaned_data.get("add_stock")
        if quantity:
            try:
                obj.stock = services.restock_reward(user=request.user, reward_id=obj.pk, quantity=quantity).stock
            except ServiceError as error:
                self.message_user(request, str(error), messages.ERROR)


@admin.register(Redemption)
class RedemptionAdmin(Refused, admin.ModelAdmin):
    list_display = ("created_at", "user", "reward", "cost", "status", "handled_at", "handled_by")
    list_filter = ("status", "reward")
    search_fields = ("user__username", "user__nickname", "reward__name")
    list_select_related = ("user", "reward", "handled_by")
    date_hierarchy = "created_at"
    readonly_fields = ("user", "reward", "cost", "status", "created_at", "handled_at", "handled_by")
    actions = ["fulfil", "cancel_and_refund"]
    refused = ("add", "delete")

    def has_change_permission(self, request, obj=None):
        # The list and its actions, never a form: status only moves through the services.
        return obj is None and super().has_change_permission(request)

    def _each(self, request, queryset, service, done_message):
        done = 0
        for redemption_id in queryset.filter(status=Redemption.Status.PENDING).values_list("pk", flat=True):
            try:
                service(user=request.user, redemption_id=redemption_id)
                done += 1
            except ServiceError as error:
                self.message_user(request, str(error), messages.ERROR)
        self.message_user(request, done_message % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("Mark the selected redemptions as sent"))
    def fulfil(self, request, queryset):
        self._each(request, queryset, services.fulfil_redemption, _("%(n)d redemptions marked as sent."))

    @admin.action(description=_("Cancel the selected redemptions and refund their points"))
    def cancel_and_refund(self, request, queryset):
        self._each(request, queryset, services.cancel_redemption, _("%(n)d redemptions cancelled and refunded."))


# ---------------------------------------------------------------- ties, activity profiles, campaigns (read-only)


@admin.register(Tie)
class TieAdmin(ReadOnlyAdmin):
    list_display = ("user_low", "user_high", "strength", "level", "reciprocal", "shared_events", "last_interaction_at")
    list_select_related = ("user_low", "user_high")
    search_fields = ("user_low__nickname", "user_high__nickname", "user_low__username", "user_high__username")
    ordering = ("-strength", "-id")
    readonly_fields = (
        "user_low",
        "user_high",
        "strength",
        "raw_strength",
        "low_acted",
        "high_acted",
        "shared_events",
        "last_interaction_at",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    show_full_result_count = False

    @admin.display(description=_("level"))
    def level(self, tie):
        return level_of(tie.strength)

    @admin.display(boolean=True, description=_("both acted"))
    def reciprocal(self, tie):
        return tie.reciprocal


@admin.register(UserActivityProfile)
class UserActivityProfileAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "activity_score",
        "lifecycle",
        "maturity",
        "last_active_at",
        "active_days_30",
        "lifetime_actions",
        "computed_at",
    )
    list_filter = ("maturity", "lifecycle")
    list_select_related = ("user",)
    search_fields = ("user__nickname", "user__username")
    ordering = ("-activity_score", "user_id")
    # Why the owner is in their cell: the parts of the score and what they did in the last 30 days.
    readonly_fields = (
        *list_display,
        "idle_days",
        "tenure_days",
        "recency_points",
        "frequency_points",
        "contribution_points",
        "posts_30",
        "comments_received_30",
        "attended_30",
        "hosted_30",
        "friend_ties",
    )
    fields = readonly_fields
    show_full_result_count = False


@admin.register(TieMilestone)
class TieMilestoneAdmin(ReadOnlyAdmin):
    """When pairs first became acquaintances, friends and strong ties: the history behind the figures."""

    list_display = ("reached_at", "level", "user_low", "user_high")
    list_filter = ("level",)
    list_select_related = ("user_low", "user_high")
    search_fields = ("user_low__nickname", "user_high__nickname", "user_low__username", "user_high__username")
    date_hierarchy = "reached_at"
    ordering = ("-reached_at", "-id")
    readonly_fields = list_display
    fields = list_display
    show_full_result_count = False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "maturity", "lifecycle", "city", "message", "recipients", "skipped", "created_by")
    list_filter = ("maturity", "lifecycle")
    list_select_related = ("created_by",)
    ordering = ("-created_at", "-id")
    readonly_fields = list_display
    fields = list_display
