"""Every write about posts, comments and likes: one function per use case, atomic, recording its activity.

Held content (by the word filter) is written as PENDING_REVIEW and its activity says so; the
moderation app keeps the audit log from the activity stream, so nothing here imports it.
"""

from __future__ import annotations

import secrets

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles import selectors as circle_selectors
from circles.models import Circle
from community.accounts.services import ensure_not_blocked
from community.content import selectors
from community.content.models import Comment, CommentRevision, ContentStatus, Like, Post, PostImage, PostRevision
from community.content.tasks import make_post_thumbnails
from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, FieldError, ServiceError
from community.kernel.images import clean_image, extension_for
from community.kernel.verbs import Verb
from community.safety import trust, wordfilter
from community.safety.mutes import ensure_not_muted
from events.selectors import visible_events

MAX_POST_IMAGES = 9


MAX_MOMENT_CHARS = 2000


MAX_ARTICLE_CHARS = 20000


MAX_COMMENT_CHARS = 1000


def _filter_verdict(*texts, field: str):
    """BLOCK refuses; HOLD lets the content in as PENDING_REVIEW with the words as the reason."""
    verdict = wordfilter.check(*texts)
    if verdict.blocked:
        raise ServiceError(ErrorCode.INVALID, _("This contains words that are not allowed here."), field)
    return verdict


def _circle_for_posting(user, circle_id: int):
    circle = Circle.objects.filter(pk=circle_id).first()
    if circle is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Circle not found."), "circleId")
    if circle.status != Circle.Status.ACTIVE:
        raise ServiceError(ErrorCode.CLOSED, _("This circle is not open for posts."), "circleId")
    membership = circle_selectors.membership_of(user, circle.pk)
    if not (membership is not None and membership.is_active) and not user.is_brand_staff:
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
        errors.append(FieldError(ErrorCode.INVALID, _("At most %(max)d photos.") % {"max": MAX_POST_IMAGES}, "images"))
    if errors:
        raise ServiceError.many(errors)
    circle = _circle_for_posting(user, circle_id) if circle_id is not None else None
    event = None
    if event_id is not None:
        # A recap links an event its author can see; an unknown (or hidden) one is NOT_FOUND.
        event = visible_events(user).filter(pk=event_id).first()
        if event is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Event not found."), "eventId")
    verdict = _filter_verdict(title, body, field="body")
    # The limits before the photos: decoding them is what costs, so a refused post never decodes one.
    trust.spend(user, "post")
    if images:
        trust.spend(user, "image", len(images))
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
                image.image.save(
                    f"{post.pk}-{position}-{secrets.token_hex(6)}.{extension_for(clean)}", clean.content, save=False
                )
                saved_files.append(image.image.name)
                image.save()
            record_activity(
                actor=user,
                verb=Verb.POST_CREATED,
                target=post,
                circle_id=post.circle_id,
                data={"kind": kind, "status": post.status, "images": len(cleaned), "held_reason": post.held_reason},
            )
            if saved_files:
                transaction.on_commit(lambda: _enqueue_post_thumbnails(post.pk), robust=True)
    except Exception:
        for name in saved_files:
            default_storage.delete(name)
        raise
    return post


def _enqueue_post_thumbnails(post_id: int) -> None:
    try:
        make_post_thumbnails.delay(post_id)
    except Exception:
        make_post_thumbnails.apply(args=(post_id,))


def _visible_post(user, post_id: int, *, field: str = "postId"):
    """The post if `user` may see it (and so act on it), else NOT_FOUND: never reveal what is hidden;
    FORBIDDEN when its author and `user` are blocked either way."""
    author_id = Post.objects.filter(pk=post_id).values_list("author_id", flat=True).first()
    ensure_not_blocked(user.pk, author_id, field)
    post = selectors.visible_posts(user).filter(pk=post_id).select_related("circle").first()
    if post is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Post not found."), field)
    return post


def delete_post(*, user, post_id: int):
    """The author, the circle's hosts and brand staff may delete; the row is kept, marked DELETED."""
    require_user(user)
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).exclude(status=ContentStatus.DELETED).first()
        if post is None or (post.author_id != user.pk and not _can_see_post_for_moderation(user, post)):
            raise ServiceError(ErrorCode.NOT_FOUND, _("Post not found."), "postId")
        is_author = post.author_id == user.pk
        if not (is_author or user.is_brand_staff or circle_selectors.moderates(user, post.circle_id)):
            raise ServiceError(ErrorCode.FORBIDDEN, _("You cannot delete this post."), "postId")
        post.status = ContentStatus.DELETED
        post.pinned = False
        post.save(update_fields=["status", "pinned", "updated_at"])
        record_activity(
            actor=post.author,
            verb=Verb.POST_DELETED,
            target=post,
            circle_id=post.circle_id,
            data={"by": user.pk},
        )
    return post


