"""Reads for the brand team: held posts, the report queue, the audit log and the mutes that last."""

from __future__ import annotations

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from community.content.models import Post
from community.kernel.models import Activity
from community.kernel.statuses import ContentStatus
from community.models import Mute
from community.moderation.models import ModerationAction, Report


def pending_posts() -> QuerySet[Post]:
    return Post.objects.filter(status=ContentStatus.PENDING_REVIEW).select_related("author", "circle")


def moderation_queue(status: str | None = "OPEN") -> QuerySet[Report]:
    reports = Report.objects.select_related(
        "reporter", "post", "comment", "chat_message", "direct_message__sender", "reported_user"
    )
    return reports.filter(status=status) if status else reports


RECENT_ACTIVITY = 20


def recent_activity_of(user_ids: list[int], limit: int = RECENT_ACTIVITY) -> dict[int, list[Activity]]:
    """The latest `limit` activities of each user, newest first, in one query (a report about a person
    shows what they did lately)."""
    ranked = (
        Activity.objects.filter(actor_id__in=user_ids)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("actor_id")], order_by=[F("created_at").desc(), F("id").desc()])
        )
        .select_related("target_type")
    )
    found: dict[int, list[Activity]] = {pk: [] for pk in user_ids}
    for activity in ranked.filter(rank__lte=limit).order_by("actor_id", "-created_at", "-id"):
        found[activity.actor_id].append(activity)
    return found


def moderation_log(action: str | None = None) -> QuerySet[ModerationAction]:
    """The audit log, every entry with who acted, on whom, and for which report (newest first by the caller)."""
    entries = ModerationAction.objects.select_related("moderator", "subject", "report", "target_type")
    return entries.filter(action=action) if action else entries


def active_mutes() -> QuerySet[Mute]:
    """Mutes that still last, with their user and who set them."""
    return Mute.objects.filter(until__gt=timezone.now()).select_related("user", "created_by")
