"""The social core: accounts, vehicles, follows, tokens, the activity stream and notifications."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

BRAND_GROUP = "brand"


class User(AbstractUser):
    """An owner, a prospect or brand staff; the role comes from vehicles and groups, not flags."""

    nickname = models.CharField(_("nickname"), max_length=30, blank=True)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)
    avatar_thumbnail = models.ImageField(upload_to="avatars/thumbs/%Y/%m/", blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    bio = models.CharField(_("bio"), max_length=500, blank=True)
    # Counters kept by the follow services in the same transaction as the follow row.
    follower_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)

    objects = UserManager()

    class Meta:
        indexes = [models.Index(fields=["city"])]
        constraints = [
            models.CheckConstraint(condition=Q(follower_count__gte=0), name="user_follower_count_gte_0"),
            models.CheckConstraint(condition=Q(following_count__gte=0), name="user_following_count_gte_0"),
        ]

    def save(self, *args, **kwargs):
        if not self.nickname:
            self.nickname = self.username[:30]
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.nickname} (@{self.username})"

    @cached_property
    def is_brand_staff(self) -> bool:
        if not self.is_active:
            return False
        return self.is_superuser or self.groups.filter(name=BRAND_GROUP).exists()

    @property
    def is_verified_owner(self) -> bool:
        return self.vehicles.filter(verified_at__isnull=False).exists()


class AuthToken(models.Model):
    """A bearer token for the mobile app. Only its SHA-256 is stored, so a database leak leaks no logins."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user_id}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Vehicle(models.Model):
    class Category(models.TextChoices):
        PASSENGER = "PASSENGER", _("passenger car")
        COMMERCIAL = "COMMERCIAL", _("commercial vehicle")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vehicles")
    model = models.CharField(_("model"), max_length=60)
    category = models.CharField(max_length=12, choices=Category.choices)
    purchased_on = models.DateField(null=True, blank=True)
    vin_suffix = models.CharField(_("last six of the VIN"), max_length=6, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "vin_suffix"], condition=~Q(vin_suffix=""), name="vehicle_unique_vin_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} ({self.owner_id})"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class Follow(models.Model):
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following")
    followee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique_pair"),
            models.CheckConstraint(condition=~Q(follower=models.F("followee")), name="follow_not_self"),
        ]
        indexes = [models.Index(fields=["followee", "created_at"])]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followee_id}"


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


class Notification(models.Model):
    class Verb(models.TextChoices):
        LIKED = "LIKED"
        COMMENTED = "COMMENTED"
        REPLIED = "REPLIED"
        MENTIONED = "MENTIONED"
        FOLLOWED = "FOLLOWED"
        JOIN_REQUESTED = "JOIN_REQUESTED"
        JOIN_APPROVED = "JOIN_APPROVED"
        ROLE_CHANGED = "ROLE_CHANGED"
        EVENT_PUBLISHED = "EVENT_PUBLISHED"
        EVENT_REMINDER = "EVENT_REMINDER"
        EVENT_CANCELLED = "EVENT_CANCELLED"
        WAITLIST_PROMOTED = "WAITLIST_PROMOTED"
        POINTS_AWARDED = "POINTS_AWARDED"
        BADGE_AWARDED = "BADGE_AWARDED"
        MODERATION = "MODERATION"
        CAMPAIGN = "CAMPAIGN"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(max_length=20, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Parameters for the text, rendered in the reader's language when it is read.
    data = models.JSONField(default=dict, blank=True)
    # The activity that caused it: a redelivered activity never notifies twice.
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"]),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "recipient", "verb"],
                condition=Q(activity__isnull=False),
                name="notification_once_per_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verb} → {self.recipient_id}"


class SensitiveWord(models.Model):
    """A word brand staff keep out of the community: it holds content for review or blocks it."""

    class Action(models.TextChoices):
        HOLD = "HOLD", _("hold for review")
        BLOCK = "BLOCK", _("block")

    word = models.CharField(_("word"), max_length=100)
    # The word as the matcher sees it (full-width folded, simplified, lower case): unique.
    normalized = models.CharField(max_length=100, unique=True, editable=False)
    action = models.CharField(_("action"), max_length=5, choices=Action.choices, default=Action.HOLD)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["normalized"]
        constraints = [models.CheckConstraint(condition=~Q(normalized=""), name="sensitiveword_not_empty")]

    def __str__(self) -> str:
        return f"{self.word} ({self.action})"

    def save(self, *args, **kwargs):
        from community.safety.wordfilter import normalize

        self.word = self.word.strip()
        self.normalized = normalize(self.word)
        super().save(*args, **kwargs)


# ---------------------------------------------------------------- content


class ContentStatus(models.TextChoices):
    PUBLISHED = "PUBLISHED", _("published")
    PENDING_REVIEW = "PENDING_REVIEW", _("pending review")
    HIDDEN = "HIDDEN", _("hidden")
    DELETED = "DELETED", _("deleted")


class Post(models.Model):
    """A moment (text and photos), an article, or a brand announcement; in a circle or the square."""

    class Kind(models.TextChoices):
        MOMENT = "MOMENT", _("moment")
        ARTICLE = "ARTICLE", _("article")
        ANNOUNCEMENT = "ANNOUNCEMENT", _("announcement")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    circle = models.ForeignKey(
        "circles.Circle", null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    # A recap of an event, optionally.
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
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

    class Meta:
        indexes = [
            models.Index(fields=["status", "-pinned", "-created_at", "-id"], name="post_feed_idx"),
            models.Index(fields=["circle", "status", "-created_at", "-id"], name="post_circle_idx"),
            models.Index(fields=["author", "status", "-created_at", "-id"], name="post_author_idx"),
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

    class Meta:
        indexes = [models.Index(fields=["post", "status", "created_at", "id"], name="comment_post_idx")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.post_id}"


class Like(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="like_once_per_user")]
        indexes = [models.Index(fields=["user", "post"])]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.post_id}"


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
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=12, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at", "id"], name="report_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post__isnull=False, comment__isnull=True, chat_message__isnull=True)
                    | Q(post__isnull=True, comment__isnull=False, chat_message__isnull=True)
                    | Q(post__isnull=True, comment__isnull=True, chat_message__isnull=False)
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
        ]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.status})"

    @property
    def target(self):
        return self.post or self.comment or self.chat_message


class Mute(models.Model):
    """While it lasts, the user can't post, comment or chat."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes")
    until = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "until"])]

    def __str__(self) -> str:
        return f"{self.user_id} muted until {self.until:%Y-%m-%d %H:%M}"


class ModerationAction(models.Model):
    """The audit log: who did what to which content or user, why, and when. Never edited."""

    class Action(models.TextChoices):
        HIDE = "HIDE", _("hide")
        DELETE = "DELETE", _("delete")
        DISMISS = "DISMISS", _("dismiss")
        MUTE_AUTHOR = "MUTE_AUTHOR", _("mute the author")
        APPROVE = "APPROVE", _("approve held content")
        REJECT = "REJECT", _("reject held content")
        AUTO_HOLD = "AUTO_HOLD", _("held automatically")

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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type_id}:{self.target_id} by {self.moderator_id}"
