"""Posts (moments, articles, announcements), their photos, comments and likes.

The tables keep the names they had when this was part of the `community` app (`db_table`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel.statuses import ContentStatus


class Post(models.Model):
    """A moment (text and photos), an article, or a brand announcement; in a circle or the square."""

    class Kind(models.TextChoices):
        MOMENT = "MOMENT", _("moment")
        ARTICLE = "ARTICLE", _("article")
        ANNOUNCEMENT = "ANNOUNCEMENT", _("announcement")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    circle = models.ForeignKey("circles.Circle", null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    # A recap of an event, optionally.
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MOMENT)
    title = models.CharField(max_length=120, blank=True)
    body = models.TextField(max_length=20000)
    status = models.CharField(max_length=14, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    pinned = models.BooleanField(default=False)
    # Kept by the services in the same transaction as the like or comment; hidden comments don't count.
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Why the word filter or reports held it, for the reviewer.
    held_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # When its author last changed the title or body (None: never edited); earlier texts are PostRevisions.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "community_post"
        indexes = [
            models.Index(fields=["status", "-pinned", "-created_at", "-id"], name="post_feed_idx"),
            models.Index(fields=["circle", "status", "-created_at", "-id"], name="post_circle_idx"),
            models.Index(fields=["author", "status", "-created_at", "-id"], name="post_author_idx"),
            # Search walks posts newest first, filtering by the words, when they are common.
            models.Index(fields=["-created_at", "-id"], name="post_recency_idx"),
            models.Index(
                fields=["-pinned", "-created_at", "-id"], condition=Q(kind="ANNOUNCEMENT"), name="post_announcement_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(like_count__gte=0), name="post_like_count_gte_0"),
            models.CheckConstraint(condition=Q(comment_count__gte=0), name="post_comment_count_gte_0"),
            models.CheckConstraint(
                condition=Q(pinned=False) | Q(kind="ANNOUNCEMENT"), name="post_only_announcements_pinned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} by {self.author_id}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField()
    image = models.ImageField(upload_to="posts/%Y/%m/")
    thumbnail = models.ImageField(upload_to="posts/thumbs/%Y/%m/", blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        db_table = "community_postimage"
        ordering = ["post_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "position"], name="postimage_unique_position"),
            models.CheckConstraint(condition=Q(position__lt=9), name="postimage_at_most_nine"),
        ]

    def __str__(self) -> str:
        return f"image {self.position} of post {self.post_id}"


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(max_length=2000)
    status = models.CharField(max_length=14, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED)
    held_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When its author last changed the body (None: never edited); earlier texts are CommentRevisions.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "community_comment"
        indexes = [models.Index(fields=["post", "status", "created_at", "id"], name="comment_post_idx")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.post_id}"


class Like(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "community_like"
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="like_once_per_user")]
        indexes = [models.Index(fields=["user", "post"])]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.post_id}"


class PostRevision(models.Model):
    """A post's title and body as they were before an edit, for moderators (never shown to members)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=120, blank=True)
    body = models.TextField(max_length=20000)
    status = models.CharField(max_length=14, choices=ContentStatus.choices)
    # When this text was replaced.
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "community_postrevision"
        indexes = [models.Index(fields=["post", "-replaced_at", "-id"], name="postrevision_post_idx")]

    def __str__(self) -> str:
        return f"revision {self.pk} of post {self.post_id}"


class CommentRevision(models.Model):
    """A comment's body as it was before an edit, for moderators (never shown to members)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(max_length=2000)
    status = models.CharField(max_length=14, choices=ContentStatus.choices)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "community_commentrevision"
        indexes = [models.Index(fields=["comment", "-replaced_at", "-id"], name="commentrevision_comment_idx")]

    def __str__(self) -> str:
        return f"revision {self.pk} of comment {self.comment_id}"
