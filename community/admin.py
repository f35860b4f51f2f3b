"""The brand team's back office for the social core."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.accounts import deletion
from community.accounts import services as account_services
from community.admin_site import Refused, service_action
from community.kernel import activity as activity_stream
from community.kernel.models import Activity, DeadLetter
from community.models import (
    BRAND_GROUP,
    AuthToken,
    Block,
    Contact,
    DataExport,
    Follow,
    Mute,
    Notification,
    NotificationPreference,
    SensitiveWord,
    User,
    Vehicle,
)
from community.safety import services as safety_services


class VehicleInline(admin.TabularInline):
    model = Vehicle
    fk_name = "owner"
    extra = 0
    fields = ("model", "category", "purchased_on", "vin_suffix", "verified_at", "verified_by")
    readonly_fields = ("verified_at", "verified_by")


# What makes an account powerful: only superusers may set these.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def is_staff_account(user: User) -> bool:
    """Superusers, `is_staff` accounts and the brand group: the accounts only superusers manage."""
    return user.is_superuser or user.is_staff or user.groups.filter(name=BRAND_GROUP).exists()


def staff_accounts():
    return User.objects.filter(Q(is_superuser=True) | Q(is_staff=True) | Q(groups__name=BRAND_GROUP))


def others_staff_refused(request, user: User | None) -> bool:
    """Whether the acting non-superuser is touching another staff account (refused)."""
    return user is not None and not request.user.is_superuser and user.pk != request.user.pk and is_staff_account(user)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Brand staff manage owners' accounts; only superusers manage staff. A brand staff member who is not a
    superuser cannot change (or delete, or set the password of) a superuser or any other staff account,
    and never sets staff status, superuser status, groups or permissions, on anyone, themselves included."""

    list_display = (
        "username", "nickname", "city", "follower_count", "is_staff", "is_active", "erase_after", "date_joined",
    )  # fmt: skip
    list_filter = (
        "is_active", "is_staff", "is_superuser", "groups", "city",
        ("erase_after", admin.EmptyFieldListFilter), ("erased_at", admin.EmptyFieldListFilter),
    )  # fmt: skip
    search_fields = ("username", "nickname", "city")
    readonly_fields = ("follower_count", "following_count", "last_login", "date_joined", "erase_after", "erased_at")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("nickname", "city", "bio", "avatar", "avatar_thumbnail")}),
        (_("Counters"), {"fields": ("follower_count", "following_count")}),
        (_("Account deletion"), {"fields": ("erase_after", "erased_at")}),
    )
    inlines = [VehicleInline]
    actions = ["erase_due"]

    @admin.action(description=_("Erase the selected accounts whose deletion grace period is over"))
    def erase_due(self, request, queryset):
        due = queryset.filter(is_active=False, erased_at__isnull=True, erase_after__lte=timezone.now())
        count = sum(1 for user_id in due.values_list("pk", flat=True) if deletion.erase_account(user_id))
        self.message_user(request, _("%(n)d accounts erased.") % {"n": count}, messages.SUCCESS)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return (*fields, *PRIVILEGE_FIELDS)

    def _manages(self, request, obj) -> bool:
        """Whether the acting user may change `obj` at all (None: the model as a whole)."""
        if obj is None or request.user.is_superuser:
            return True
        if obj.pk == request.user.pk:
            return not obj.is_superuser  # their own profile, with the privilege fields read-only
        return not is_staff_account(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._manages(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._manages(request, obj)

    # The password form (`<id>/password/`) asks has_change_permission for the user: so a brand staff member
    # sets owners' passwords and their own, never another staff member's.

    def save_model(self, request, obj, form, change):
        # The form cannot carry the privilege fields for non-superusers (read-only); refuse a forged post too.
        if not request.user.is_superuser and change and not self._manages(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(Contact)
class ContactAdmin(Refused, admin.ModelAdmin):
    """Read only: owners add and verify their contacts themselves (codes are never shown)."""

    list_display = ("user", "kind", "value", "verified_at", "created_at")
    list_filter = ("kind", ("verified_at", admin.EmptyFieldListFilter))
    search_fields = ("value", "user__username", "user__nickname")
    raw_id_fields = ("user",)
    readonly_fields = ("user", "kind", "value", "verified_at", "created_at")
    refused = ("add",)


@admin.register(DataExport)
class DataExportAdmin(Refused, admin.ModelAdmin):
    """Read only: the zip itself is downloadable by its owner alone."""

    list_display = ("user", "status", "size", "created_at", "ready_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("user__username",)
    readonly_fields = ("user", "status", "file_name", "size", "created_at", "ready_at", "expires_at")
    refused = ("add", "change")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(Refused, admin.ModelAdmin):
    list_display = ("user", "campaign_opt_out", "quiet_start", "quiet_end", "updated_at")
    list_filter = ("campaign_opt_out",)
    search_fields = ("user__username", "user__nickname")
    readonly_fields = ("user", "push_off", "inbox_off", "campaign_opt_out", "quiet_start", "quiet_end", "updated_at")
    refused = ("add",)


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("model", "owner", "category", "vin_suffix", "purchased_on", "verified_at", "created_at")
    list_filter = ("category", ("verified_at", admin.EmptyFieldListFilter))
    search_fields = ("model", "vin_suffix", "owner__username", "owner__nickname")
    raw_id_fields = ("owner", "verified_by")
    readonly_fields = ("verified_at", "verified_by")
    actions = ["verify"]

    verify = service_action(
        _("Verify the selected vehicles"),
        _("%(n)d vehicles verified."),
        lambda user, vehicle: account_services.verify_vehicle(user=user, vehicle_id=vehicle.pk),
        only=Q(verified_at__isnull=True),
    )


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "followee", "created_at")
    raw_id_fields = ("follower", "followee")
    search_fields = ("follower__username", "followee__username")


@admin.register(Block)
class BlockAdmin(Refused, admin.ModelAdmin):
    """Who blocked whom: read only for staff (blocking is the owners' own choice, made in the app)."""

    list_display = ("blocker", "blocked", "created_at")
    search_fields = ("blocker__nickname", "blocked__nickname")
    raw_id_fields = ("blocker", "blocked")
    date_hierarchy = "created_at"
    refused = ("add", "change")


@admin.register(AuthToken)
class AuthTokenAdmin(Refused, admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at", "expires_at", "revoked_at", "user_agent")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
    exclude = ("key_hash",)
    readonly_fields = ("user", "created_at", "last_used_at", "expires_at", "revoked_at", "user_agent")
    actions = ["revoke"]
    refused = ("add",)

    def get_queryset(self, request):
        # Brand staff who are not superusers see (and revoke) owners' tokens and their own, not other staff's.
        tokens = super().get_queryset(request)
        if request.user.is_superuser:
            return tokens
        return tokens.exclude(user__in=staff_accounts().exclude(pk=request.user.pk))

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(n)d tokens revoked.") % {"n": count}, messages.SUCCESS)


@admin.register(Activity)
class ActivityAdmin(Refused, admin.ModelAdmin):
    list_display = ("created_at", "actor", "verb", "target_type", "target_id", "circle_id", "dispatched_at")
    list_filter = ("verb", ("dispatched_at", admin.EmptyFieldListFilter))
    search_fields = ("actor__username", "verb")
    date_hierarchy = "created_at"
    raw_id_fields = ("actor",)
    refused = ("add", "change")


@admin.register(DeadLetter)
class DeadLetterAdmin(Refused, admin.ModelAdmin):
    """Activities whose consumers failed every attempt: staff see why and retry once the cause is fixed."""

    list_display = ("created_at", "activity", "consumers", "attempts", "retried_at", "resolved_at")
    list_filter = (("resolved_at", admin.EmptyFieldListFilter),)
    search_fields = ("activity__verb",)
    date_hierarchy = "created_at"
    readonly_fields = ("activity", "consumers", "error", "attempts", "created_at", "retried_at", "resolved_at")
    actions = ["retry"]
    refused = ("add",)

    @admin.action(description=_("Retry the selected activities now"), permissions=["change"])
    def retry(self, request, queryset):
        consumed, failing = activity_stream.retry_dead_letters(list(queryset.values_list("pk", flat=True)))
        if consumed:
            self.message_user(request, _("%(n)d activities consumed.") % {"n": consumed}, messages.SUCCESS)
        if failing:
            self.message_user(
                request, _("%(n)d activities failed again; beat retries them.") % {"n": failing}, messages.WARNING
            )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "verb", "actor", "read_at")
    list_filter = ("verb", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("recipient__username",)
    raw_id_fields = ("recipient", "actor", "activity")
    date_hierarchy = "created_at"


class WordImportForm(forms.Form):
    words = forms.CharField(label=_("words, one per line"), widget=forms.Textarea(attrs={"rows": 20, "cols": 60}))
    action = forms.ChoiceField(label=_("action"), choices=SensitiveWord.Action.choices)


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ("word", "normalized", "action", "note", "created_by", "created_at")
    list_filter = ("action",)
    search_fields = ("word", "normalized", "note")
    readonly_fields = ("normalized", "created_by", "created_at")
    change_list_template = "admin/community/sensitiveword/change_list.html"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="community_sensitiveword_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = WordImportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            added = safety_services.import_sensitive_words(
                form.cleaned_data["words"].splitlines(), action=form.cleaned_data["action"], user=request.user
            )
            self.message_user(request, _("%(n)d new words added.") % {"n": added}, messages.SUCCESS)
            return redirect("admin:community_sensitiveword_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("Import sensitive words"),
        }
        return TemplateResponse(request, "admin/community/sensitiveword/import.html", context)


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin):
    list_display = ("user", "until", "reason", "created_by", "created_at")
    raw_id_fields = ("user", "created_by")
    search_fields = ("user__username",)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not others_staff_refused(request, obj and obj.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not others_staff_refused(request, obj and obj.user)

    def save_model(self, request, obj, form, change):
        if others_staff_refused(request, obj.user):  # only superusers mute staff
            raise PermissionDenied
        super().save_model(request, obj, form, change)
