"""The brand team's back office for content and its moderation: held posts and comments, reports, the log."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.admin_site import READ_ONLY, Refused, service_action
from community.content.models import Comment, CommentRevision, Post, PostImage, PostRevision
from community.kernel.statuses import ContentStatus
from community.moderation import services as moderation_services
from community.moderation.models import ModerationAction, Report


def review_actions(review, *, released: str, hidden: str, done: str) -> list:
    """The two admin actions on held content: release it, or hide it, through `review(user, pk, approve)`."""
    held = Q(status=ContentStatus.PENDING_REVIEW)
    return [
        service_action(released, done, lambda user, row: review(user, row.pk, True), only=held, name="approve"),
        service_action(hidden, done, lambda user, row: review(user, row.pk, False), only=held, name="hide"),
    ]


class ShortBodyMixin:
    @admin.display(description=_("body"))
    def short_body(self, obj):
        return obj.body[:40]


class PostImageInline(Refused, admin.TabularInline):
    model = PostImage
    extra = 0
    fields = ("position", "image", "thumbnail", "width", "height")
    readonly_fields = fields
    refused = ("add",)


class PostRevisionInline(Refused, admin.TabularInline):
    """The texts an edit replaced, newest first: moderators compare them with what the post says now."""

    model = PostRevision
    extra = 0
    fields = ("replaced_at", "status", "title", "body")
    readonly_fields = fields
    ordering = ("-replaced_at", "-id")
    refused = ("add",)


class CommentRevisionInline(Refused, admin.TabularInline):
    model = CommentRevision
    extra = 0
    fields = ("replaced_at", "status", "body")
    readonly_fields = fields
    ordering = ("-replaced_at", "-id")
    refused = ("add",)


@admin.register(Post)
class PostAdmin(ShortBodyMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "title",
        "short_body",
        "author",
        "circle",
        "status",
        "pinned",
        "like_count",
        "comment_count",
        "created_at",
    )
    list_filter = ("status", "kind", "pinned")
    search_fields = ("title", "body", "author__username", "author__nickname")
    raw_id_fields = ("author", "circle")
    readonly_fields = ("like_count", "comment_count", "held_reason", "created_at", "updated_at", "edited_at")
    date_hierarchy = "created_at"
    inlines = [PostImageInline, PostRevisionInline]
    actions = review_actions(
        lambda user, pk, approve: moderation_services.review_post(user=user, post_id=pk, approve=approve),
        released=_("Release the selected held posts"),
        hidden=_("Hide the selected held posts"),
        done=_("%(n)d posts reviewed."),
    )


@admin.register(Comment)
class CommentAdmin(ShortBodyMixin, admin.ModelAdmin):
    list_display = ("id", "post", "author", "short_body", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("body", "author__username")
    raw_id_fields = ("post", "author", "parent")
    readonly_fields = ("held_reason", "created_at", "edited_at")
    inlines = [CommentRevisionInline]
    actions = review_actions(
        lambda user, pk, approve: moderation_services.review_comment(user=user, comment_id=pk, approve=approve),
        released=_("Release the selected held comments"),
        hidden=_("Hide the selected held comments"),
        done=_("%(n)d comments reviewed."),
    )


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "reason",
        "status",
        "reporter",
        "post",
        "comment",
        "chat_message",
        "decision",
        "created_at",
        "resolved_by",
    )
    list_filter = ("status", "reason", "decision")
    raw_id_fields = ("reporter", "post", "comment", "chat_message", "resolved_by")
    readonly_fields = ("resolved_at", "resolved_by", "decision", "created_at")
    date_hierarchy = "created_at"


@admin.register(ModerationAction)
class ModerationActionAdmin(Refused, admin.ModelAdmin):
    """The audit log: read only, for brand staff to see who did what, why and when."""

    list_display = ("created_at", "moderator", "action", "target_type", "target_id", "subject", "report", "note")
    list_filter = ("action", "target_type")
    search_fields = ("moderator__username", "subject__username", "note")
    date_hierarchy = "created_at"
    refused = READ_ONLY
