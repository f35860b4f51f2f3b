"""Reports and the moderation audit log.

The tables keep the names they had when this was part of the `community` app (`db_table`).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.content.models import Comment, Post
from community.kernel.models import Activity


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "SPAM", _("spam")
        ABUSE = "ABUSE", _("abuse")
        ADVERTISING = "ADVERTISING", _("advertising")
        ILLEGAL = "ILLEGAL", _("illegal")
        MISINFORMATION = "MISINFORMATION", _("misinformation")
        OTHER = "OTHER", _("other")

    class Status(models.TextChoices):
        OPEN = "OPEN", _("open")
        ACTIONED = "ACTIONED", _("actioned")
        DISMISSED = "DISMISSED", _("dismissed")

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    chat_message = models.ForeignKey(
        "circles.ChatMessage", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    direct_message = models.ForeignKey(
        "messaging.DirectMessage", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    # A person reported for their profile or conduct (abuse, a fake account), not for one piece of content.
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="reports_against"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=12, blank=True)

    class Meta:
        db_table = "community_report"
        indexes = [models.Index(fields=["status", "created_at", "id"], name="report_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post__isnull=False, comment__isnull=True, chat_message__isnull=True)
                    & Q(direct_message__isnull=True, reported_user__isnull=True)
                    | Q(post__isnull=True, comment__isnull=False, chat_message__isnull=True)
                    & Q(direct_message__isnull=True, reported_user__isnull=True)
                    | Q(post__isnull=True, comment__isnull=True, chat_message__isnull=False)
                    & Q(direct_message__isnull=True, reported_user__isnull=True)
                    | Q(post__isnull=True, comment__isnull=True, chat_message__isnull=True)
                    & Q(direct_message__isnull=False, reported_user__isnull=True)
                    | Q(post__isnull=True, comment__isnull=True, chat_message__isnull=True)
                    & Q(direct_message__isnull=True, reported_user__isnull=False)
                ),
                name="report_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(status="OPEN", post__isnull=False),
                name="report_open_post_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="OPEN", comment__isnull=False),
                name="report_open_comment_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "chat_message"],
                condition=Q(status="OPEN", chat_message__isnull=False),
                name="report_open_chat_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "direct_message"],
                condition=Q(status="OPEN", direct_message__isnull=False),
                name="report_open_dm_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "reported_user"],
                condition=Q(status="OPEN", reported_user__isnull=False),
                name="report_open_user_once",
            ),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.status})"

    @property
    def target(self):
        return self.post or self.comment or self.chat_message or self.direct_message or self.reported_user


class ModerationAction(models.Model):
    """The audit log: who did what to which content or user, why, and when. Never edited."""

    class Action(models.TextChoices):
        HIDE = "HIDE", _("hide")
        DELETE = "DELETE", _("delete")
        DISMISS = "DISMISS", _("dismiss")
        MUTE_AUTHOR = "MUTE_AUTHOR", _("mute the author")
        DEACTIVATE = "DEACTIVATE", _("deactivate the account")
        APPROVE = "APPROVE", _("approve held content")
        REJECT = "REJECT", _("reject held content")
        AUTO_HOLD = "AUTO_HOLD", _("held automatically")
        LIFT_MUTE = "LIFT_MUTE", _("lift a mute")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_log"
    )
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    note = models.CharField(max_length=500, blank=True)
    # The activity an entry was written for (content held or deleted by the content app itself):
    # a redelivered activity never logs twice.
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "community_moderationaction"
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "action"],
                condition=Q(activity__isnull=False),
                name="moderationaction_once_per_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type_id}:{self.target_id} by {self.moderator_id}"


# The decisions brand staff take on a report (the API's ModerationDecision): the log records them as actions.
REPORT_DECISIONS = (
    ModerationAction.Action.HIDE,
    ModerationAction.Action.DELETE,
    ModerationAction.Action.DISMISS,
    ModerationAction.Action.MUTE_AUTHOR,
    ModerationAction.Action.DEACTIVATE,
)
