"""Creating a circle, brand review, updating and archiving it."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Membership
from circles.services.common import Role, Status, ensure_not_muted_in, find_membership, lock_circle, require_status
from community.kernel import realtime
from community.kernel.access import require_brand_staff, require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.images import clean_image, replacing_cover
from community.kernel.validation import clean_choice, clean_text, collect
from community.kernel.verbs import Verb
from community.safety import trust, wordfilter
from community.safety.mutes import ensure_not_muted

NAME_MIN_LENGTH = 2


NAME_MAX_LENGTH = 30


DESCRIPTION_MAX_LENGTH = 1000


CITY_MAX_LENGTH = 40


MAX_PENDING_CIRCLES_PER_USER = 3


_UNSET = object()


def create_circle(
    *,
    user,
    name: str,
    description: str,
    kind,
    join_policy,
    visibility,
    city: str | None = None,
) -> Circle:
    """A verified owner (or brand staff) founds a circle: PENDING until approved, with its creator as HOST."""
    require_user(user)
    ensure_not_muted(user)
    if not (user.is_brand_staff or user.is_verified_owner):
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only verified owners and brand staff can create circles."))
    errors: list[FieldError] = []
    name = collect(
        errors, clean_text, name, field="name", max_length=NAME_MAX_LENGTH, min_length=NAME_MIN_LENGTH, required=True
    )
    description = collect(
        errors, clean_text, description, field="description", max_length=DESCRIPTION_MAX_LENGTH, required=True
    )
    city = collect(errors, clean_text, city, field="city", max_length=CITY_MAX_LENGTH)
    kind = collect(errors, clean_choice, kind, Circle.Kind, field="kind")
    join_policy = collect(errors, clean_choice, join_policy, Circle.JoinPolicy, field="joinPolicy")
    visibility = collect(errors, clean_choice, visibility, Circle.Visibility, field="visibility")
    if kind == Circle.Kind.OFFICIAL and not user.is_brand_staff:
        errors.append(FieldError(ErrorCode.FORBIDDEN, _("Only brand staff can create official circles."), "kind"))
    if kind == Circle.Kind.CITY and city == "":
        errors.append(FieldError(ErrorCode.INVALID, _("A city circle needs its city."), "city"))
    collect(errors, wordfilter.ensure_allowed, name, field="name")
    collect(errors, wordfilter.ensure_allowed, description, field="description")
    if errors:
        raise ServiceError.many(errors)
    pending = Circle.objects.filter(created_by=user, status=Circle.Status.PENDING).count()
    if pending >= MAX_PENDING_CIRCLES_PER_USER:
        raise ServiceError(
            ErrorCode.INVALID,
            _("You already have %(count)d circles waiting for approval.") % {"count": pending},
        )
    taken = _("A circle with this name already exists.")
    if Circle.objects.filter(name__iexact=name).exclude(status=Circle.Status.ARCHIVED).exists():
        raise ServiceError(ErrorCode.CONFLICT, taken, "name")
    now = timezone.now()
    try:
        with transaction.atomic():
            circle = Circle.objects.create(
                name=name,
                description=description,
                kind=kind,
                city=city,
                join_policy=join_policy,
                visibility=visibility,
                created_by=user,
                member_count=1,
                created_at=now,
                updated_at=now,
            )
            host = Membership.objects.create(
                circle=circle, user=user, role=Role.HOST, status=Status.ACTIVE, joined_at=now, role_since=now
            )
            record_activity(actor=user, verb=Verb.CIRCLE_CREATED, target=circle, circle_id=circle.pk)
            record_activity(
                actor=user, verb=Verb.CIRCLE_JOINED, target=host, circle_id=circle.pk, data={"via": "create"}
            )
    except IntegrityError:
        raise ServiceError(ErrorCode.CONFLICT, taken, "name") from None
    return circle


def review_circle(*, user, circle_id: int, approve: bool) -> Circle:
    """Brand staff approve a PENDING circle (ACTIVE) or turn it down (ARCHIVED, its name free again)."""
    require_brand_staff(user)
    with transaction.atomic():
        circle = lock_circle(circle_id)
        if circle.status != Circle.Status.PENDING:
            raise ServiceError(ErrorCode.CONFLICT, _("This circle has already been reviewed."), "circleId")
        now = timezone.now()
        circle.reviewed_by = user
        circle.reviewed_at = now
        circle.updated_at = now
        if approve:
            circle.status = Circle.Status.ACTIVE
            verb = Verb.CIRCLE_APPROVED
        else:
            circle.status = Circle.Status.ARCHIVED
            circle.archived_at = now
            verb = Verb.CIRCLE_REJECTED
        circle.save(update_fields=["status", "reviewed_by", "reviewed_at", "archived_at", "updated_at"])
        host = Membership.objects.filter(circle=circle, role=Role.HOST, status=Status.ACTIVE).first()
        data = {"host_id": host.user_id if host else None}
        record_activity(actor=user, verb=verb, target=circle, circle_id=circle.pk, data=data)
    return circle


def archive_circle(*, user, circle_id: int) -> Circle:
    """Brand staff close a circle: it leaves the directory, its name is free, its history is kept."""
    require_brand_staff(user)
    with transaction.atomic():
        circle = lock_circle(circle_id)
        if circle.status == Circle.Status.ARCHIVED:
            return circle
        now = timezone.now()
        circle.status = Circle.Status.ARCHIVED
        circle.archived_at = now
        circle.updated_at = now
        circle.save(update_fields=["status", "archived_at", "updated_at"])
        record_activity(
            actor=user, verb=Verb.CIRCLE_ARCHIVED, target=circle, circle_id=circle.pk, data={"reason": "brand"}
        )
    return circle


def update_circle(
    *, user, circle_id: int, description=_UNSET, city=_UNSET, join_policy=_UNSET, visibility=_UNSET
) -> Circle:
    """The host (or brand staff) edits the circle; the name and kind stay as they were approved (not while muted)."""
    require_user(user)
    ensure_not_muted(user)
    errors: list[FieldError] = []
    changes: dict = {}
    if description is not _UNSET and description is not None:
        changes["description"] = collect(
            errors, clean_text, description, field="description", max_length=DESCRIPTION_MAX_LENGTH, required=True
        )
        collect(errors, wordfilter.ensure_allowed, changes["description"], field="description")
    if city is not _UNSET and city is not None:
        changes["city"] = collect(errors, clean_text, city, field="city", max_length=CITY_MAX_LENGTH)
    if join_policy is not _UNSET and join_policy is not None:
        changes["join_policy"] = collect(errors, clean_choice, join_policy, Circle.JoinPolicy, field="joinPolicy")
    if visibility is not _UNSET and visibility is not None:
        changes["visibility"] = collect(errors, clean_choice, visibility, Circle.Visibility, field="visibility")
    if errors:
        raise ServiceError.many(errors)
    with transaction.atomic():
        circle = lock_circle(circle_id)
        membership = find_membership(circle.pk, user.pk, lock=False)
        if not ((membership is not None and membership.is_host) or user.is_brand_staff):
            raise ServiceError(ErrorCode.FORBIDDEN, _("Only the host can edit the circle."))
        ensure_not_muted_in(membership)
        require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
        if changes.get("city") == "" and circle.kind == Circle.Kind.CITY:
            raise ServiceError(ErrorCode.INVALID, _("A city circle needs its city."), "city")
        changed = [field for field, value in changes.items() if getattr(circle, field) != value]
        if not changed:
            return circle
        for field in changed:
            setattr(circle, field, changes[field])
        circle.updated_at = timezone.now()
        circle.save(update_fields=[*changed, "updated_at"])
        if "visibility" in changed:
            realtime.publish_access_changed(circle.pk)  # going private ends the non-members' subscriptions
        record_activity(
            actor=user, verb=Verb.CIRCLE_UPDATED, target=circle, circle_id=circle.pk, data={"fields": changed}
        )
    return circle


def set_circle_cover(*, user, circle_id: int, image) -> Circle:
    """The host (or brand staff) gives the circle a cover image, through the photo pipeline (size and
    pixel limits, metadata stripped); the replaced file is deleted after commit."""
    require_user(user)
    circle = Circle.objects.filter(pk=circle_id).first()
    if circle is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), "circleId")
    membership = find_membership(circle.pk, user.pk, lock=False)
    if not ((membership is not None and membership.is_host) or user.is_brand_staff):
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only the host can edit the circle."))
    require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
    if not user.is_brand_staff:
        trust.spend(user, "image")
    clean = clean_image(image, field="image")
    with replacing_cover(circle, clean, stem=f"circle-{circle.pk}"):
        record_activity(
            actor=user, verb=Verb.CIRCLE_UPDATED, target=circle, circle_id=circle.pk, data={"fields": ["cover"]}
        )
    return circle
