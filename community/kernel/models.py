"""The activity stream's table: one row per meaningful action, written by `record_activity`.

It belongs to the `community` app (its migrations), but lives in the kernel so that recording an
activity needs no app.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Activity(models.Model):
    """One row per meaningful action: the stream that points, ties, scores and notifications consume."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    verb = models.CharField(max_length=40)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The circle the action happened in, when there is one (kept as an id so the stream never
    # depends on the circles app being installed).
    circle_id = models.PositiveBigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        app_label = "community"
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["actor", "created_at"]),
            models.Index(fields=["verb", "created_at"]),
            models.Index(fields=["circle_id", "created_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["created_at"], condition=Q(dispatched_at__isnull=True), name="activity_undispatched"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.target_type_id}:{self.target_id}"


class IdempotencyKey(models.Model):
    """A write a client may retry, done once per (user, operation, client-generated key).

    Claimed in the same transaction as the write it guards, so the unique constraint lets exactly one
    of two concurrent requests with the same key write; the other finds this row and answers with
    the first one's result (`result_type`/`result_id`). `fingerprint` is the digest of the request's
    input, to refuse a key reused for a different request.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    operation = models.CharField(max_length=60)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    result_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    result_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "community"
        constraints = [
            models.UniqueConstraint(fields=["user", "operation", "key"], name="idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.operation} {self.key}"


class DeadLetter(models.Model):
    """An activity whose consumers kept failing for all its dispatch attempts: beat no longer retries it.

    Brand staff see these in the admin and retry them once the cause is fixed (`retry_dead_letters`).
    """

    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="dead_letter")
    consumers = models.JSONField(default=list, help_text="the consumers that failed on the last attempt")
    error = models.TextField(blank=True, help_text="the last failure's traceback")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    retried_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "community"
        indexes = [
            models.Index(fields=["created_at"], condition=Q(resolved_at__isnull=True), name="dead_letter_open"),
        ]

    def __str__(self) -> str:
        return f"activity {self.activity_id}: {', '.join(self.consumers)}"
