"""The social core's tables: accounts, tokens, vehicles, follows, notifications, the word list and mutes.

The activity stream's table is defined in the kernel and registered here, with the rest of the app.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from community.kernel.models import Activity, DeadLetter, IdempotencyKey  # noqa: F401  (registered with this app)
from community.kernel.verbs import NotificationVerb
from community.safety.text import normalize

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
    # Account deletion: deactivated at once (is_active=False), erased at `erase_after` unless the
    # owner logs in before; `erased_at` once the personal data is gone (the row stays for the ledger).
    erase_after = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    class Meta:
        indexes = [
            models.Index(fields=["city"]),
            models.Index(fields=["erase_after"], condition=Q(erase_after__isnull=False), name="user_erase_due"),
        ]
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
        indexes = [
            models.Index(fields=["followee", "created_at"]),
            # `following(userId)` pages by when the follows were made.
            models.Index(fields=["follower", "created_at", "id"], name="follow_follower_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id} → {self.followee_id}"


class Block(models.Model):
    """`blocker` blocked `blocked`: neither sees the other's content, the blocked can't reach the blocker.

    Whether two people are blocked either way is answered in one place: `accounts.selectors`."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="block_not_self"),
        ]
        indexes = [
            models.Index(fields=["blocked", "blocker"], name="block_blocked_idx"),
            # `blockedUsers` pages by when the blocks were made.
            models.Index(fields=["blocker", "created_at", "id"], name="block_blocker_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} ⊘ {self.blocked_id}"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(max_length=20, choices=NotificationVerb.choices)
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
        self.word = self.word.strip()
        self.normalized = normalize(self.word)
        super().save(*args, **kwargs)


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


class Contact(models.Model):
    """A phone number or email address of an account; once verified it can receive password-reset codes."""

    class Kind(models.TextChoices):
        PHONE = "PHONE", _("phone number")
        EMAIL = "EMAIL", _("email address")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    # Normalised: phone numbers in E.164 (+8613800138000), email addresses in lower case.
    value = models.CharField(max_length=254)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "value"], name="contact_unique_per_user"),
            # A verified address belongs to one account only: it is what a password reset is sent to.
            models.UniqueConstraint(
                fields=["kind", "value"], condition=Q(verified_at__isnull=False), name="contact_verified_once"
            ),
            models.CheckConstraint(condition=~Q(value=""), name="contact_value_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id}"

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class ContactCode(models.Model):
    """A one-time code sent to a contact; only its keyed hash is stored. Expires, single use, few attempts."""

    class Purpose(models.TextChoices):
        VERIFY = "VERIFY", _("verify the contact")
        RESET = "RESET", _("reset the password")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="codes")
    purpose = models.CharField(max_length=6, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["contact", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} code for contact {self.contact_id}"


class DataExport(models.Model):
    """An owner's copy of their data: a zip built in the background, downloadable by them until it expires."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("being prepared")
        READY = "READY", _("ready")
        FAILED = "FAILED", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.PENDING)
    # The zip's name in the private export storage (settings.DATA_EXPORT_ROOT, never served as media).
    file_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            # One export in preparation per owner at a time.
            models.UniqueConstraint(fields=["user"], condition=Q(status="PENDING"), name="dataexport_one_pending"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.status})"


class NotificationPreference(models.Model):
    """What an owner wants to hear about: kinds switched off (live push, inbox), brand campaigns, quiet hours.

    No row means the defaults: everything on, no quiet hours. Quiet hours are local to Asia/Shanghai and
    may wrap midnight (22:00-07:00); during them nothing is pushed live, the inbox still fills.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="notification_preference"
    )
    # NotificationVerb values switched off for the live push, and for the inbox (which also stops the push).
    push_off = models.JSONField(default=list, blank=True)
    inbox_off = models.JSONField(default=list, blank=True)
    campaign_opt_out = models.BooleanField(default=False)
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["user"], condition=Q(campaign_opt_out=True), name="notificationpref_campaign_out"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="notificationpref_quiet_hours_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True) | ~Q(quiet_start=models.F("quiet_end")),
                name="notificationpref_quiet_hours_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"notification preferences of {self.user_id}"
