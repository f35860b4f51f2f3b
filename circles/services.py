"""Every write of the circles app: one function per use case, atomic, recording its activity.

Locking: every service that changes memberships or roles first locks the circle row
(`select_for_update`), then the membership rows it changes. So concurrent joins, leaves, transfers,
promotions and removals of one circle run one after the other, and each sees what the previous one
committed. The database backs this up: a partial unique index allows one ACTIVE HOST per circle, and
on PostgreSQL a deferred trigger refuses to commit an ACTIVE circle without one.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles.models import ChatMessage, Circle, Invite, InviteUse, Membership
from community.kernel import realtime
from community.kernel.access import require_brand_staff, require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.validation import clean_choice, clean_text, collect
from community.kernel.verbs import Verb
from community.models import User
from community.safety import trust, wordfilter
from community.safety.mutes import ensure_not_muted

NAME_MIN_LENGTH = 2
NAME_MAX_LENGTH = 30
DESCRIPTION_MAX_LENGTH = 1000
CITY_MAX_LENGTH = 40
CHAT_BODY_MAX_LENGTH = 500
MAX_PENDING_CIRCLES_PER_USER = 3
INVITE_MAX_USES = 1000
INVITE_MAX_DAYS = 90
MUTE_MAX_DAYS = 30

Role = Membership.Role
Status = Membership.Status

_UNSET = object()


# ---------------------------------------------------------------- helpers


def _lock_circle(circle_id: int, *, field: str = "circleId") -> Circle:
    circle = Circle.objects.select_for_update().filter(pk=circle_id).first()
    if circle is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), field)
    return circle


def _require_status(circle: Circle, *statuses: str) -> None:
    if circle.status in statuses:
        return
    if circle.status == Circle.Status.PENDING:
        raise ServiceError(ErrorCode.CLOSED, _("This circle is still waiting for approval."))
    raise ServiceError(ErrorCode.CLOSED, _("This circle is archived."))


def _membership(circle_id: int, user_id: int, *, lock: bool = True) -> Membership | None:
    memberships = Membership.objects.select_for_update() if lock else Membership.objects
    return memberships.filter(circle_id=circle_id, user_id=user_id).first()


def _membership_by_id(membership_id: int) -> Membership:
    """Which circle a membership belongs to, read before the circle is locked."""
    membership = Membership.objects.filter(pk=membership_id).only("id", "circle_id").first()
    if membership is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Membership not found."), "membershipId")
    return membership


def _manager(user: User, circle: Circle, *, message) -> Membership | None:
    """The acting host or co-host's membership, None for brand staff (who may do anything a host
    may); FORBIDDEN for anyone else."""
    if user.is_brand_staff:
        return None
    membership = _membership(circle.pk, user.pk, lock=False)
    if membership is not None and membership.is_manager:
        return membership
    raise ServiceError(ErrorCode.FORBIDDEN, message)


def _not_banned(membership: Membership | None) -> None:
    if membership is not None and membership.status == Status.BANNED:
        raise ServiceError(ErrorCode.FORBIDDEN, _("You have been banned from this circle."))


def _count(circle: Circle, delta: int) -> None:
    Circle.objects.filter(pk=circle.pk).update(member_count=F("member_count") + delta)
    circle.member_count += delta


def _save(membership: Membership, *fields: str) -> None:
    membership.updated_at = timezone.now()
    membership.save(update_fields=[*fields, "updated_at"])


def _activate(circle: Circle, membership: Membership, now: datetime) -> None:
    """Make `membership` an active MEMBER and count it (the caller saves any other fields)."""
    membership.status = Status.ACTIVE
    membership.role = Role.MEMBER
    membership.joined_at = now
    membership.role_since = now
    membership.left_at = None
    if membership.pk is None:
        membership.save()
    else:
        _save(membership, "status", "role", "joined_at", "role_since", "left_at")
    _count(circle, +1)


def _publish_departure(circle: Circle, user_id: int) -> None:
    """Tell open chat subscriptions that this user is no longer a member (private circles end theirs)."""
    realtime.publish(realtime.circle_chat_topic(circle.pk), {"kind": "member_left", "userId": user_id})


def _end_membership(circle: Circle, membership: Membership, *, status: str, now: datetime, decided_by=None) -> bool:
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
    _save(membership, *fields)
    if was_active:
        _count(circle, -1)
        _publish_departure(circle, membership.user_id)
    return was_active


def _successor(circle: Circle, leaving: Membership) -> Membership | None:
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


def _hand_over(
    circle: Circle, old_host: Membership, new_host: Membership, *, actor: User, reason: str, now: datetime
) -> None:
    """Make `new_host` the host. The old host's row must already be demoted or ended (one host at a time)."""
    new_host.role = Role.HOST
    new_host.role_since = now
    _save(new_host, "role", "role_since")
    record_activity(
        actor=actor,
        verb=Verb.CIRCLE_HOST_CHANGED,
        target=new_host,
        circle_id=circle.pk,
        data={"reason": reason, "previous_host_id": old_host.user_id, "new_host_id": new_host.user_id},
    )


