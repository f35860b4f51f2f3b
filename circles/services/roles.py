"""Roles and the host: promoting, demoting, transferring the host."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Membership
from circles.services.common import (
    Role,
    Status,
    find_membership,
    hand_over,
    lock_circle,
    membership_by_id,
    require_status,
    save_membership,
)
from community.kernel import realtime
from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.validation import clean_choice
from community.kernel.verbs import Verb


def set_member_role(*, user, membership_id: int, role) -> Membership:
    """Only the host appoints (or steps down) co-hosts; HOST hands the circle over (transferHost)."""
    require_user(user)
    role = clean_choice(role, Role, field="role")
    target_id = membership_by_id(membership_id)
    now = timezone.now()
    with transaction.atomic():
        circle = lock_circle(target_id.circle_id, field="membershipId")
        require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
        actor = find_membership(circle.pk, user.pk)
        if actor is None or not actor.is_host:
            raise ServiceError(ErrorCode.FORBIDDEN, _("Only the host can appoint co-hosts."))
        membership = Membership.objects.select_for_update().select_related("user").get(pk=target_id.pk)
        if membership.pk == actor.pk:
            raise ServiceError(ErrorCode.INVALID, _("You cannot change your own role."), "membershipId")
        if membership.status != Status.ACTIVE:
            raise ServiceError(ErrorCode.INVALID, _("Only active members can be given a role."), "membershipId")
        if role == Role.HOST:
            return _transfer(circle, actor, membership, actor_user=user, now=now)
        if membership.role == role:
            return membership
        previous = membership.role
        membership.role = role
        membership.role_since = now
        save_membership(membership, "role", "role_since")
        realtime.publish_access_changed(circle.pk)  # a demoted co-host's live subscriptions check again
        record_activity(
            actor=user,
            verb=Verb.CIRCLE_ROLE_CHANGED,
            target=membership,
            circle_id=circle.pk,
            data={"member_id": membership.user_id, "role": role, "previous": previous},
        )
    return membership


def _transfer(circle: Circle, old_host: Membership, new_host: Membership, *, actor_user, now) -> Membership:
    # Demote first: the unique index allows one active host at a time, even inside the transaction.
    old_host.role = Role.CO_HOST
    old_host.role_since = now
    save_membership(old_host, "role", "role_since")
    hand_over(circle, old_host, new_host, actor=actor_user, reason="transfer", now=now)
    return new_host


def transfer_host(*, user, circle_id: int, new_host_id: int) -> Membership:
    """The host (or brand staff) hands the circle to an active member; the old host stays as a co-host."""
    require_user(user)
    now = timezone.now()
    with transaction.atomic():
        circle = lock_circle(circle_id)
        require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
        host = (
            Membership.objects.select_for_update().filter(circle=circle, role=Role.HOST, status=Status.ACTIVE).first()
        )
        if host is None or (host.user_id != user.pk and not user.is_brand_staff):
            raise ServiceError(ErrorCode.FORBIDDEN, _("Only the host can hand the circle over."))
        if new_host_id == host.user_id:
            raise ServiceError(ErrorCode.INVALID, _("This member is the host already."), "userId")
        new_host = find_membership(circle.pk, new_host_id)
        if new_host is None or new_host.status != Status.ACTIVE:
            raise ServiceError(ErrorCode.INVALID, _("The new host must be an active member of the circle."), "userId")
        return _transfer(circle, host, new_host, actor_user=user, now=now)
