"""Invite codes: creating, revoking, and why a code cannot bring someone in."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import Circle, Invite, InviteUse
from circles.selectors import invite_problem
from circles.services.common import ensure_not_muted_in, manager_membership, require_status
from community.accounts.services import ensure_not_blocked
from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.verbs import Verb
from community.models import User
from community.safety.mutes import ensure_not_muted

INVITE_MAX_USES = 1000


INVITE_MAX_DAYS = 90


def _new_code() -> str:
    # 96 random bits: unguessable, and short enough to type or put in a QR code.
    return secrets.token_urlsafe(12)


def create_invite(*, user, circle_id: int, max_uses: int | None = None, expires_at: datetime | None = None) -> Invite:
    """A host or co-host makes an invite code, optionally limited in uses and time (not while muted)."""
    require_user(user)
    ensure_not_muted(user)
    errors: list[FieldError] = []
    if max_uses is not None and not 1 <= max_uses <= INVITE_MAX_USES:
        message = _("Between 1 and %(max)d uses.") % {"max": INVITE_MAX_USES}
        errors.append(FieldError(ErrorCode.INVALID, message, "maxUses"))
    now = timezone.now()
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            expires_at = timezone.make_aware(expires_at)
        if expires_at <= now:
            errors.append(FieldError(ErrorCode.INVALID, _("The expiry must be in the future."), "expiresAt"))
        elif expires_at > now + timedelta(days=INVITE_MAX_DAYS):
            message = _("An invite can last at most %(days)d days.") % {"days": INVITE_MAX_DAYS}
            errors.append(FieldError(ErrorCode.INVALID, message, "expiresAt"))
    if errors:
        raise ServiceError.many(errors)
    with transaction.atomic():
        circle = Circle.objects.filter(pk=circle_id).first()
        if circle is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), "circleId")
        ensure_not_muted_in(manager_membership(user, circle, message=_("Only hosts and co-hosts can create invites.")))
        require_status(circle, Circle.Status.ACTIVE)
        invite = Invite.objects.create(
            code=_new_code(), circle=circle, created_by=user, max_uses=max_uses, expires_at=expires_at
        )
        record_activity(actor=user, verb=Verb.CIRCLE_INVITE_CREATED, target=invite, circle_id=circle.pk)
    return invite


def revoke_invite(*, user, code: str) -> Invite:
    require_user(user)
    with transaction.atomic():
        invite = Invite.objects.select_for_update().filter(code=(code or "").strip()).first()
        if invite is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Invite not found."), "code")
        if invite.created_by_id != user.pk:
            circle = Circle.objects.get(pk=invite.circle_id)
            manager_membership(user, circle, message=_("Only hosts and co-hosts can revoke invites."))
        if invite.revoked_at is None:
            invite.revoked_at = timezone.now()
            invite.save(update_fields=["revoked_at"])
    return invite


def use_invite(circle: Circle, code: str, user: User, now: datetime) -> Invite:
    """Count one use of the invite and record who invited whom; INVALID when it cannot be used."""
    invite = Invite.objects.select_for_update().filter(code=(code or "").strip()[:64]).first()
    problem = invite_problem(invite, circle_id=circle.pk, now=now)
    if problem is not None:
        raise ServiceError(ErrorCode.INVALID, problem, "inviteCode")
    # Nobody brings in someone they blocked or who blocked them.
    ensure_not_blocked(invite.created_by_id, user.pk, "inviteCode")
    if InviteUse.objects.filter(invite=invite, invitee=user).exists():
        return invite  # coming back with the same invite: no second referral
    # Under the invite's row lock; the check constraint refuses going over max_uses anyway.
    Invite.objects.filter(pk=invite.pk).update(uses=F("uses") + 1)
    invite.uses += 1
    InviteUse.objects.create(
        invite=invite, circle=circle, inviter_id=invite.created_by_id, invitee=user, created_at=now
    )
    record_activity(
        actor=user,
        verb=Verb.CIRCLE_INVITE_ACCEPTED,
        target=invite,
        circle_id=circle.pk,
        data={"inviter_id": invite.created_by_id},
    )
    return invite
