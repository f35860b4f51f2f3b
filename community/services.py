"""Every write of the social core: one function per use case, atomic, recording its activity."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel import realtime
from community.kernel.activity import Verb, record_activity
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.images import clean_image, extension_for
from community.models import Activity, AuthToken, Follow, Notification, User, Vehicle
from community.safety import ratelimit

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{3,30}$")
VIN_SUFFIX_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{6}$")
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


def require_user(user) -> User:
    if user is None or not user.is_authenticated:
        raise ServiceError(ErrorCode.UNAUTHENTICATED, _("Please sign in first."))
    return user


def require_brand_staff(user) -> User:
    require_user(user)
    if not user.is_brand_staff:
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only brand staff can do this."))
    return user


def _rate_limited(limit: ratelimit.Limit) -> ServiceError:
    return ServiceError(
        ErrorCode.RATE_LIMITED,
        _("Too many attempts. Try again in %(seconds)d seconds.") % {"seconds": limit.retry_after},
        retry_after=limit.retry_after,
    )


# ---------------------------------------------------------------- accounts and tokens


@dataclass(frozen=True)
class Session:
    user: User
    token: str


def _issue_token(user: User, user_agent: str = "") -> str:
    key = secrets.token_urlsafe(32)
    AuthToken.objects.create(
        user=user,
        key_hash=AuthToken.hash_key(key),
        expires_at=timezone.now() + timedelta(days=settings.AUTH_TOKEN_TTL_DAYS),
        user_agent=user_agent[:200],
    )
    return key


def _clean_text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(ErrorCode.INVALID, _("This field is required."), field)
    if len(value) > max_length:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": max_length}, field)
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
        raise _rate_limited(limit)
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
        nickname = _clean_text(nickname, field="nickname", max_length=30, required=True)
    except ServiceError as error:
        errors.extend(error.errors)
    try:
        city = _clean_text(city, field="city", max_length=40)
    except ServiceError as error:
        errors.extend(error.errors)
    invite_code = (invite_code or "").strip()
    if invite_code:
        from circles.selectors import invite_error

        problem = invite_error(invite_code)
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
                from circles.services import join_by_invite_code

                join_by_invite_code(user=user, invite_code=invite_code, via="register")
            token = _issue_token(user, user_agent)
    except IntegrityError:
        raise ServiceError(ErrorCode.CONFLICT, _("This username is taken."), "username") from None
    return Session(user=user, token=token)


def login(*, username: str, password: str, ip: str = "", user_agent: str = "") -> Session:
    """Exchange a username and password for a token; failures are rate limited per name and per IP."""
    window = settings.LOGIN_ATTEMPT_WINDOW_SECONDS
    per_name = settings.LOGIN_ATTEMPTS_PER_WINDOW
    name_key = f"login:user:{(username or '').strip().lower()}"
    ip_key = f"login:ip:{ip}"
    for key, limit_count in ((name_key, per_name), (ip_key, per_name * 10)):
        limit = ratelimit.peek(key, limit_count, window)
        if not limit.allowed:
            raise _rate_limited(limit)
    user = authenticate(username=(username or "").strip(), password=password or "")
    if user is None:
        ratelimit.hit(name_key, per_name, window)
        ratelimit.hit(ip_key, per_name * 10, window)
        raise ServiceError(ErrorCode.UNAUTHENTICATED, _("Wrong username or password."))
    ratelimit.reset(name_key, window)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        token = _issue_token(user, user_agent)
    return Session(user=user, token=token)


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


def logout(*, user, token: str | None, all_devices: bool = False) -> int:
    """Revoke the token in use (or all of the user's tokens); returns how many were revoked."""
    require_user(user)
    tokens = AuthToken.objects.filter(user=user, revoked_at__isnull=True)
    if not all_devices:
        if not token:
            return 0
        tokens = tokens.filter(key_hash=AuthToken.hash_key(token))
    return tokens.update(revoked_at=timezone.now())


# ---------------------------------------------------------------- profile and vehicles

_UNSET = object()


def update_profile(*, user, nickname=_UNSET, city=_UNSET, bio=_UNSET, avatar=_UNSET) -> User:
    """Change what the caller passed; an avatar is cleaned now and thumbnailed in the background."""
    require_user(user)
    errors: list[FieldError] = []
    changes: dict = {}
    for field, value, max_length, required in (
        ("nickname", nickname, 30, True),
        ("city", city, 40, False),
        ("bio", bio, 500, False),
    ):
        if value is _UNSET or value is None:
            continue
        try:
            changes[field] = _clean_text(value, field=field, max_length=max_length, required=required)
        except ServiceError as error:
            errors.extend(error.errors)
    clean = None
    if avatar is not _UNSET and avatar is not None:
        try:
            clean = clean_image(avatar, field="avatar")
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
    from community.tasks import delete_files, make_avatar_thumbnail

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
    with transaction.atomic():
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


# ---------------------------------------------------------------- notifications


def notify(
    *,
    recipient_id: int,
    verb: str,
    actor: User | None = None,
    target: Model | None = None,
    activity: Activity | None = None,
    data: dict | None = None,
) -> Notification | None:
    """Create a notification and push it live; a redelivered activity creates nothing new."""
    from django.contrib.contenttypes.models import ContentType

    if actor is not None and actor.pk == recipient_id:
        return None
    fields = {
        "recipient_id": recipient_id,
        "verb": verb,
        "actor": actor,
        "target_type": ContentType.objects.get_for_model(target) if target is not None else None,
        "target_id": target.pk if target is not None else None,
        "data": data or {},
    }
    with transaction.atomic():
        if activity is not None:
            notification, created = Notification.objects.get_or_create(
                activity=activity, recipient_id=recipient_id, verb=verb, defaults=fields
            )
            if not created:
                return notification
        else:
            notification = Notification.objects.create(**fields)
        realtime.publish(realtime.user_notifications_topic(recipient_id), {"id": notification.pk})
    return notification


def mark_notifications_read(*, user, ids: list[int] | None = None, all: bool = False) -> int:
    """Mark the given (or all) of the user's notifications read; returns the unread count left."""
    require_user(user)
    if not all and not ids:
        raise ServiceError(ErrorCode.INVALID, _("Give the notifications to mark, or all."), "ids")
    if ids is not None and len(ids) > 500:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d at a time.") % {"max": 500}, "ids")
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    with transaction.atomic():
        (unread if all else unread.filter(pk__in=ids)).update(read_at=timezone.now())
    return unread.count()


# ---------------------------------------------------------------- the word list


def import_sensitive_words(lines: list[str], *, action: str, user=None) -> int:
    """Add many words at once (brand staff paste a list in admin); returns how many were new."""
    from community.models import SensitiveWord
    from community.safety import wordfilter

    if action not in SensitiveWord.Action.values:
        raise ServiceError(ErrorCode.INVALID, _("Unknown action."), "action")
    seen: dict[str, str] = {}
    for line in lines:
        word = line.strip()
        if word and len(word) <= 100:
            seen.setdefault(wordfilter.normalize(word), word)
    with transaction.atomic():
        existing = set(
            SensitiveWord.objects.filter(normalized__in=list(seen)).values_list("normalized", flat=True)
        )
        new = [
            SensitiveWord(word=word, normalized=normalized, action=action, created_by=user)
            for normalized, word in seen.items()
            if normalized not in existing
        ]
        SensitiveWord.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        transaction.on_commit(wordfilter.invalidate, robust=True)
    return len(new)


# ---------------------------------------------------------------- content: posts, comments, likes


class ContentVerb:
    POST_CREATED = "post.created"
    POST_APPROVED = "post.approved"
    POST_HIDDEN = "post.hidden"
    POST_DELETED = "post.deleted"
    POST_LIKED = "post.liked"
    POST_UNLIKED = "post.unliked"
    COMMENT_CREATED = "comment.created"
    COMMENT_APPROVED = "comment.approved"
    COMMENT_HIDDEN = "comment.hidden"
    CONTENT_REPORTED = "content.reported"
    USER_MUTED = "user.muted"


MAX_POST_IMAGES = 9
MAX_MOMENT_CHARS = 2000
MAX_ARTICLE_CHARS = 20000
MAX_COMMENT_CHARS = 1000


def active_mute(user):
    from community.models import Mute

    return Mute.objects.filter(user=user, until__gt=timezone.now()).order_by("-until").first()


def ensure_not_muted(user) -> None:
    """Muted users can't post, comment or chat until their mute ends."""
    mute = active_mute(user)
    if mute is not None:
        until = timezone.localtime(mute.until).strftime("%Y-%m-%d %H:%M")
        raise ServiceError(ErrorCode.FORBIDDEN, _("You are muted until %(until)s.") % {"until": until})


def _filter_verdict(*texts, field: str):
    """BLOCK refuses; HOLD lets the content in as PENDING_REVIEW with the words as the reason."""
    from community.safety import wordfilter

    verdict = wordfilter.check(*texts)
    if verdict.blocked:
        raise ServiceError(ErrorCode.INVALID, _("This contains words that are not allowed here."), field)
    return verdict


def _circle_for_posting(user, circle_id: int):
    from circles.models import Circle, Membership

    circle = Circle.objects.filter(pk=circle_id).first()
    if circle is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), "circleId")
    if circle.status != "ACTIVE":
        raise ServiceError(ErrorCode.CLOSED, _("This circle is not open for posts."), "circleId")
    is_member = Membership.objects.filter(circle=circle, user=user, status="ACTIVE").exists()
    if not is_member and not user.is_brand_staff:
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only members can post in this circle."), "circleId")
    return circle


