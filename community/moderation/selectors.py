"""Reads for the brand team: held posts and the report queue."""

from __future__ import annotations

from django.db.models import QuerySet

from community.content.models import Post
from community.kernel.statuses import ContentStatus
from community.moderation.models import Report


def pending_posts() -> QuerySet[Post]:
    return Post.objects.filter(status=ContentStatus.PENDING_REVIEW).select_related("author", "circle")


def moderation_queue(status: str | None = "OPEN") -> QuerySet[Report]:
    reports = Report.objects.select_related("reporter", "post", "comment", "chat_message")
    return reports.filter(status=status) if status else reports