def _host_departs(circle: Circle, host: Membership, *, actor: User, status: str, now: datetime, decided_by=None):
    """The host leaves or is removed: succession, or the circle is archived when nobody is left."""
    successor = _successor(circle, host)
    _end_membership(circle, host, status=status, now=now, decided_by=decided_by)
    if successor is not None:
        _hand_over(circle, host, successor, actor=actor, reason="succession", now=now)
        return
    circle.status = Circle.Status.ARCHIVED
    circle.archived_at = now
    circle.updated_at = now
    circle.save(update_fields=["status", "archived_at", "updated_at"])
    record_activity(
        actor=actor, verb=Verb.CIRCLE_ARCHIVED, target=circle, circle_id=circle.pk, data={"reason": "last_member_left"}
    )


# ---------------------------------------------------------------- circles


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
        circle = _lock_circle(circle_id)
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
        circle = _lock_circle(circle_id)
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
    """The host (or brand staff) edits the circle; the name and kind stay as they were approved."""
    require_user(user)
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
        circle = _lock_circle(circle_id)
        membership = _membership(circle.pk, user.pk, lock=False)
        if not ((membership is not None and membership.is_host) or user.is_brand_staff):
            raise ServiceError(ErrorCode.FORBIDDEN, _("Only the host can edit the circle."))
        _require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
        if changes.get("city") == "" and circle.kind == Circle.Kind.CITY:
            raise ServiceError(ErrorCode.INVALID, _("A city circle needs its city."), "city")
        changed = [field for field, value in changes.items() if getattr(circle, field) != value]
        if not changed:
            return circle
        for field in changed:
            setattr(circle, field, changes[field])
        circle.updated_at = timezone.now()
        circle.save(update_fields=[*changed, "updated_at"])
        record_activity(
            actor=user, verb=Verb.CIRCLE_UPDATED, target=circle, circle_id=circle.pk, data={"fields": changed}
        )
    return circle


# ---------------------------------------------------------------- invites


def _new_code() -> str:
    # 96 random bits: unguessable, and short enough to type or put in a QR code.
    return secrets.token_urlsafe(12)


def create_invite(*, user, circle_id: int, max_uses: int | None = None, expires_at: datetime | None = None) -> Invite:
    """A host or co-host makes an invite code, optionally limited in uses and time."""
    require_user(user)
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
        _manager(user, circle, message=_("Only hosts and co-hosts can create invites."))
        _require_status(circle, Circle.Status.ACTIVE)
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
            _manager(user, circle, message=_("Only hosts and co-hosts can revoke invites."))
        if invite.revoked_at is None:
            invite.revoked_at = timezone.now()
            invite.save(update_fields=["revoked_at"])
    return invite


def invite_problem(invite: Invite | None, *, circle_id: int | None = None, now: datetime | None = None):
    """Why an invite cannot be used now (a message), or None when it can. Reads only."""
    now = now or timezone.now()
    if invite is None or (circle_id is not None and invite.circle_id != circle_id):
        return _("This invite code is not valid.")
    if invite.revoked_at is not None:
        return _("This invite has been revoked.")
    if invite.expires_at is not None and invite.expires_at <= now:
        return _("This invite has expired.")
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        return _("This invite has been used up.")
    # An invite speaks for whoever made it: it lapses when they no longer run the circle.
    inviter = Membership.objects.filter(circle_id=invite.circle_id, user_id=invite.created_by_id).first()
    if inviter is None or not inviter.is_manager:
        return _("This invite is no longer valid.")
    return None


