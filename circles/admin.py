"""The brand team's back office for circles: the approval queue, archiving, memberships, invites, chat.

Every change that has rules (review, archive, roles, bans, invite revocation, held chat) goes through
the services, so counters, the single-host rule and the activity stream stay right; the rest is read
only here.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from circles import services
from circles.models import ChatMessage, Circle, Invite, InviteUse, Membership
from community.admin_site import READ_ONLY, Refused, service_action


class MembershipInline(Refused, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "status", "joined_at", "invited_by", "muted_until")
    readonly_fields = fields
    ordering = ("status", "role", "joined_at")
    show_change_link = True
    can_delete = False
    refused = ("add",)


@admin.register(Circle)
class CircleAdmin(Refused, admin.ModelAdmin):
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
    # Circles are founded by owners through the app, with their founder as host; archive, not delete: the
    # history stays.
    refused = ("add", "delete")

    approve = service_action(
        _("Approve the selected circles"),
        _("%(n)d circles approved."),
        lambda user, circle: services.review_circle(user=user, circle_id=circle.pk, approve=True),
        only=Q(status=Circle.Status.PENDING),
    )
    reject = service_action(
        _("Turn down the selected circles"),
        _("%(n)d circles turned down."),
        lambda user, circle: services.review_circle(user=user, circle_id=circle.pk, approve=False),
        only=Q(status=Circle.Status.PENDING),
    )
    archive = service_action(
        _("Archive the selected circles"),
        _("%(n)d circles archived."),
        lambda user, circle: services.archive_circle(user=user, circle_id=circle.pk),
        only=~Q(status=Circle.Status.ARCHIVED),
    )


@admin.register(Membership)
class MembershipAdmin(Refused, admin.ModelAdmin):
    list_display = ("circle", "user", "role", "status", "joined_at", "left_at", "muted_until", "invited_by")
    list_filter = ("role", "status")
    search_fields = ("circle__name", "user__username", "user__nickname")
    raw_id_fields = ("circle", "user", "invited_by", "invite", "decided_by")
    list_select_related = ("circle", "user", "invited_by")
    actions = ["remove", "ban"]
    refused = READ_ONLY  # roles and statuses change through the services (the actions below, or the app)

    remove = service_action(
        _("Remove the selected members"),
        _("%(n)d members removed."),
        lambda user, m: services.remove_member(user=user, membership_id=m.pk, ban=False),
    )
    ban = service_action(
        _("Ban the selected members"),
        _("%(n)d members banned."),
        lambda user, m: services.remove_member(user=user, membership_id=m.pk, ban=True),
    )


class InviteUseInline(Refused, admin.TabularInline):
    model = InviteUse
    extra = 0
    fields = ("invitee", "inviter", "created_at")
    readonly_fields = fields
    can_delete = False
    refused = ("add",)


@admin.register(Invite)
class InviteAdmin(Refused, admin.ModelAdmin):
    list_display = ("circle", "created_by", "uses", "max_uses", "expires_at", "revoked_at", "created_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("circle__name", "created_by__username", "created_by__nickname")
    raw_id_fields = ("circle", "created_by")
    list_select_related = ("circle", "created_by")
    exclude = ("code",)  # a live code is a key to the circle: not shown in the back office
    readonly_fields = ("circle", "created_by", "max_uses", "uses", "expires_at", "revoked_at", "created_at")
    inlines = [InviteUseInline]
    actions = ["revoke"]
    refused = ("add", "delete")

    revoke = service_action(
        _("Revoke the selected invites"),
        _("%(n)d invites revoked."),
        lambda user, invite: services.revoke_invite(user=user, code=invite.code),
        only=Q(revoked_at__isnull=True),
    )


@admin.register(ChatMessage)
class ChatMessageAdmin(Refused, admin.ModelAdmin):
    list_display = ("created_at", "circle", "author", "short_body", "status")
    list_filter = ("status",)
    search_fields = ("body", "circle__name", "author__username", "author__nickname")
    date_hierarchy = "created_at"
    raw_id_fields = ("circle", "author", "reply_to")
    list_select_related = ("circle", "author")
    actions = ["publish", "hide"]
    refused = READ_ONLY  # hide instead of deleting: moderated content is kept

    @admin.display(description=_("message"))
    def short_body(self, obj):
        return obj.body[:60]

    publish = service_action(
        _("Pass the selected held messages"),
        _("%(n)d messages published."),
        lambda user, m: services.review_chat_message(user=user, message_id=m.pk, publish=True),
        only=Q(status=ChatMessage.Status.PENDING_REVIEW),
    )
    hide = service_action(
        _("Hide the selected messages"),
        _("%(n)d messages hidden."),
        lambda user, m: services.review_chat_message(user=user, message_id=m.pk, publish=False),
        only=~Q(status=ChatMessage.Status.HIDDEN),
    )
