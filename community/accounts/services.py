"""Every write about accounts: registration, sign-in and tokens, profiles, vehicles and follows."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.accounts import registration, selectors
from community.kernel import realtime
from community.kernel.access import require_brand_staff, require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.images import avatar_limits, clean_image, extension_for
from community.kernel.verbs import Verb
from community.models import AuthToken, Block, Follow, User, Vehicle
from community.safety import ratelimit, trust, wordfilter
from community.tasks import delete_files, make_avatar_thumbnail

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{3,30}$")


VIN_SUFFIX_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{6}$")


TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


# ---------------------------------------------------------------- accounts and tokens


@dataclass(frozen=True)
class Session:
    user: User
    token: str
    # The login came within an account deletion's grace period and cancelled it.
    deletion_cancelled: bool = False


def issue_token(user: User, user_agent: str = "") -> str:
    """A new bearer token for `user` (only its hash is stored); login and registration hand it out."""
    key = secrets.token_urlsafe(32)
    AuthToken.objects.create(
        user=user,
        key_hash=AuthToken.hash_key(key),
        expires_at=timezone.now() + timedelta(days=settings.AUTH_TOKEN_TTL_DAYS),
        user_agent=user_agent[:200],
    )
    return key


def _clean_text(
    value: str | None, *, field: str, max_length: int, required: bool = False, filtered: bool = False
) -> str:
    """Stripped and within `max_length`; `filtered` text (shown to others without review: nicknames, bios,
    vehicle models) also holds no word of the sensitive-word list."""
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(ErrorCode.INVALID, _("This field is required."), field)
    if len(value) > max_length:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": max_length}, field)
    if filtered:
        wordfilter.ensure_unflagged(value, field=field)
    return value


def register(
    *,
    username: str,
    password: str,
    nickname: str,
    city: str | None = None,
    invite_code: str | None = None,
    ip: str = "",
    user_agent: str = "",
) -> Session:
    limit = ratelimit.hit(f"register:ip:{ip}", settings.REGISTRATIONS_PER_IP_PER_HOUR, 3600)
    if not limit.allowed:
        raise ratelimit.refused(limit.retry_after)
    errors: list[FieldError] = []
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        errors.append(
            FieldError(
                ErrorCode.INVALID,
                _("3 to 30 letters, digits or . _ @ + - characters."),
                "username",
            )
        )
    try:
        nickname = _clean_text(nickname, field="nickname", max_length=30, required=True, filtered=True)
    except ServiceError as error:
        errors.extend(error.errors)
    try:
        city = _clean_text(city, field="city", max_length=40)
    except ServiceError as error:
        errors.extend(error.errors)
    invite_code = (invite_code or "").strip()
    if invite_code:
        problem = registration.invite_problem(invite_code)
        if problem is not None:
            errors.append(FieldError(ErrorCode.INVALID, problem, "inviteCode"))
    candidate = User(username=username, nickname=nickname)
    try:
        password_validation.validate_password(password or "", user=candidate)
    except ValidationError as error:
        errors.extend(FieldError(ErrorCode.INVALID, message, "password") for message in error.messages)
    if errors:
        raise ServiceError.many(errors)
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(ErrorCode.CONFLICT, _("This username is taken."), "username")
    try:
        with transaction.atomic():
            user = User(username=username, nickname=nickname, city=city)
            user.set_password(password)
            user.save()
            record_activity(actor=user, verb=Verb.REGISTERED, target=user)
            if invite_code:
                # Joins the invite's circle at once, or refuses (INVALID) and nothing is written.
                registration.redeem_invite(user=user, invite_code=invite_code)
            token = issue_token(user, user_agent)
    except IntegrityError:
        raise ServiceError(ErrorCode.CONFLICT, _("This username is taken."), "username") from None
    return Session(user=user, token=token)


def login(*, username: str, password: str, ip: str = "", user_agent: str = "") -> Session:
    """Exchange a username and password for a token.

    Failures are limited per (username, address) pair: LOGIN_ATTEMPTS_PER_WINDOW in a window, so someone
    guessing a victim's password is refused without locking the victim out from anywhere else; and per
    address (LOGIN_ATTEMPTS_PER_ADDRESS, across usernames), so one address cannot try many accounts while a
    NAT full of owners is not locked out by one of them. Each attempt is counted atomically in the cache
    *before* the password is checked (the count decides), so parallel attempts check at most the limit;
    a success gives its attempts back.
    """
    window = settings.LOGIN_ATTEMPT_WINDOW_SECONDS
    name = (username or "").strip()
    limits = (
        (f"login:pair:{name.lower()}:{ip}", settings.LOGIN_ATTEMPTS_PER_WINDOW),
        (f"login:ip:{ip}", settings.LOGIN_ATTEMPTS_PER_ADDRESS),
    )
    counted: list[str] = []
    for key, limit_count in limits:
        limit = ratelimit.hit(key, limit_count, window)
        counted.append(key)
        if not limit.allowed:
            for key_counted in counted:
                ratelimit.release(key_counted, window)  # a refused attempt does not push the window further
            raise ratelimit.refused(limit.retry_after)
    user = authenticate(username=name, password=password or "")
    deletion_cancelled = False
    if user is None:
        user = _cancel_deletion_by_login(username, password)
        deletion_cancelled = user is not None
    if user is None:
        raise ServiceError(ErrorCode.UNAUTHENTICATED, _("Wrong username or password."))
    ratelimit.reset(limits[0][0], window)
    ratelimit.release(limits[1][0], window)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        token = issue_token(user, user_agent)
    return Session(user=user, token=token, deletion_cancelled=deletion_cancelled)


def _cancel_deletion_by_login(username: str, password: str) -> User | None:
    """An account deleted less than the grace period ago, reactivated by its right password; else None."""
    user = User.objects.filter(
        username__iexact=(username or "").strip(),
        is_active=False,
        erased_at__isnull=True,
        erase_after__gt=timezone.now(),
    ).first()
    if user is None or not user.check_password(password or ""):
        return None
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, erased_at__isnull=True, erase_after__gt=timezone.now()).update(
            is_active=True, erase_after=None
        )
        if not updated:
            return None
        record_activity(actor=user, verb=Verb.ACCOUNT_DELETION_CANCELLED, target=user)
    user.refresh_from_db()
    return user


def user_for_token(key: str) -> User | None:
    """The active user a bearer token belongs to, or None for an unknown, expired or revoked one."""
    if not key or len(key) > 200:
        return None
    token = (
        AuthToken.objects.select_related("user")
        .filter(key_hash=AuthToken.hash_key(key), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        AuthToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def logout(*, user, token: str | None, all_devices: bool = False, session_key: str | None = None) -> int:
    """Revoke the token in use (or all of the user's tokens); returns how many were revoked. The WebSockets
    signed in with that token or browser session (with all devices: every socket of the user) close at once,
    on every server process, after commit."""
    require_user(user)
    with transaction.atomic():
        tokens = AuthToken.objects.filter(user=user, revoked_at__isnull=True)
        if all_devices:
            realtime.close_sockets(realtime.user_sockets_topic(user.pk), code=SOCKET_LOGGED_OUT, reason="Logged out")
        else:
            if session_key:
                topic = realtime.session_sockets_topic(session_key)
                realtime.close_sockets(topic, code=SOCKET_LOGGED_OUT, reason="Logged out")
            if not token:
                return 0
            realtime.close_sockets(realtime.token_sockets_topic(token), code=SOCKET_LOGGED_OUT, reason="Logged out")
            tokens = tokens.filter(key_hash=AuthToken.hash_key(token))
        return tokens.update(revoked_at=timezone.now())


SOCKET_LOGGED_OUT = 4401  # graphql-transport-ws "Unauthorized": the client signs in again before reconnecting


def _check_password(user: User, password: str | None, field: str) -> None:
    """Refuse (INVALID on `field`) unless `password` is the user's; attempts are rate limited per account."""
    window = settings.LOGIN_ATTEMPT_WINDOW_SECONDS
    per_name = settings.LOGIN_ATTEMPTS_PER_WINDOW
    key = f"login:user:{user.username.lower()}"
    limit = ratelimit.peek(key, per_name, window)
    if not limit.allowed:
        raise ratelimit.refused(limit.retry_after)
    if not user.check_password(password or ""):
        ratelimit.hit(key, per_name, window)
        raise ServiceError(ErrorCode.INVALID, _("The password is wrong."), field)


def _validated_new_password(user: User, password: str | None, field: str = "newPassword") -> str:
    try:
        password_validation.validate_password(password or "", user=user)
    except ValidationError as error:
        raise ServiceError.many([FieldError(ErrorCode.INVALID, m, field) for m in error.messages]) from None
    return password or ""


def change_password(*, user, current_password: str, new_password: str, keep_token: str | None = None) -> int:
    """Set a new password; every other token of the account is revoked (the one in use is kept).

    Returns how many tokens were revoked.
    """
    require_user(user)
    _check_password(user, current_password, "currentPassword")
    new_password = _validated_new_password(user, new_password)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoked = _revoke_tokens(user, keep_token=keep_token)
        record_activity(actor=user, verb=Verb.PASSWORD_CHANGED, target=user, data={"revoked": revoked})
    return revoked


def _revoke_tokens(user: User, *, keep_token: str | None = None) -> int:
    tokens = AuthToken.objects.filter(user=user, revoked_at__isnull=True)
    if keep_token:
        tokens = tokens.exclude(key_hash=AuthToken.hash_key(keep_token))
    return tokens.update(revoked_at=timezone.now())


# ---------------------------------------------------------------- profile and vehicles

_UNSET = object()


def update_profile(*, user, nickname=_UNSET, city=_UNSET, bio=_UNSET, avatar=_UNSET) -> User:
    """Change what the caller passed; an avatar is cleaned now and thumbnailed in the background.

    Rate limited before anything else: decoding an avatar is the most expensive thing a request can ask.
    """
    require_user(user)
    trust.spend(user, "profile")
    errors: list[FieldError] = []
    changes: dict = {}
    for field, value, max_length, required, filtered in (
        ("nickname", nickname, 30, True, True),
        ("city", city, 40, False, False),
        ("bio", bio, 500, False, True),
    ):
        if value is _UNSET or value is None:
            continue
        try:
            changes[field] = _clean_text(
                value, field=field, max_length=max_length, required=required, filtered=filtered
            )
        except ServiceError as error:
            errors.extend(error.errors)
    clean = None
    if avatar is not _UNSET and avatar is not None:
        try:
            clean = clean_image(avatar, field="avatar", limits=avatar_limits())
        except ServiceError as error:
            errors.extend(error.errors)
    if errors:
        raise ServiceError.many(errors)

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        for field, value in changes.items():
            setattr(user, field, value)
        update_fields = list(changes)
        if clean is not None:
            old_files = [f.name for f in (user.avatar, user.avatar_thumbnail) if f]
            user.avatar.save(f"{user.pk}-{secrets.token_hex(8)}.{extension_for(clean)}", clean.content, save=False)
            user.avatar_thumbnail = ""
            update_fields += ["avatar", "avatar_thumbnail"]
            transaction.on_commit(lambda: _after_avatar_change(user.pk, user.avatar.name, old_files), robust=True)
        if update_fields:
            user.save(update_fields=update_fields)
            record_activity(actor=user, verb=Verb.PROFILE_UPDATED, target=user, data={"fields": update_fields})
    return user


def _after_avatar_change(user_id: int, avatar_name: str, old_files: list[str]) -> None:
    for task, args in ((make_avatar_thumbnail, (user_id, avatar_name)), (delete_files, (old_files,))):
        if task is delete_files and not old_files:
            continue
        try:
            task.delay(*args)
        except Exception:
            # Broker down: do it inline rather than lose it.
            task.apply(args=args)


def add_vehicle(
    *, user, model: str, category: str, purchased_on: date | None = None, vin_suffix: str | None = None
) -> Vehicle:
    require_user(user)
    errors: list[FieldError] = []
    model_name = (model or "").strip()
    if not model_name:
        errors.append(FieldError(ErrorCode.INVALID, _("This field is required."), "model"))
    elif len(model_name) > 60:
        errors.append(FieldError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": 60}, "model"))
    else:
        try:
            wordfilter.ensure_unflagged(model_name, field="model")
        except ServiceError as error:
            errors.extend(error.errors)
    if category not in Vehicle.Category.values:
        errors.append(FieldError(ErrorCode.INVALID, _("Unknown vehicle category."), "category"))
    if purchased_on is not None and purchased_on > timezone.localdate():
        errors.append(FieldError(ErrorCode.INVALID, _("The purchase date cannot be in the future."), "purchasedOn"))
    vin = (vin_suffix or "").strip().upper()
    if vin and not VIN_SUFFIX_RE.match(vin):
        errors.append(FieldError(ErrorCode.INVALID, _("Enter the last six characters of the VIN."), "vinSuffix"))
    if errors:
        raise ServiceError.many(errors)
    if user.vehicles.count() >= 10:
        raise ServiceError(ErrorCode.INVALID, _("You can add at most 10 vehicles."))
    try:
        with transaction.atomic():
            vehicle = Vehicle.objects.create(
                owner=user, model=model_name, category=category, purchased_on=purchased_on, vin_suffix=vin
            )
            record_activity(actor=user, verb=Verb.VEHICLE_ADDED, target=vehicle)
    except IntegrityError:
        raise ServiceError(ErrorCode.CONFLICT, _("You have already added this vehicle."), "vinSuffix") from None
    return vehicle


def verify_vehicle(*, user, vehicle_id: int) -> Vehicle:
    require_brand_staff(user)
    with transaction.atomic():
        vehicle = Vehicle.objects.select_for_update().filter(pk=vehicle_id).first()
        if vehicle is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Vehicle not found."), "vehicleId")
        if vehicle.verified_at is not None:
            return vehicle
        vehicle.verified_at = timezone.now()
        vehicle.verified_by = user
        vehicle.save(update_fields=["verified_at", "verified_by"])
        # The owner is the one whose standing changed, so the activity is theirs.
        record_activity(actor=vehicle.owner, verb=Verb.VEHICLE_VERIFIED, target=vehicle, data={"verified_by": user.pk})
    return vehicle


# ---------------------------------------------------------------- follows


def follow(*, user, followee_id: int) -> User:
    require_user(user)
    if followee_id == user.pk:
        raise ServiceError(ErrorCode.INVALID, _("You cannot follow yourself."), "userId")
    followee = User.objects.filter(pk=followee_id, is_active=True).first()
    if followee is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("User not found."), "userId")
    ensure_not_blocked(user.pk, followee.pk, "userId")
    with transaction.atomic():
        # Both accounts locked in id order, as `block_user` does: a block and a follow never cross.
        _lock_pair(user.pk, followee.pk)
        ensure_not_blocked(user.pk, followee.pk, "userId")
        _follow, created = Follow.objects.get_or_create(follower=user, followee=followee)
        if created:
            User.objects.filter(pk=user.pk).update(following_count=F("following_count") + 1)
            User.objects.filter(pk=followee.pk).update(follower_count=F("follower_count") + 1)
            record_activity(actor=user, verb=Verb.FOLLOWED, target=followee)
    followee.refresh_from_db(fields=["follower_count", "following_count"])
    return followee


def unfollow(*, user, followee_id: int) -> User:
    require_user(user)
    followee = User.objects.filter(pk=followee_id).first()
    if followee is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("User not found."), "userId")
    with transaction.atomic():
        deleted, _details = Follow.objects.filter(follower=user, followee=followee).delete()
        if deleted:
            User.objects.filter(pk=user.pk).update(following_count=F("following_count") - 1)
            User.objects.filter(pk=followee.pk).update(follower_count=F("follower_count") - 1)
            record_activity(actor=user, verb=Verb.UNFOLLOWED, target=followee)
    followee.refresh_from_db(fields=["follower_count", "following_count"])
    return followee