def create_post(
    *,
    user,
    body: str,
    kind: str = "MOMENT",
    title: str | None = None,
    circle_id: int | None = None,
    event_id: int | None = None,
    images: list | tuple = (),
):
    from community.models import ContentStatus, ModerationAction, Post, PostImage
    from community.safety import trust

    require_user(user)
    ensure_not_muted(user)
    errors: list[FieldError] = []
    kind = kind or Post.Kind.MOMENT
    body = (body or "").strip()
    title = (title or "").strip()
    if kind not in Post.Kind.values:
        errors.append(FieldError(ErrorCode.INVALID, _("Unknown post kind."), "kind"))
    if kind == Post.Kind.ANNOUNCEMENT and not user.is_brand_staff:
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only brand staff can post announcements."), "kind")
    limit = MAX_MOMENT_CHARS if kind == Post.Kind.MOMENT else MAX_ARTICLE_CHARS
    if not body:
        errors.append(FieldError(ErrorCode.INVALID, _("This field is required."), "body"))
    elif len(body) > limit:
        errors.append(FieldError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": limit}, "body"))
    if kind in (Post.Kind.ARTICLE, Post.Kind.ANNOUNCEMENT) and not title:
        errors.append(FieldError(ErrorCode.INVALID, _("Articles and announcements need a title."), "title"))
    if len(title) > 120:
        errors.append(FieldError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": 120}, "title"))
    images = list(images or [])
    if len(images) > MAX_POST_IMAGES:
        errors.append(
            FieldError(ErrorCode.INVALID, _("At most %(max)d photos.") % {"max": MAX_POST_IMAGES}, "images")
        )
    if errors:
        raise ServiceError.many(errors)
    circle = _circle_for_posting(user, circle_id) if circle_id is not None else None
    event = None
    if event_id is not None:
        # A recap links an event its author can see; an unknown (or hidden) one is NOT_FOUND.
        from events.selectors import visible_events

        event = visible_events(user).filter(pk=event_id).first()
        if event is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Event not found."), "eventId")
    cleaned = []
    for index, upload in enumerate(images):
        try:
            cleaned.append(clean_image(upload, field="images"))
        except ServiceError as error:
            raise ServiceError(
                ErrorCode.INVALID,
                _("Photo %(n)d: %(problem)s") % {"n": index + 1, "problem": error.errors[0].message},
                "images",
            ) from None
    verdict = _filter_verdict(title, body, field="body")
    trust.spend(user, "post")
    if cleaned:
        trust.spend(user, "image", len(cleaned))

    saved_files: list[str] = []
    try:
        with transaction.atomic():
            post = Post.objects.create(
                author=user,
                circle=circle,
                event=event,
                kind=kind,
                title=title,
                body=body,
                status=ContentStatus.PENDING_REVIEW if verdict.held else ContentStatus.PUBLISHED,
                held_reason=("words: " + ", ".join(verdict.words))[:200] if verdict.held else "",
            )
            for position, clean in enumerate(cleaned):
                image = PostImage(post=post, position=position, width=clean.width, height=clean.height)
                image.image.save(f"{post.pk}-{position}-{secrets.token_hex(6)}.{extension_for(clean)}", clean.content,
                                 save=False)
                saved_files.append(image.image.name)
                image.save()
            if verdict.held:
                _log_moderation(None, ModerationAction.Action.AUTO_HOLD, post, post.author, note=post.held_reason)
            record_activity(
                actor=user,
                verb=ContentVerb.POST_CREATED,
                target=post,
                circle_id=post.circle_id,
                data={"kind": kind, "status": post.status, "images": len(cleaned)},
            )
            if saved_files:
                transaction.on_commit(lambda: _enqueue_post_thumbnails(post.pk), robust=True)
    except Exception:
        from django.core.files.storage import default_storage

        for name in saved_files:
            default_storage.delete(name)
        raise
    return post


def _enqueue_post_thumbnails(post_id: int) -> None:
    from community.tasks import make_post_thumbnails

    try:
        make_post_thumbnails.delay(post_id)
    except Exception:
        make_post_thumbnails.apply(args=(post_id,))


def _visible_post(user, post_id: int, *, field: str = "postId"):
    """The post if `user` may see it (and so act on it), else NOT_FOUND: never reveal what is hidden."""
    from community import selectors

    post = selectors.visible_posts(user).filter(pk=post_id).select_related("circle").first()
    if post is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Post not found."), field)
    return post


def _is_circle_moderator(user, circle_id: int | None) -> bool:
    if circle_id is None:
        return False
    from circles.models import Membership

    return Membership.objects.filter(
        circle_id=circle_id, user=user, status="ACTIVE", role__in=("HOST", "CO_HOST")
    ).exists()


def delete_post(*, user, post_id: int):
    """The author, the circle's hosts and brand staff may delete; the row is kept, marked DELETED."""
    from community.models import ContentStatus, ModerationAction, Post

    require_user(user)
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).exclude(status=ContentStatus.DELETED).first()
        if post is None or (post.author_id != user.pk and not _can_see_post_for_moderation(user, post)):
            raise ServiceError(ErrorCode.NOT_FOUND, _("Post not found."), "postId")
        is_author = post.author_id == user.pk
        if not (is_author or user.is_brand_staff or _is_circle_moderator(user, post.circle_id)):
            raise ServiceError(ErrorCode.FORBIDDEN, _("You cannot delete this post."), "postId")
        post.status = ContentStatus.DELETED
        post.pinned = False
        post.save(update_fields=["status", "pinned", "updated_at"])
        if not is_author:
            _log_moderation(user, ModerationAction.Action.DELETE, post, post.author)
        record_activity(
            actor=post.author,
            verb=ContentVerb.POST_DELETED,
            target=post,
            circle_id=post.circle_id,
            data={"by": user.pk},
        )
    return post


def _can_see_post_for_moderation(user, post) -> bool:
    from community import selectors

    return selectors.readable_posts(user).filter(pk=post.pk).exists()


def set_post_pinned(*, user, post_id: int, pinned: bool):
    from community.models import ContentStatus, Post

    require_brand_staff(user)
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None or post.status == ContentStatus.DELETED:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Post not found."), "postId")
        if post.kind != Post.Kind.ANNOUNCEMENT:
            raise ServiceError(ErrorCode.INVALID, _("Only announcements can be pinned."), "postId")
        post.pinned = pinned
        post.save(update_fields=["pinned", "updated_at"])
    return post


def like_post(*, user, post_id: int):
    """Idempotent: a second like changes nothing; the counter moves in the same transaction."""
    from community.models import Like, Post

    require_user(user)
    post = _visible_post(user, post_id)
    if post.status != "PUBLISHED":
        raise ServiceError(ErrorCode.CLOSED, _("This post cannot be liked."), "postId")
    with transaction.atomic():
        _like, created = Like.objects.get_or_create(post=post, user=user)
        if created:
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
            record_activity(actor=user, verb=ContentVerb.POST_LIKED, target=post, circle_id=post.circle_id,
                            data={"author": post.author_id})
    post.refresh_from_db(fields=["like_count"])
    return post


def unlike_post(*, user, post_id: int):
    from community.models import Like, Post

    require_user(user)
    post = _visible_post(user, post_id)
    with transaction.atomic():
        deleted, _details = Like.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") - 1)
            record_activity(actor=user, verb=ContentVerb.POST_UNLIKED, target=post, circle_id=post.circle_id,
                            data={"author": post.author_id})
    post.refresh_from_db(fields=["like_count"])
    return post


def add_comment(*, user, post_id: int, body: str, parent_id: int | None = None):
    """One level of replies: answering a reply attaches to its top-level comment."""
    from community.models import Comment, ContentStatus, ModerationAction, Post
    from community.safety import trust

    require_user(user)
    ensure_not_muted(user)
    body = (body or "").strip()
    if not body:
        raise ServiceError(ErrorCode.INVALID, _("This field is required."), "body")
    if len(body) > MAX_COMMENT_CHARS:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": MAX_COMMENT_CHARS}, "body")
    post = _visible_post(user, post_id)
    if post.status != ContentStatus.PUBLISHED:
        raise ServiceError(ErrorCode.CLOSED, _("This post cannot be commented on."), "postId")
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, post=post, status=ContentStatus.PUBLISHED).first()
        if parent is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Comment not found."), "parentId")
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
    verdict = _filter_verdict(body, field="body")
    trust.spend(user, "comment")
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post,
            author=user,
            parent=parent,
            body=body,
            status=ContentStatus.PENDING_REVIEW if verdict.held else ContentStatus.PUBLISHED,
            held_reason=("words: " + ", ".join(verdict.words))[:200] if verdict.held else "",
        )
        if comment.status == ContentStatus.PUBLISHED:
            Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        else:
            _log_moderation(None, ModerationAction.Action.AUTO_HOLD, comment, user, note=comment.held_reason)
        record_activity(
            actor=user,
            verb=ContentVerb.COMMENT_CREATED,
            target=comment,
            circle_id=post.circle_id,
            data={"post": post.pk, "post_author": post.author_id, "parent_author": parent.author_id if parent else None,
                  "status": comment.status},
        )
    post.refresh_from_db(fields=["comment_count"])
    return comment


