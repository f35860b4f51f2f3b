"""The brand team's back office for circles: the approval queue, archiving, memberships, invites, chat.

Every change that has rules (review, archive, roles, bans, invite revocation, held chat) goes through
the services, so counters, the single-host rule and the activity stream stay right; the rest is read
only here.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from circles import services
from circles.models import ChatMessage, Circle, Invite, InviteUse, Membership
from community.admin_site import run_for_each


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "status", "joined_at", "invited_by", "muted_until")
    readonly_fields = fields
    ordering = ("status", "role", "joined_at")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "city",
        "join_policy",
        "visibility",
        "status",
        "member_count",
        "activity_score",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "kind", "visibility", "join_policy", "city")
    search_fields = ("name", "city", "created_by__username", "created_by__nickname")
    date_hierarchy = "created_at"
    raw_id_fields = ("created_by", "reviewed_by")
    readonly_fields = (
        "cover",  # set through setCircleCover only: the photo pipeline cleans it
        "status",
        "member_count",
        "activity_score",
        "created_by",
        "reviewed_by",
        "reviewed_at",
        "archived_at",
        "created_at",
        "updated_at",
    )
    inlines = [MembershipInline]
    actions = ["approve", "reject", "archive"]

    def has_add_permission(self, request):
        return False  # circles are founded by owners through the app, with their founder as host

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead: the history stays

    @admin.action(description=_("Approve the selected circles"))
    def approve(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.filter(status=Circle.Status.PENDING),
            lambda circle: services.review_circle(user=request.user, circle_id=circle.pk, approve=True),
            _("%(n)d circles approved."),
        )

    @admin.action(description=_("Turn down the selected circles"))
    def reject(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.filter(status=Circle.Status.PENDING),
            lambda circle: services.review_circle(user=request.user, circle_id=circle.pk, approve=False),
            _("%(n)d circles turned down."),
        )

    @admin.action(description=_("Archive the selected circles"))
    def archive(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.exclude(status=Circle.Status.ARCHIVED),
            lambda circle: services.archive_circle(user=request.user, circle_id=circle.pk),
            _("%(n)d circles archived."),
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("circle", "user", "role", "status", "joined_at", "left_at", "muted_until", "invited_by")
    list_filter = ("role", "status")
    search_fields = ("circle__name", "user__username", "user__nickname")
    raw_id_fields = ("circle", "user", "invited_by", "invite", "decided_by")
    list_select_related = ("circle", "user", "invited_by")
    actions = ["remove", "ban"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # roles and statuses change through the services (the actions below, or the app)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Remove the selected members"))
    def remove(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset,
            lambda m: services.remove_member(user=request.user, membership_id=m.pk, ban=False),
            _("%(n)d members removed."),
        )

    @admin.action(description=_("Ban the selected members"))
    def ban(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset,
            lambda m: services.remove_member(user=request.user, membership_id=m.pk, ban=True),
            _("%(n)d members banned."),
        )


class InviteUseInline(admin.TabularInline):
    model = InviteUse
    extra = 0
    fields = ("invitee", "inviter", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ("circle", "created_by", "uses", "max_uses", "expires_at", "revoked_at", "created_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("circle__name", "created_by__username", "created_by__nickname")
    raw_id_fields = ("circle", "created_by")
    list_select_related = ("circle", "created_by")
    exclude = ("code",)  # a live code is a key to the circle: not shown in the back office
    readonly_fields = ("circle", "created_by", "max_uses", "uses", "expires_at", "revoked_at", "created_at")
    inlines = [InviteUseInline]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected invites"))
    def revoke(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.filter(revoked_at__isnull=True),
            lambda invite: services.revoke_invite(user=request.user, code=invite.code),
            _("%(n)d invites revoked."),
        )


@admin.register(ChatMessage)
class ChatMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "circle", "author", "short_body", "status")
    list_filter = ("status",)
    search_fields = ("body", "circle__name", "author__username", "author__nickname")
    date_hierarchy = "created_at"
    raw_id_fields = ("circle", "author", "reply_to")
    list_select_related = ("circle", "author")
    actions = ["publish", "hide"]

    @admin.display(description=_("message"))
    def short_body(self, obj):
        return obj.body[:60]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # hide instead: moderated content is kept

    @admin.action(description=_("Pass the selected held messages"))
    def publish(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.filter(status=ChatMessage.Status.PENDING_REVIEW),
            lambda m: services.review_chat_message(user=request.user, message_id=m.pk, publish=True),
            _("%(n)d messages published."),
        )

    @admin.action(description=_("Hide the selected messages"))
    def hide(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.exclude(status=ChatMessage.Status.HIDDEN),
            lambda m: services.review_chat_message(user=request.user, message_id=m.pk, publish=False),
            _("%(n)d messages hidden."),
        )