# ---------------------------------------------------------------- blocking

BLOCKED_MESSAGE = _("You cannot do this: one of you has blocked the other.")


def ensure_not_blocked(a_id: int | None, b_id: int | None, field: str | None = None) -> None:
    """FORBIDDEN when either of the two blocked the other: what every use case that reaches a person calls."""
    if selectors.is_blocked_between(a_id, b_id):
        raise ServiceError(ErrorCode.FORBIDDEN, BLOCKED_MESSAGE, field)


def _lock_pair(a_id: int, b_id: int) -> None:
    # One row at a time, lower id first: a single statement does not promise the order it locks in.
    # FOR NO KEY UPDATE: follows and blocks still exclude each other, but the activity consumers'
    # inserts that reference these users (notifications, ties: FOR KEY SHARE) never wait on it, so a
    # consumer holding one of the two users cannot deadlock with a follow or block that holds the other.
    for pk in sorted({a_id, b_id}):
        list(User.objects.select_for_update(no_key=True).filter(pk=pk).values_list("pk"))


def _drop_follow(follower_id: int, followee_id: int) -> bool:
    deleted, _details = Follow.objects.filter(follower_id=follower_id, followee_id=followee_id).delete()
    if deleted:
        User.objects.filter(pk=follower_id).update(following_count=F("following_count") - 1)
        User.objects.filter(pk=followee_id).update(follower_count=F("follower_count") - 1)
    return bool(deleted)


