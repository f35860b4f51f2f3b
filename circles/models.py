"""Circles (车友圈): the circle, its memberships and roles, invites, and circle chat.

The rules that matter live in the database as well as in the services:
- one membership row per user and circle (reused when someone leaves and comes back);
- at most one ACTIVE HOST per circle (a partial unique index, on SQLite and PostgreSQL);
- on PostgreSQL, a deferred constraint trigger (migration 0002) refuses any commit that leaves an
  ACTIVE circle without an active host, so "exactly one" holds whatever code path writes;
- names are unique (case-insensitively) among circles that are not archived;
- an invite is never used more often than its `max_uses`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Circle(models.Model):
    class Kind(models.TextChoices):
        CITY = "CITY", _("city circle")
        MODEL = "MODEL", _("model circle")
        INTEREST = "INTEREST", _("interest circle")
        OFFICIAL = "OFFICIAL", _("official circle")

    class JoinPolicy(models.TextChoices):
        OPEN = "OPEN", _("open: members join at once")
        APPROVAL = "APPROVAL", _("approval: a host approves each request")
        INVITE_ONLY = "INVITE_ONLY", _("invite only")

    class Visibility(models.TextChoices):
        PUBLIC = "PUBLIC", _("public")
        PRIVATE = "PRIVATE", _("private: content for members only")

    class Status(models.TextChoices):
        PENDING = "PENDING", _("waiting for approval")
        ACTIVE = "ACTIVE", _("active")
        ARCHIVED = "ARCHIVED", _("archived")

    name = models.CharField(_("name"), max_length=30)
    description = models.TextField(_("description"), max_length=1000)
    # A cover image, cleaned like post photos (community.kernel.images); empty: none.
    cover = models.ImageField(_("cover image"), upload_to="covers/circles/%Y/%m/", blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=40, blank=True)
    join_policy = models.CharField(_("join policy"), max_length=12, choices=JoinPolicy.choices)
    visibility = models.CharField(_("visibility"), max_length=8, choices=Visibility.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="circles_created"
    )
    # ACTIVE memberships, kept by the membership services in the same transaction as the row.
    member_count = models.PositiveIntegerField(_("members"), default=0)
    # Computed by gamification from the activity stream; 0 until it runs.
    activity_score = models.FloatField(_("activity score"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("circle")
        verbose_name_plural = _("circles")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="circle_status_created"),
            models.Index(fields=["city", "status"], name="circle_city_status"),
            models.Index(fields=["kind", "status"], name="circle_kind_status"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("name"), condition=~Q(status="ARCHIVED"), name="circle_unique_live_name"),
            models.CheckConstraint(condition=Q(member_count__gte=0), name="circle_member_count_gte_0"),
            models.CheckConstraint(condition=~Q(name=""), name="circle_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE


class Invite(models.Model):
    """A code a host or co-host hands out; `uses` counts the people who joined with it."""

    code = models.CharField(max_length=32, unique=True)
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invites")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invite")
        verbose_name_plural = _("invites")
        indexes = [models.Index(fields=["circle", "-created_at", "-id"], name="invite_circle_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")), name="invite_uses_within_max"
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(max_uses__gte=1), name="invite_max_uses_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circle_id}:{self.code[:4]}…"


class Membership(models.Model):
    class Role(models.TextChoices):
        HOST = "HOST", _("host")
        CO_HOST = "CO_HOST", _("co-host")
        MEMBER = "MEMBER", _("member")

    class Status(models.TextChoices):
        PENDING = "PENDING", _("waiting for approval")
        ACTIVE = "ACTIVE", _("active")
        BANNED = "BANNED", _("banned")
        LEFT = "LEFT", _("left")

    # Hosts and co-hosts run the circle: approve, remove, ban, invite, moderate its content.
    MANAGER_ROLES = (Role.HOST, Role.CO_HOST)

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    # When the user last became an active member (tenure for host succession); null while pending.
    joined_at = models.DateTimeField(null=True, blank=True)
    # When the current role was given: the longest-serving co-host succeeds the host.
    role_since = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    muted_until = models.DateTimeField(null=True, blank=True)
    # Who brought this member in, and with which invite (the history of every use is in InviteUse).
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invite = models.ForeignKey(Invite, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Who decided the last approval, removal or ban.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["circle", "status", "role"], name="membership_circle_status_role"),
            models.Index(fields=["user", "status"], name="membership_user_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["circle", "user"], name="membership_unique_user_per_circle"),
            models.UniqueConstraint(
                fields=["circle"], condition=Q(role="HOST", status="ACTIVE"), name="circle_one_active_host"
            ),
            # Only active members hold a role above MEMBER.
            models.CheckConstraint(condition=Q(role="MEMBER") | Q(status="ACTIVE"), name="membership_roles_are_active"),
            models.CheckConstraint(
                condition=~Q(status="ACTIVE") | Q(joined_at__isnull=False), name="membership_active_has_joined_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.circle_id} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_manager(self) -> bool:
        return self.is_active and self.role in self.MANAGER_ROLES

    @property
    def is_host(self) -> bool:
        return self.is_active and self.role == self.Role.HOST

    def is_muted(self, now=None) -> bool:
        return self.muted_until is not None and self.muted_until > (now or timezone.now())


class InviteUse(models.Model):
    """Who invited whom: one row each time an invite brings someone in (referrals are counted from it)."""

    invite = models.ForeignKey(Invite, on_delete=models.CASCADE, related_name="used_by")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="+")
    inviter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals")
    invitee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invite use")
        verbose_name_plural = _("invite uses")
        indexes = [models.Index(fields=["inviter", "created_at"], name="inviteuse_inviter_created")]
        constraints = [
            models.UniqueConstraint(fields=["invite", "invitee"], name="inviteuse_once_per_invitee"),
        ]

    def __str__(self) -> str:
        return f"{self.inviter_id} → {self.invitee_id} ({self.circle_id})"


class ChatMessage(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "PUBLISHED", _("published")
        PENDING_REVIEW = "PENDING_REVIEW", _("held for review")
        HIDDEN = "HIDDEN", _("hidden")
        DELETED = "DELETED", _("deleted")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="chat_messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages")
    body = models.TextField(_("message"))
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        indexes = [
            models.Index(fields=["circle", "-created_at", "-id"], name="chat_circle_created"),
            models.Index(fields=["circle", "created_at"], condition=Q(status="PUBLISHED"), name="chat_published"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} in {self.circle_id}: {self.body[:30]}"