# ---------------------------------------------------------------- moderation


AUTO_HOLD_REPORTERS = 3


def _log_moderation(moderator, action: str, target, subject, *, report=None, note: str = ""):
    from django.contrib.contenttypes.models import ContentType

    from community.models import ModerationAction

    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        subject=subject,
        report=report,
        note=(note or "")[:500],
    )


def _set_status(target, status: str) -> None:
    """Change a post's, comment's or chat message's status, keeping the post's comment count exact."""
    from community.models import Comment, ContentStatus, Post

    previous = target.status
    if previous == status:
        return
    target.status = status
    fields = ["status"]
    if isinstance(target, Post) and status != ContentStatus.PUBLISHED and target.pinned:
        target.pinned = False
        fields.append("pinned")
    target.save(update_fields=fields)
    if isinstance(target, Comment):
        if previous == ContentStatus.PUBLISHED:
            Post.objects.filter(pk=target.post_id).update(comment_count=F("comment_count") - 1)
        elif status == ContentStatus.PUBLISHED:
            Post.objects.filter(pk=target.post_id).update(comment_count=F("comment_count") + 1)


def _lock_target(kind: str, pk: int):
    from community.models import Comment, Post

    if kind == "post":
        return Post.objects.select_for_update().filter(pk=pk).first()
    if kind == "comment":
        return Comment.objects.select_for_update().filter(pk=pk).first()
    from circles.models import ChatMessage

    return ChatMessage.objects.select_for_update().filter(pk=pk).first()