def block_user(*, user, blocked_id: int) -> User:
    """Block someone: follows both ways are removed (counters exact); idempotent."""
    require_user(user)
    if blocked_id == user.pk:
        raise ServiceError(ErrorCode.INVALID, _("You cannot block yourself."), "userId")
    blocked = User.objects.filter(pk=blocked_id, is_active=True).first()
    if blocked is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("User not found."), "userId")
    with transaction.atomic():
        _lock_pair(user.pk, blocked.pk)
        _block, created = Block.objects.get_or_create(blocker=user, blocked=blocked)
        if created:
            removed = [_drop_follow(user.pk, blocked.pk), _drop_follow(blocked.pk, user.pk)]
            record_activity(
                actor=user,
                verb=Verb.USER_BLOCKED,
                target=blocked,
                data={"unfollowed": removed[0], "unfollowed_by": removed[1]},
            )
    blocked.refresh_from_db(fields=["follower_count", "following_count"])
    return blocked


def unblock_user(*, user, blocked_id: int) -> User:
    require_user(user)
    blocked = User.objects.filter(pk=blocked_id).first()
    if blocked is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("User not found."), "userId")
    with transaction.atomic():
        deleted, _details = Block.objects.filter(blocker=user, blocked=blocked).delete()
        if deleted:
            record_activity(actor=user, verb=Verb.USER_UNBLOCKED, target=blocked)
    return blocked