def _can_see_post_for_moderation(user, post) -> bool:
    return selectors.readable_posts(user, hide_blocked=False).filter(pk=post.pk).exists()


def like_post(*, user, post_id: int):
    """Idempotent: a second like changes nothing; the counter moves in the same transaction."""
    require_user(user)
    post = _visible_post(user, post_id)
    if post.status != ContentStatus.PUBLISHED:
        raise ServiceError(ErrorCode.CLOSED, _("This post cannot be liked."), "postId")
    with transaction.atomic():
        _like, created = Like.objects.get_or_create(post=post, user=user)
        if created:
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
            record_activity(
                actor=user, verb=Verb.POST_LIKED, target=post, circle_id=post.circle_id, data={"author": post.author_id}
            )
    post.refresh_from_db(fields=["like_count"])
    return post


def unlike_post(*, user, post_id: int):
    require_user(user)
    post = _visible_post(user, post_id)
    with transaction.atomic():
        deleted, _details = Like.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") - 1)
            record_activity(
                actor=user,
                verb=Verb.POST_UNLIKED,
                target=post,
                circle_id=post.circle_id,
                data={"author": post.author_id},
            )
    post.refresh_from_db(fields=["like_count"])
    return post


def add_comment(*, user, post_id: int, body: str, parent_id: int | None = None):
    """One level of replies: answering a reply attaches to its top-level comment."""
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
        ensure_not_blocked(user.pk, parent.author_id, "parentId")
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)
            ensure_not_blocked(user.pk, parent.author_id, "parentId")
    verdict = _filter_verdict(body, field="body")
    trust.spend(user, "comment")
    with transaction.atomic():
        # Under the parent's lock: a reply never lands on a comment being deleted (its deletion takes the replies).
        if parent is not None and not (
            Comment.objects.select_for_update().filter(pk=parent.pk, status=ContentStatus.PUBLISHED).exists()
        ):
            raise ServiceError(ErrorCode.NOT_FOUND, _("Comment not found."), "parentId")
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
        record_activity(
            actor=user,
            verb=Verb.COMMENT_CREATED,
            target=comment,
            circle_id=post.circle_id,
            data={
                "post": post.pk,
                "post_author": post.author_id,
                "parent_author": parent.author_id if parent else None,
                "status": comment.status,
                "held_reason": comment.held_reason,
            },
        )
    post.refresh_from_db(fields=["comment_count"])
    return comment


# ---------------------------------------------------------------- editing and deleting


def _held_reason(verdict) -> str:
    return ("words: " + ", ".join(verdict.words))[:200] if verdict.held else ""


def _editable(target, user, *, field: str) -> None:
    """Only the author edits, and only what is still up (published or waiting for review)."""
    if target.author_id != user.pk:
        raise ServiceError(ErrorCode.FORBIDDEN, _("Only the author can edit this."), field)
    if target.status not in (ContentStatus.PUBLISHED, ContentStatus.PENDING_REVIEW):
        raise ServiceError(ErrorCode.CLOSED, _("This can no longer be edited."), field)


