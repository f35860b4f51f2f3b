"""Joining and leaving, join requests, removals, bans and mutes."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Invite, Membership
from circles.services.common import (
    Role,
    Status,
    activate,
    end_membership,
    ensure_not_banned,
    find_membership,
    host_departs,
    lock_circle,
    manager_membership,
    membership_by_id,
    require_status,
    save_membership,
)
from circles.services.invites import use_invite
from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.verbs import Verb

MUTE_MAX_DAYS = 30


def join_circle(*, user, circle_id: int, invite_code: str | None = None, via: str | None = None) -> Membership:
    """Join under the circle's policy: OPEN joins at once, APPROVAL asks the hosts, INVITE_ONLY needs a
    valid code. A valid invite lets anyone in at once, whatever the policy."""
    require_user(user)
    now = timezone.now()
    with transaction.atomic():
        circle = lock_circle(circle_id)
        require_status(circle, Circle.Status.ACTIVE)
        membership = find_membership(circle.pk, user.pk)
        ensure_not_banned(membership)
        if membership is not None and membership.status == Status.ACTIVE:
            return membership
        if membership is None:
            membership = Membership(circle=circle, user=user, status=Status.PENDING, created_at=now)
        if invite_code:
            invite = use_invite(circle, invite_code, user, now)
            membership.invite = invite
            membership.invited_by_id = invite.created_by_id
            if membership.pk is not None:
                save_membership(membership, "invite", "invited_by")
            activate(circle, membership, now)
            data = {"via": via or "invite", "inviter_id": invite.created_by_id, "invite_id": invite.pk}
        elif circle.join_policy == Circle.JoinPolicy.OPEN:
            activate(circle, membership, now)
            data = {"via": "open"}
        elif circle.join_policy == Circle.JoinPolicy.APPROVAL:
            if membership.status == Status.PENDING and membership.pk is not None:
                return membership  # asked already
            membership.status = Status.PENDING
            membership.role = Role.MEMBER
            if membership.pk is None:
                membership.save()
            else:
                save_membership(membership, "status", "role")
            record_activity(actor=user, verb=Verb.CIRCLE_JOIN_REQUESTED, target=membership, circle_id=circle.pk)
            return membership
        else:
            raise ServiceError(
                ErrorCode.FORBIDDEN, _("This circle is invite only: you need an invite code."), "inviteCode"
            )
        record_activity(actor=user, verb=Verb.CIRCLE_JOINED, target=membership, circle_id=circle.pk, data=data)
    return membership


def join_by_invite_code(*, user, invite_code: str, via: str = "invite") -> Membership:
    """Join the circle an invite code belongs to (registering with a code): INVALID for a bad code."""
    invite = Invite.objects.filter(code=(invite_code or "").strip()[:64]).only("circle_id").first()
    if invite is None:
        raise ServiceError(ErrorCode.INVALID, _("This invite code is not valid."), "inviteCode")
    try:
        return join_circle(user=user, circle_id=invite.circle_id, invite_code=invite_code, via=via)
    except ServiceError as error:
        if error.code == ErrorCode.CLOSED:  # the circle was archived meanwhile: so is the invite
            raise ServiceError(ErrorCode.INVALID, _("This invite is no longer valid."), "inviteCode") from None
        raise


def leave_circle(*, user, circle_id: int) -> Membership:
    """Leave (or withdraw a request). A leaving host is succeeded by the longest-serving co-host, else
    the longest-serving member; with nobody left the circle is archived."""
    require_user(user)
    now = timezone.now()
    with transaction.atomic():
        circle = lock_circle(circle_id)
        membership = find_membership(circle.pk, user.pk)
        if membership is None or membership.status not in (Status.ACTIVE, Status.PENDING):
            raise ServiceError(ErrorCode.NOT_FOUND, _("You are not a member of this circle."), "circleId")
        was_active = membership.status == Status.ACTIVE
        if membership.role == Role.HOST:
            host_departs(circle, membership, actor=user, status=Status.LEFT, now=now)
        else:
            end_membership(circle, membership, status=Status.LEFT, now=now)
        record_activity(
            actor=user, verb=Verb.CIRCLE_LEFT, target=membership, circle_id=circle.pk, data={"was_active": was_active}
        )
    return membership


def review_join_request(*, user, membership_id: int, approve: bool) -> Membership:
    """A host or co-host approves (member at once, notified) or declines a pending request."""
    require_user(user)
    target_id = membership_by_id(membership_id)
    now = timezone.now()
    with transaction.atomic():
        circle = lock_circle(target_id.circle_id, field="membershipId")
        manager_membership(user, circle, message=_("Only hosts and co-hosts can review join requests."))
        require_status(circle, Circle.Status.ACTIVE)
        membership = Membership.objects.select_for_update().get(pk=target_id.pk)
        if membership.status != Status.PENDING:
            raise ServiceError(ErrorCode.CONFLICT, _("This request has already been handled."), "membershipId")
        membership.decided_by = user
        if approve:
            save_membership(membership, "decided_by")
            activate(circle, membership, now)
            record_activity(
                actor=membership.user,
                verb=Verb.CIRCLE_JOINED,
                target=membership,
                circle_id=circle.pk,
                data={"via": "approval", "approved_by": user.pk},
            )
        else:
            membership.status = Status.LEFT
            save_membership(membership, "status", "decided_by")
            record_activity(
                actor=user,
                verb=Verb.CIRCLE_JOIN_DECLINED,
                target=membership,
                circle_id=circle.pk,
                data={"member_id": membership.user_id},
            )
    return membership


def remove_member(*, user, membership_id: int, ban: bool = False) -> Membership:
    """Hosts and co-hosts remove members (co-hosts only plain members); `ban` keeps them out for good.
    Brand staff may also remove the host, who is then succeeded as when leaving."""
    require_user(user)
    target_id = membership_by_id(membership_id)
    now = timezone.now()
    with transaction.atomic():
        circle = lock_circle(target_id.circle_id, field="membershipId")
        actor = manager_membership(user, circle, message=_("Only hosts and co-hosts can remove members."))
        require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
        membership = Membership.objects.select_for_update().get(pk=target_id.pk)
        if membership.user_id == user.pk:
            raise ServiceError(ErrorCode.INVALID, _("To leave the circle, use leaveCircle."), "membershipId")
        if membership.is_host and actor is not None:
            raise ServiceError(ErrorCode.FORBIDDEN, _("The host cannot be removed."))
        if membership.role == Role.CO_HOST and membership.is_active and actor is not None and not actor.is_host:
            raise ServiceError(ErrorCode.FORBIDDEN, _("Only the host can remove a co-host."))
        target_status = Status.BANNED if ban else Status.LEFT
        if membership.status == Status.BANNED or (membership.status == Status.LEFT and not ban):
            return membership  # out already
        was_active = membership.status == Status.ACTIVE
        if membership.is_host:
            host_departs(circle, membership, actor=user, status=target_status, now=now, decided_by=user)
        else:
            end_membership(circle, membership, status=target_status, now=now, decided_by=user)
        record_activity(
            actor=user,
            verb=Verb.CIRCLE_MEMBER_REMOVED,
            target=membership,
            circle_id=circle.pk,
            data={"member_id": membership.user_id, "banned": bool(ban), "was_active": was_active},
        )
    return membership


def unban_member(*, user, membership_id: int) -> Membership:
    """Hosts and co-hosts lift a ban: the user may join (or be invited) again."""
    require_user(user)
    target_id = membership_by_id(membership_id)
    with transaction.atomic():
        circle = lock_circle(target_id.circle_id, field="membershipId")
        manager_membership(user, circle, message=_("Only hosts and co-hosts can lift a ban."))
        membership = Membership.objects.select_for_update().get(pk=target_id.pk)
        if membership.status != Status.BANNED:
            return membership
        membership.status = Status.LEFT
        membership.decided_by = user
        save_membership(membership, "status", "decided_by")
        record_activity(
            actor=user,
            verb=Verb.CIRCLE_MEMBER_UNBANNED,
            target=membership,
            circle_id=circle.pk,
            data={"member_id": membership.user_id},
        )
    return membership


def mute_member(*, user, membership_id: int, days: int) -> Membership:
    """Hosts and co-hosts keep a member from chatting for `days` (0 lifts the mute)."""
    require_user(user)
    if not 0 <= days <= MUTE_MAX_DAYS:
        raise ServiceError(ErrorCode.INVALID, _("Between 0 and %(max)d days.") % {"max": MUTE_MAX_DAYS}, "days")
    target_id = membership_by_id(membership_id)
    with transaction.atomic():
        circle = lock_circle(target_id.circle_id, field="membershipId")
        actor = manager_membership(user, circle, message=_("Only hosts and co-hosts can mute members."))
        require_status(circle, Circle.Status.ACTIVE)
        membership = Membership.objects.select_for_update().get(pk=target_id.pk)
        if membership.user_id == user.pk:
            raise ServiceError(ErrorCode.INVALID, _("You cannot mute yourself."), "membershipId")
        if membership.status != Status.ACTIVE:
            raise ServiceError(ErrorCode.INVALID, _("Only active members can be muted."), "membershipId")
        outranks = actor is None or actor.is_host or membership.role == Role.MEMBER
        if membership.is_host or not outranks:
            raise ServiceError(ErrorCode.FORBIDDEN, _("You cannot mute this member."))
        membership.muted_until = timezone.now() + timedelta(days=days) if days else None
        save_membership(membership, "muted_until")
        record_activity(
            actor=user,
            verb=Verb.CIRCLE_MEMBER_MUTED,
            target=membership,
            circle_id=circle.pk,
            data={"member_id": membership.user_id, "days": days},
        )
    return membership
