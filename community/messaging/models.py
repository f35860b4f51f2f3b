"""One-to-one conversations and their messages.

A conversation is one row per pair of people (the lower user id first, so a pair has exactly one);
who has read what is the id of the last message each side has read, so an unread count is one
indexed range, whatever the length of the conversation.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel.statuses import ContentStatus


class Conversation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("active")
        # The first message of someone who may not write at once: the recipient accepts or declines.
        REQUESTED = "REQUESTED", _("message request")
        DECLINED = "DECLINED", _("request declined")

    user_low = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When its newest message was sent: `conversations` lists newest first.
    last_message_at = models.DateTimeField(default=timezone.now)
    low_read_up_to = models.BigIntegerField(default=0)
    high_read_up_to = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="conversation_one_per_pair"),
            models.CheckConstraint(condition=Q(user_low__lt=F("user_high")), name="conversation_low_below_high"),
            models.CheckConstraint(
                condition=Q(status="ACTIVE") | Q(requested_by__isnull=False), name="conversation_request_has_requester"
            ),
        ]
        indexes = [
            models.Index(fields=["user_low", "-last_message_at", "-id"], name="conversation_low_recent"),
            models.Index(fields=["user_high", "-last_message_at", "-id"], name="conversation_high_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_low_id} ↔ {self.user_high_id} ({self.status})"

    def other_id(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id

    def has(self, user_id: int | None) -> bool:
        return user_id in (self.user_low_id, self.user_high_id)


class DirectMessage(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=1000)
    # PUBLISHED, PENDING_REVIEW (held by the word filter: only its sender sees it), HIDDEN by moderation.
    status = models.CharField(max_length=16, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    held_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["conversation", "-created_at", "-id"], name="dm_conversation_recent")]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"

    @property
    def author(self):
        """Moderation speaks of every reported thing's author."""
        return self.sender

    @property
    def author_id(self) -> int:
        return self.sender_id