def update_post(*, user, post_id: int, body: str | None = None, title: str | None = None) -> Post:
    """The author changes the title and/or the body; the word filter and the sandbox limits apply again.

    The text it replaces is kept as a PostRevision (moderators read it). New words on hold put the
    post back in review, as a new post with them would be; an edit never takes a post out of review.
    """
    require_user(user)
    ensure_not_muted(user)
    post = _visible_post(user, post_id)
    _editable(post, user, field="postId")
    new_body = post.body if body is None else body.strip()
    new_title = post.title if title is None else title.strip()
    limit = MAX_MOMENT_CHARS if post.kind == Post.Kind.MOMENT else MAX_ARTICLE_CHARS
    errors: list[FieldError] = []
    if not new_body:
        errors.append(FieldError(ErrorCode.INVALID, _("This field is required."), "body"))
    elif len(new_body) > limit:
        errors.append(FieldError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": limit}, "body"))
    if post.kind in (Post.Kind.ARTICLE, Post.Kind.ANNOUNCEMENT) and not new_title:
        errors.append(FieldError(ErrorCode.INVALID, _("Articles and announcements need a title."), "title"))
    if len(new_title) > 120:
        errors.append(FieldError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": 120}, "title"))
    if errors:
        raise ServiceError.many(errors)
    if new_body == post.body and new_title == post.title:
        return post
    verdict = _filter_verdict(new_title, new_body, field="body")
    trust.spend(user, "post")
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        _editable(post, user, field="postId")
        PostRevision.objects.create(post=post, title=post.title, body=post.body, status=post.status)
        post.title, post.body, post.edited_at = new_title, new_body, timezone.now()
        fields = ["title", "body", "edited_at", "updated_at"]
        newly_held = verdict.held and post.status == ContentStatus.PUBLISHED
        if newly_held:
            post.status, post.held_reason, post.pinned = ContentStatus.PENDING_REVIEW, _held_reason(verdict), False
            fields += ["status", "held_reason", "pinned"]
        post.save(update_fields=fields)
        record_activity(
            actor=user,
            verb=Verb.POST_EDITED,
            target=post,
            circle_id=post.circle_id,
            data={"status": post.status if newly_held else None, "held_reason": post.held_reason if newly_held else ""},
        )
    return post


def _comment_for(user, comment_id: int, *, moderating: bool = False) -> Comment:
    """The comment if `user` may see it, else NOT_FOUND; brand staff moderating also reach held ones."""
    if moderating and user.is_brand_staff:
        visible = Comment.objects.exclude(status=ContentStatus.DELETED).filter(post__in=selectors.readable_posts(user))
    else:
        visible = selectors.visible_comments(user)
    comment = visible.filter(pk=comment_id).select_related("post").first()
    if comment is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Comment not found."), "commentId")
    return comment


def update_comment(*, user, comment_id: int, body: str) -> Comment:
    """The author changes a comment's body; filter and sandbox again; the old text kept as a CommentRevision.

    Held by new words, a published comment goes back to review and stops counting on its post.
    """
    require_user(user)
    ensure_not_muted(user)
    comment = _comment_for(user, comment_id)
    _editable(comment, user, field="commentId")
    body = (body or "").strip()
    if not body:
        raise ServiceError(ErrorCode.INVALID, _("This field is required."), "body")
    if len(body) > MAX_COMMENT_CHARS:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": MAX_COMMENT_CHARS}, "body")
    if body == comment.body:
        return comment
    verdict = _filter_verdict(body, field="body")
    trust.spend(user, "comment")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("post").get(pk=comment.pk)
        _editable(comment, user, field="commentId")
        CommentRevision.objects.create(comment=comment, body=comment.body, status=comment.status)
        comment.body, comment.edited_at = body, timezone.now()
        fields = ["body", "edited_at"]
        newly_held = verdict.held and comment.status == ContentStatus.PUBLISHED
        if newly_held:
            comment.status, comment.held_reason = ContentStatus.PENDING_REVIEW, _held_reason(verdict)
            fields += ["status", "held_reason"]
            Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)
        comment.save(update_fields=fields)
        record_activity(
            actor=user,
            verb=Verb.COMMENT_EDITED,
            target=comment,
            circle_id=comment.post.circle_id,
            data={
                "post": comment.post_id,
                "status": comment.status if newly_held else None,
                "held_reason": comment.held_reason if newly_held else "",
            },
        )
    return comment


def delete_comment(*, user, comment_id: int) -> Comment:
    """The author, the circle's hosts and co-hosts, or brand staff delete a comment (kept, marked DELETED).

    Deleting a top-level comment deletes its replies too. The post's comment count drops by the
    published comments that went, under the post's row lock, so concurrent deletes, edits and new
    comments leave it exact.
    """
    require_user(user)
    comment = _comment_for(user, comment_id, moderating=True)
    is_author = comment.author_id == user.pk
    if not (is_author or user.is_brand_staff or circle_selectors.moderates(user, comment.post.circle_id)):
        raise ServiceError(ErrorCode.FORBIDDEN, _("You cannot delete this comment."), "commentId")
    with transaction.atomic():
        # The comments first, then the post's counter: the order of every write that moves it.
        comment = Comment.objects.select_for_update().select_related("post").get(pk=comment.pk)
        if comment.status == ContentStatus.DELETED:
            return comment
        going = Comment.objects.select_for_update().filter(Q(pk=comment.pk) | Q(parent_id=comment.pk))
        going = going.exclude(status=ContentStatus.DELETED)
        removed = sum(1 for c in going if c.status == ContentStatus.PUBLISHED)
        going.update(status=ContentStatus.DELETED)
        if removed:
            Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - removed)
        comment.status = ContentStatus.DELETED
        record_activity(
            actor=comment.author,
            verb=Verb.COMMENT_DELETED,
            target=comment,
            circle_id=comment.post.circle_id,
            data={"by": user.pk, "post": comment.post_id, "removed": removed},
        )
    return comment