def _use_invite(circle: Circle, code: str, user: User, now: datetime) -> Invite:
    """Count one use of the invite and record who invited whom; INVALID when it cannot be used."""
    invite = Invite.objects.select_for_update().filter(code=(code or "").strip()[:64]).first()
    problem = invite_problem(invite, circle_id=circle.pk, now=now)
    if problem is not None:
        raise ServiceError(ErrorCode.INVALID, problem, "inviteCode")
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


# ---------------------------------------------------------------- joining and leaving


def join_circle(*, user, circle_id: int, invite_code: str | None = None, via: str | None = None) -> Membership:
    """Join under the circle's policy: OPEN joins at once, APPROVAL asks the hosts, INVITE_ONLY needs a
    valid code. A valid invite lets anyone in at once, whatever the policy."""
    require_user(user)
    now = timezone.now()
    with transaction.atomic():
        circle = _lock_circle(circle_id)
        _require_status(circle, Circle.Status.ACTIVE)
        membership = _membership(circle.pk, user.pk)
        _not_banned(membership)
        if membership is not None and membership.status == Status.ACTIVE:
            return membership
        if membership is None:
            membership = Membership(circle=circle, user=user, status=Status.PENDING, created_at=now)
        if invite_code:
            invite = _use_invite(circle, invite_code, user, now)
            membership.invite = invite
            membership.invited_by_id = invite.created_by_id
            if membership.pk is not None:
                _save(membership, "invite", "invited_by")
            _activate(circle, membership, now)
            data = {"via": via or "invite", "inviter_id": invite.created_by_id, "invite_id": invite.pk}
        elif circle.join_policy == Circle.JoinPolicy.OPEN:
            _activate(circle, membership, now)
            data = {"via": "open"}
        elif circle.join_policy == Circle.JoinPolicy.APPROVAL:
            if membership.status == Status.PENDING and membership.pk is not None:
                return membership  # asked already
            membership.status = Status.PENDING
            membership.role = Role.MEMBER
            if membership.pk is None:
                membership.save()
            else:
                _save(membership, "status", "role")
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
        circle = _lock_circle(circle_id)
        membership = _membership(circle.pk, user.pk)
        if membership is None or membership.status not in (Status.ACTIVE, Status.PENDING):
            raise ServiceError(ErrorCode.NOT_FOUND, _("You are not a member of this circle."), "circleId")
        was_active = membership.status == Status.ACTIVE
        if membership.role == Role.HOST:
            _host_departs(circle, membership, actor=user, status=Status.LEFT, now=now)
        else:
            _end_membership(circle, membership, status=Status.LEFT, now=now)
        record_activity(
            actor=user, verb=Verb.CIRCLE_LEFT, target=membership, circle_id=circle.pk, data={"was_active": was_active}
        )
    return membership


def review_join_request(*, user, membership_id: int, approve: bool) -> Membership:
    """A host or co-host approves (member at once, notified) or declines a pending request."""
    require_user(user)
    target_id = _membership_by_id(membership_id)
    now = timezone.now()
    with transaction.atomic():
        circle = _lock_circle(target_id.circle_id, field="membershipId")
        _manager(user, circle, message=_("Only hosts and co-hosts can review join requests."))
        _require_status(circle, Circle.Status.ACTIVE)
        membership = Membership.objects.select_for_update().get(pk=target_id.pk)
        if membership.status != Status.PENDING:
            raise ServiceError(ErrorCode.CONFLICT, _("This request has already been handled."), "membershipId")
        membership.decided_by = user
        if approve:
            _save(membership, "decided_by")
            _activate(circle, membership, now)
            record_activity(
                actor=membership.user,
                verb=Verb.CIRCLE_JOINED,
                target=membership,
                circle_id=circle.pk,
                data={"via": "approval", "approved_by": user.pk},
            )
        else:
            membership.status = Status.LEFT
            _save(membership, "status", "decided_by")
            record_activity(
                actor=user,
                verb=Verb.CIRCLE_JOIN_DECLINED,
                target=membership,
                circle_id=circle.pk,
                data={"member_id": membership.user_id},
            )
    return membership