def _target_visible_to(user, kind: str, target) -> bool:
    from community import selectors

    if kind == "post":
        return selectors.visible_posts(user).filter(pk=target.pk).exists()
    if kind == "comment":
        return selectors.visible_comments(user).filter(pk=target.pk).exists()
    from circles import selectors as circle_selectors

    return circle_selectors.visible_chat_messages(user).filter(pk=target.pk).exists()


def report_content(*, user, kind: str, target_id: int, reason: str, note: str | None = None):
    """One open report per reporter and target; enough distinct reporters hold the content for review."""
    from community.models import ContentStatus, ModerationAction, Report
    from community.safety import trust

    require_user(user)
    if reason not in Report.Reason.values:
        raise ServiceError(ErrorCode.INVALID, _("Unknown reason."), "reason")
    note = (note or "").strip()
    if len(note) > 500:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": 500}, "note")
    trust.spend(user, "report")
    field = {"post": "post", "comment": "comment", "chat": "chat_message"}[kind]
    with transaction.atomic():
        target = _lock_target(kind, target_id)
        if target is None or target.status == ContentStatus.DELETED or not _target_visible_to(user, kind, target):
            raise ServiceError(ErrorCode.NOT_FOUND, _("Nothing to report here."), "targetId")
        author_id = target.author_id
        if author_id == user.pk:
            raise ServiceError(ErrorCode.INVALID, _("You cannot report your own content."), "targetId")
        if Report.objects.filter(reporter=user, status=Report.Status.OPEN, **{field: target}).exists():
            raise ServiceError(ErrorCode.CONFLICT, _("You have already reported this."), "targetId")
        report = Report.objects.create(reporter=user, reason=reason, note=note, **{field: target})
        reporters = (
            Report.objects.filter(status=Report.Status.OPEN, **{field: target}).values("reporter").distinct().count()
        )
        if reporters >= AUTO_HOLD_REPORTERS and target.status == ContentStatus.PUBLISHED:
            _set_status(target, ContentStatus.PENDING_REVIEW)
            _log_moderation(None, ModerationAction.Action.AUTO_HOLD, target, target.author,
                            note=f"{reporters} reports")
        record_activity(actor=user, verb=ContentVerb.CONTENT_REPORTED, target=target,
                        circle_id=getattr(target, "circle_id", None) or getattr(getattr(target, "post", None),
                                                                                 "circle_id", None))
    return report


