"""Events (活动): host-led and brand-led events, sign-ups and the waitlist, check-in, reminders.

The rules that matter live in the database as well as in the services:
- an event's seat counters (`confirmed_seats`, `waitlist_count`) are changed only under the event's
  row lock, in the same transaction as the sign-up rows they count, and a CHECK constraint refuses
  any commit that would seat more than the capacity;
- one live (not cancelled) sign-up per user and event: a partial unique index;
- a reminder is sent at most once per sign-up and kind: a unique (signup, kind) row is claimed in the
  same transaction as the notification it stands for.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_CAPACITY = 1
MAX_CAPACITY = 10_000
MAX_GUESTS = 5
# Without ambiguous characters (0/O, 1/I/L), so it can be typed when a QR code won't scan.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Event(models.Model):
    class Kind(models.TextChoices):
        DRIVE = "DRIVE", _("drive")
        ROAD_TRIP = "ROAD_TRIP", _("road trip")
        FAMILY = "FAMILY", _("family")
        CHARITY = "CHARITY", _("charity")
        MEETUP = "MEETUP", _("meetup")
        CAR_CARE = "CAR_CARE", _("car care")
        OTHER = "OTHER", _("other")

    class Origin(models.TextChoices):
        HOST = "HOST", _("host-led")
        BRAND = "BRAND", _("brand-led")

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("draft")
        PUBLISHED = "PUBLISHED", _("published")
        CANCELLED = "CANCELLED", _("cancelled")
        FINISHED = "FINISHED", _("finished")

    title = models.CharField(_("title"), max_length=60)
    description = models.TextField(_("description"), max_length=5000)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    origin = models.CharField(_("origin"), max_length=5, choices=Origin.choices)
    status = models.CharField(_("status"), max_length=9, choices=Status.choices, default=Status.DRAFT)
    circle = models.ForeignKey(
        "circles.Circle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("circle"),
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="events_organized", verbose_name=_("organizer")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # Null: sign-ups open as soon as the event is published / close when it starts.
    signup_opens_at = models.DateTimeField(_("sign-ups open at"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(_("sign-ups close at"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (seats)"))
    # A cover image, cleaned like post photos (community.kernel.images); empty: none.
    cover = models.ImageField(_("cover image"), upload_to="covers/events/%Y/%m/", blank=True)
    max_guests_per_signup = models.PositiveSmallIntegerField(_("guests per sign-up"), default=0)
    # Kept under the event's row lock with the sign-ups: seats of CONFIRMED, ATTENDED and NO_SHOW
    # sign-ups (each counts 1 + guests), and the number of WAITLISTED sign-ups.
    confirmed_seats = models.PositiveIntegerField(_("confirmed seats"), default=0)
    waitlist_count = models.PositiveIntegerField(_("waitlist"), default=0)
    # Bumped with every seat change, so live subscribers can drop an update that arrives late.
    seats_revision = models.PositiveBigIntegerField(default=0)
    check_in_code = models.CharField(max_length=16, default=new_check_in_code)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["status", "starts_at", "id"], name="event_status_starts"),
            models.Index(fields=["circle", "starts_at", "id"], name="event_circle_starts"),
            models.Index(fields=["city", "starts_at"], name="event_city_starts"),
            models.Index(fields=["origin", "starts_at"], name="event_origin_starts"),
            models.Index(fields=["status", "ends_at"], name="event_status_ends"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__gte=MIN_CAPACITY, capacity__lte=MAX_CAPACITY), name="event_capacity_range"
            ),
            models.CheckConstraint(condition=Q(max_guests_per_signup__lte=MAX_GUESTS), name="event_guests_range"),
            models.CheckConstraint(condition=Q(confirmed_seats__lte=F("capacity")), name="event_never_oversold"),
            models.CheckConstraint(condition=Q(origin="BRAND") | Q(circle__isnull=False), name="event_host_has_circle"),
            models.CheckConstraint(
                condition=Q(signup_opens_at__isnull=True)
                | Q(signup_closes_at__isnull=True)
                | Q(signup_closes_at__gt=F("signup_opens_at")),
                name="event_signup_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_left(self) -> int:
        return max(0, self.capacity - self.confirmed_seats)

    @property
    def signup_window(self) -> tuple:
        """When sign-ups open and close (defaults: from publication, until the start)."""
        return self.signup_opens_at or self.published_at or self.created_at, self.signup_closes_at or self.starts_at

    def effective_status(self, now=None) -> str:
        """A published event whose end has passed is FINISHED, even before the task has marked it."""
        if self.status == self.Status.PUBLISHED and self.ends_at <= (now or timezone.now()):
            return self.Status.FINISHED
        return self.status


class Signup(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "CONFIRMED", _("confirmed")
        WAITLISTED = "WAITLISTED", _("waitlisted")
        CANCELLED = "CANCELLED", _("cancelled")
        ATTENDED = "ATTENDED", _("attended")
        NO_SHOW = "NO_SHOW", _("no-show")

    class CancelledBy(models.TextChoices):
        USER = "USER", _("the user")
        EVENT = "EVENT", _("the event was cancelled")

    # Statuses that hold seats.
    SEATED = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_signups", verbose_name=_("user")
    )
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("signed up at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted from the waitlist at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=5, choices=CancelledBy.choices, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # Who marked the attendance when a host did it rather than the attendee's own check-in.
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        indexes = [
            # The waitlist in arrival order (ids are taken under the event's lock, so in arrival order).
            models.Index(fields=["event", "status", "id"], name="signup_event_status"),
            models.Index(fields=["user", "status"], name="signup_user_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=~Q(status="CANCELLED"), name="signup_one_live_per_user"
            ),
            models.CheckConstraint(condition=Q(guests__lte=MAX_GUESTS), name="signup_guests_range"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id} ({self.status})"

    @property
    def seats(self) -> int:
        return 1 + self.guests


class Reminder(models.Model):
    """One row per reminder sent: the unique (signup, kind) pair is what makes it once only."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "H24", _("24 hours before")
        TWO_HOURS = "H2", _("2 hours before")

    signup = models.ForeignKey(Signup, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=3, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["signup", "kind"], name="reminder_once_per_signup_kind")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.signup_id}"