# ---------------------------------------------------------------- roles and hosts


def set_member_role(*, user, membership_id: int, role) -> Membership:
    """Only the host appoints (or steps down) co-hosts; HOST hands the circle over (transferHost)."""
    require_user(user)
    role = clean_choice(role, Role, field="role")
    target_id = _membership_by_id(membership_id)
    now = timezone.now()
    with transaction.atomic():
        circle = _lock_circle(target_id.circle_id, field="membershipId")
        _require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
        actor = _membership(circle.pk, user.pk)
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
        _save(membership, "role", "role_since")
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
    _save(old_host, "role", "role_since")
    _hand_over(circle, old_host, new_host, actor=actor_user, reason="transfer", now=now)
    return new_host


def transfer_host(*, user, circle_id: int, new_host_id: int) -> Membership:
    """The host (or brand staff) hands the circle to an active member; the old host stays as a co-host."""
    require_user(user)
    now = timezone.now()
    with transaction.atomic():
        circle = _lock_circle(circle_id)
        _require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
        host = (
            Membership.objects.select_for_update().filter(circle=circle, role=Role.HOST, status=Status.ACTIVE).first()
        )
        if host is None or (host.user_id != user.pk and not user.is_brand_staff):
            raise ServiceError(ErrorCode.FORBIDDEN, _("Only the host can hand the circle over."))
        if new_host_id == host.user_id:
            raise ServiceError(ErrorCode.INVALID, _("This member is the host already."), "userId")
        new_host = _membership(circle.pk, new_host_id)
        if new_host is None or new_host.status != Status.ACTIVE:
            raise ServiceError(ErrorCode.INVALID, _("The new host must be an active member of the circle."), "userId")
        return _transfer(circle, host, new_host, actor_user=user, now=now)


def remove_member(*, user, membership_id: int, ban: bool = False) -> Membership:
    """Hosts and co-hosts remove members (co-hosts only plain members); `ban` keeps them out for good.
    Brand staff may also remove the host, who is then succeeded as when leaving."""
    require_user(user)
    target_id = _membership_by_id(membership_id)
    now = timezone.now()
    with transaction.atomic():
        circle = _lock_circle(target_id.circle_id, field="membershipId")
        actor = _manager(user, circle, message=_("Only hosts and co-hosts can remove members."))
        _require_status(circle, Circle.Status.PENDING, Circle.Status.ACTIVE)
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
            _host_departs(circle, membership, actor=user, status=target_status, now=now, decided_by=user)
        else:
            _end_membership(circle, membership, status=target_status, now=now, decided_by=user)
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
    target_id = _membership_by_id(membership_id)
    with transaction.atomic():
        circle = _lock_circle(target_id.circle_id, field="membershipId")
        _manager(user, circle, message=_("Only hosts and co-hosts can lift a ban."))
        membership = Membership.objects.select_for_update().get(pk=target_id.pk)
        if membership.status != Status.BANNED:
            return membership
        membership.status = Status.LEFT
        membership.decided_by = user
        _save(membership, "status", "decided_by")
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
    target_id = _membership_by_id(membership_id)
    with transaction.atomic():
        circle = _lock_circle(target_id.circle_id, field="membershipId")
        actor = _manager(user, circle, message=_("Only hosts and co-hosts can mute members."))
        _require_status(circle, Circle.Status.ACTIVE)
        membership = Membership.objects.select_for_update().get(pk=target_id.pk)
        if membership.user_id == user.pk:
            raise ServiceError(ErrorCode.INVALID, _("You cannot mute yourself."), "membershipId")
        if membership.status != Status.ACTIVE:
            raise ServiceError(ErrorCode.INVALID, _("Only active members can be muted."), "membershipId")
        outranks = actor is None or actor.is_host or membership.role == Role.MEMBER
        if membership.is_host or not outranks:
            raise ServiceError(ErrorCode.FORBIDDEN, _("You cannot mute this member."))
        membership.muted_until = timezone.now() + timedelta(days=days) if days else None
        _save(membership, "muted_until")
        record_activity(
            actor=user,
            verb=Verb.CIRCLE_MEMBER_MUTED,
            target=membership,
            circle_id=circle.pk,
            data={"member_id": membership.user_id, "days": days},
        )
    return membership