def resolve_report(*, user, report_id: int, decision: str, mute_days: int | None = None, note: str | None = None):
    """Apply a decision to a report and to every other open report on the same content; all logged."""
    from community.models import ContentStatus, Mute, Notification, Report

    require_brand_staff(user)
    if decision not in ("HIDE", "DELETE", "DISMISS", "MUTE_AUTHOR"):
        raise ServiceError(ErrorCode.INVALID, _("Unknown decision."), "decision")
    if decision == "MUTE_AUTHOR" and (mute_days is None or not 1 <= mute_days <= 365):
        raise ServiceError(ErrorCode.INVALID, _("Mute for 1 to 365 days."), "muteDays")
    note = (note or "").strip()[:500]
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Report not found."), "reportId")
        if report.status != Report.Status.OPEN:
            raise ServiceError(ErrorCode.CONFLICT, _("This report has already been resolved."), "reportId")
        if report.post_id:
            kind, field = "post", "post"
        elif report.comment_id:
            kind, field = "comment", "comment"
        else:
            kind, field = "chat", "chat_message"
        target = _lock_target(kind, getattr(report, f"{field}_id"))
        author = target.author
        now = timezone.now()
        if decision == "DISMISS":
            status = Report.Status.DISMISSED
            others_open = Report.objects.filter(status=Report.Status.OPEN, **{field: target}).exclude(pk=report.pk)
            held_by_words = bool(getattr(target, "held_reason", "").startswith("words"))
            if target.status == ContentStatus.PENDING_REVIEW and not held_by_words and not others_open.exists():
                _set_status(target, ContentStatus.PUBLISHED)
            siblings = Report.objects.filter(pk=report.pk)
        else:
            status = Report.Status.ACTIONED
            _set_status(target, ContentStatus.DELETED if decision == "DELETE" else ContentStatus.HIDDEN)
            siblings = Report.objects.filter(status=Report.Status.OPEN, **{field: target})
            if decision == "MUTE_AUTHOR":
                Mute.objects.create(user=author, until=now + timedelta(days=mute_days), reason=note, created_by=user)
                record_activity(actor=author, verb=ContentVerb.USER_MUTED, target=author, data={"days": mute_days})
            verb = {"post": ContentVerb.POST_HIDDEN, "comment": ContentVerb.COMMENT_HIDDEN}.get(kind)
            if verb:
                record_activity(actor=author, verb=verb, target=target, data={"by": user.pk, "decision": decision})
            notify(recipient_id=author.pk, verb=Notification.Verb.MODERATION, target=target,
                   data={"decision": decision})
        siblings.update(status=status, resolved_at=now, resolved_by=user, decision=decision)
        _log_moderation(user, decision, target, author, report=report, note=note)
        report.refresh_from_db()
    return report


