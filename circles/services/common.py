"""What the circles use cases share: locking a circle, finding memberships, who manages, and the host's
succession when a membership ends."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Membership
from community.kernel import realtime
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.verbs import Verb
from community.models import User

Role = Membership.Role


Status = Membership.Status


def lock_circle(circle_id: int, *, field: str = "circleId") -> Circle:
    circle = Circle.objects.select_for_update().filter(pk=circle_id).first()
    if circle is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), field)
    return circle


def require_status(circle: Circle, *statuses: str) -> None:
    if circle.status in statuses:
        return
    if circle.status == Circle.Status.PENDING:
        raise ServiceError(ErrorCode.CLOSED, _("This circle is still waiting for approval."))
    raise ServiceError(ErrorCode.CLOSED, _("This circle is archived."))


def find_membership(circle_id: int, user_id: int, *, lock: bool = True) -> Membership | None:
    memberships = Membership.objects.select_for_update() if lock else Membership.objects
    return memberships.filter(circle_id=circle_id, user_id=user_id).first()


def membership_by_id(membership_id: int) -> Membership:
    """Which circle a membership belongs to, read before the circle is locked."""
    membership = Membership.objects.filter(pk=membership_id).only("id", "circle_id").first()
    if membership is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Membership not found."), "membershipId")
    return membership


def manager_membership(user: User, circle: Circle, *, message) -> Membership | None:
    """The acting host or co-host's membership, None for brand staff (who may do anything a host
    may); FORBIDDEN for anyone else."""
    if user.is_brand_staff:
        return None
    membership = find_membership(circle.pk, user.pk, lock=False)
    if membership is not None and membership.is_manager:
        return membership
    raise ServiceError(ErrorCode.FORBIDDEN, message)


def ensure_not_muted_in(membership: Membership | None) -> None:
    """MUTED while a circle's hosts have muted this member in the circle."""
    if membership is not None and membership.is_muted():
        until = timezone.localtime(membership.muted_until).strftime("%Y-%m-%d %H:%M")
        raise ServiceError(ErrorCode.MUTED, _("You are muted in this circle until %(until)s.") % {"until": until})


def ensure_not_banned(membership: Membership | None) -> None:
    if membership is not None and membership.status == Status.BANNED:
        raise ServiceError(ErrorCode.FORBIDDEN, _("You have been banned from this circle."))


def count_members(circle: Circle, delta: int) -> None:
    Circle.objects.filter(pk=circle.pk).update(member_count=F("member_count") + delta)
    circle.member_count += delta


def save_membership(membership: Membership, *fields: str) -> None:
    membership.updated_at = timezone.now()
    membership.save(update_fields=[*fields, "updated_at"])


def activate(circle: Circle, membership: Membership, now: datetime) -> None:
    """Make `membership` an active MEMBER and count it (the caller saves any other fields)."""
    membership.status = Status.ACTIVE
    membership.role = Role.MEMBER
    membership.joined_at = now
    membership.role_since = now
    membership.left_at = None
    if membership.pk is None:
        membership.save()
    else:
        save_membership(membership, "status", "role", "joined_at", "role_since", "left_at")
    count_members(circle, +1)


def publish_departure(circle: Circle, user_id: int) -> None:
    """Tell open chat subscriptions that this user is no longer a member (private circles end theirs)."""
    realtime.publish(realtime.circle_chat_topic(circle.pk), {"kind": "member_left", "userId": user_id})
    realtime.publish_access_changed(circle.pk)


def end_membership(circle: Circle, membership: Membership, *, status: str, now: datetime, decided_by=None) -> bool:
    """Take the member out (LEFT or BANNED); True when they were active. Hosts go through succession first."""
    was_active = membership.status == Status.ACTIVE
    membership.status = status
    membership.role = Role.MEMBER
    membership.role_since = now
    if was_active:
        membership.left_at = now
    fields = ["status", "role", "role_since", "left_at"]
    if decided_by is not None:
        membership.decided_by = decided_by
        fields.append("decided_by")
    save_membership(membership, *fields)
    if was_active:
        count_members(circle, -1)
        publish_departure(circle, membership.user_id)
    return was_active


def next_host(circle: Circle, leaving: Membership) -> Membership | None:
    """The longest-serving co-host, else the longest-serving member, else nobody."""
    others = (
        Membership.objects.select_for_update()
        .filter(circle=circle, status=Status.ACTIVE)
        .exclude(pk=leaving.pk)
        .select_related("user")
    )
    co_host = others.filter(role=Role.CO_HOST).order_by("role_since", "joined_at", "id").first()
    if co_host is not None:
        return co_host
    return others.filter(role=Role.MEMBER).order_by("joined_at", "id").first()


def hand_over(
    circle: Circle, old_host: Membership, new_host: Membership, *, actor: User, reason: str, now: datetime
) -> None:
    """Make `new_host` the host. The old host's row must already be demoted or ended (one host at a time)."""
    new_host.role = Role.HOST
    new_host.role_since = now
    save_membership(new_host, "role", "role_since")
    record_activity(
        actor=actor,
        verb=Verb.CIRCLE_HOST_CHANGED,
        target=new_host,
        circle_id=circle.pk,
        data={"reason": reason, "previous_host_id": old_host.user_id, "new_host_id": new_host.user_id},
    )


def host_departs(circle: Circle, host: Membership, *, actor: User, status: str, now: datetime, decided_by=None):
    """The host leaves or is removed: succession, or the circle is archived when nobody is left."""
    successor = next_host(circle, host)
    end_membership(circle, host, status=status, now=now, decided_by=decided_by)
    if successor is not None:
        hand_over(circle, host, successor, actor=actor, reason="succession", now=now)
        return
    circle.status = Circle.Status.ARCHIVED
    circle.archived_at = now
    circle.updated_at = now
    circle.save(update_fields=["status", "archived_at", "updated_at"])
    record_activity(
        actor=actor, verb=Verb.CIRCLE_ARCHIVED, target=circle, circle_id=circle.pk, data={"reason": "last_member_left"}
    )
