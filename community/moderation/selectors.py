"""Reads for the brand team: held posts, the report queue, the audit log and the mutes that last."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from community.content.models import Post
from community.kernel.statuses import ContentStatus
from community.models import Mute
from community.moderation.models import ModerationAction, Report


def pending_posts() -> QuerySet[Post]:
    return Post.objects.filter(status=ContentStatus.PENDING_REVIEW).select_related("author", "circle")


def moderation_queue(status: str | None = "OPEN") -> QuerySet[Report]:
    reports = Report.objects.select_related("reporter", "post", "comment", "chat_message")
    return reports.filter(status=status) if status else reports


def moderation_log(action: str | None = None) -> QuerySet[ModerationAction]:
    """The audit log, every entry with who acted, on whom, and for which report (newest first by the caller)."""
    entries = ModerationAction.objects.select_related("moderator", "subject", "report", "target_type")
    return entries.filter(action=action) if action else entries


def active_mutes() -> QuerySet[Mute]:
    """Mutes that still last, with their user and who set them."""
    return Mute.objects.filter(until__gt=timezone.now()).select_related("user", "created_by")