def review_post(*, user, post_id: int, approve: bool):
    """Release held content to everyone, or hide it for good."""
    from community.models import ContentStatus, ModerationAction, Notification, Post

    require_brand_staff(user)
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Post not found."), "postId")
        if post.status != ContentStatus.PENDING_REVIEW:
            raise ServiceError(ErrorCode.CONFLICT, _("This post is not waiting for review."), "postId")
        _set_status(post, ContentStatus.PUBLISHED if approve else ContentStatus.HIDDEN)
        post.held_reason = ""
        post.save(update_fields=["held_reason", "updated_at"])
        _log_moderation(user, ModerationAction.Action.APPROVE if approve else ModerationAction.Action.REJECT,
                        post, post.author)
        record_activity(actor=post.author, verb=ContentVerb.POST_APPROVED if approve else ContentVerb.POST_HIDDEN,
                        target=post, circle_id=post.circle_id, data={"by": user.pk})
        if not approve:
            notify(recipient_id=post.author_id, verb=Notification.Verb.MODERATION, target=post,
                   data={"decision": "HIDE"})
    return post


def review_comment(*, user, comment_id: int, approve: bool):
    """Release a held comment (it counts again) or hide it for good."""
    from community.models import Comment, ContentStatus, ModerationAction

    require_brand_staff(user)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("post").filter(pk=comment_id).first()
        if comment is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Comment not found."), "commentId")
        if comment.status != ContentStatus.PENDING_REVIEW:
            raise ServiceError(ErrorCode.CONFLICT, _("This comment is not waiting for review."), "commentId")
        _set_status(comment, ContentStatus.PUBLISHED if approve else ContentStatus.HIDDEN)
        comment.held_reason = ""
        comment.save(update_fields=["held_reason"])
        _log_moderation(user, ModerationAction.Action.APPROVE if approve else ModerationAction.Action.REJECT,
                        comment, comment.author)
        record_activity(actor=comment.author,
                        verb=ContentVerb.COMMENT_APPROVED if approve else ContentVerb.COMMENT_HIDDEN,
                        target=comment, circle_id=comment.post.circle_id, data={"by": user.pk})
    return comment