# ---------------------------------------------------------------- chat


def delivery_payload(message: ChatMessage) -> dict:
    """What the chat topic carries: enough to find the message (subscribers share one lookup)."""
    return {"kind": "message", "id": message.pk, "at": message.created_at.isoformat()}


def send_chat_message(*, user, circle_id: int, body: str, reply_to_id: int | None = None) -> ChatMessage:
    """A member says something in the circle's chat; published live once committed.

    Refused: non-members, banned or muted members, a circle not active, an empty or too long
    message, blocked words, and more than the sender's rate allows (tighter for new accounts).
    A message with words on hold is kept for review and not published until brand staff pass it.
    """
    require_user(user)
    ensure_not_muted(user)  # muted by brand staff: no posts, comments or chat anywhere
    body = clean_text(body, field="body", max_length=CHAT_BODY_MAX_LENGTH, required=True)
    circle = Circle.objects.filter(pk=circle_id).first()
    if circle is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), "circleId")
    _require_status(circle, Circle.Status.ACTIVE)
    membership = _membership(circle.pk, user.pk, lock=False)
    _not_banned(membership)
    if membership is None or membership.status != Status.ACTIVE:
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only members can chat in this circle."))
    if membership.is_muted():
        until = timezone.localtime(membership.muted_until).strftime("%Y-%m-%d %H:%M")
        raise ServiceError(ErrorCode.FORBIDDEN, _("You are muted in this circle until %(until)s.") % {"until": until})
    reply_to = None
    if reply_to_id is not None:
        reply_to = ChatMessage.objects.filter(
            pk=reply_to_id, circle=circle, status=ChatMessage.Status.PUBLISHED
        ).first()
        if reply_to is None:
            raise ServiceError(ErrorCode.INVALID, _("The message you reply to is not in this chat."), "replyToId")
    verdict = wordfilter.check(body)
    if verdict.blocked:
        raise ServiceError(ErrorCode.INVALID, _("This contains words that are not allowed."), "body")
    trust.spend(user, "chat")
    with transaction.atomic():
        # Under the membership's lock, so a ban or removal committed meanwhile is seen.
        current = _membership(circle.pk, user.pk)
        _not_banned(current)
        if current is None or current.status != Status.ACTIVE:
            raise ServiceError(ErrorCode.FORBIDDEN, _("Only members can chat in this circle."))
        message = ChatMessage.objects.create(
            circle=circle,
            author=user,
            body=body,
            reply_to=reply_to,
            status=ChatMessage.Status.PENDING_REVIEW if verdict.held else ChatMessage.Status.PUBLISHED,
        )
        if message.status == ChatMessage.Status.PUBLISHED:
            # Registered before the activity, so after commit the live delivery goes out first and
            # never waits for the activity's consumers (which run inline where Celery is eager).
            realtime.publish(realtime.circle_chat_topic(circle.pk), delivery_payload(message))
        record_activity(
            actor=user,
            verb=Verb.CHAT_MESSAGE_SENT,
            target=message,
            circle_id=circle.pk,
            data={
                "reply_to_author_id": reply_to.author_id if reply_to else None,
                "held": verdict.held,
            },
        )
    return message


def review_chat_message(*, user, message_id: int, publish: bool) -> ChatMessage:
    """Brand staff pass a held message (published live then) or hide a message."""
    require_brand_staff(user)
    with transaction.atomic():
        message = ChatMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Message not found."), "messageId")
        target = ChatMessage.Status.PUBLISHED if publish else ChatMessage.Status.HIDDEN
        if message.status == target:
            return message
        if publish and message.status != ChatMessage.Status.PENDING_REVIEW:
            raise ServiceError(ErrorCode.CONFLICT, _("Only held messages can be passed."), "messageId")
        message.status = target
        message.save(update_fields=["status"])
        record_activity(
            actor=user,
            verb=Verb.CHAT_MESSAGE_REVIEWED,
            target=message,
            circle_id=message.circle_id,
            data={"status": target, "author_id": message.author_id},
        )
        if publish:
            realtime.publish(realtime.circle_chat_topic(message.circle_id), delivery_payload(message))
    return message
