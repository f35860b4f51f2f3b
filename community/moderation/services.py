"""The brand team's decisions on content: reports, the review of held content, pinning, and the audit log.

Each decision is written here once and logged in `ModerationAction`. The log entries for what the
content app decides by itself (the word filter holding a post, a host deleting one) are written by
the consumers in `receivers.py`, from the activity stream.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from circles import selectors as circle_selectors
from circles.models import ChatMessage
from community.accounts.receivers import SOCKET_DEACTIVATED
from community.content import selectors as content_selectors
from community.content.models import Comment, ContentStatus, Post
from community.kernel import realtime
from community.kernel.access import require_brand_staff, require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.models import Activity
from community.kernel.verbs import NotificationVerb, Verb
from community.messaging import selectors as messaging_selectors
from community.messaging.models import DirectMessage
from community.models import AuthToken, Mute, User
from community.moderation.models import REPORT_DECISIONS, ModerationAction, Report
from community.notifications.services import notify
from community.safety import trust

AUTO_HOLD_REPORTERS = 3
Action = ModerationAction.Action

# What can be reported, by the name the API uses: (model, the Report field pointing at it).
REPORTABLE: dict[str, tuple[type[Model], str]] = {
    "post": (Post, "post"),
    "comment": (Comment, "comment"),
    "chat": (ChatMessage, "chat_message"),
    "dm": (DirectMessage, "direct_message"),
    "user": (User, "reported_user"),
}
# Decisions that act on content; a report about a person takes the others only.
CONTENT_DECISIONS = (Action.HIDE, Action.DELETE)


def log_moderation(
    moderator: User | None,
    action: str,
    target: Model,
    subject: User | None,
    *,
    report: Report | None = None,
    note: str = "",
    activity: Activity | None = None,
) -> ModerationAction:
    """One audit entry; an entry written for an activity is written once however often it is redelivered."""
    fields = {
        "moderator": moderator,
        "target_type": ContentType.objects.get_for_model(target),
        "target_id": target.pk,
        "subject": subject,
        "report": report,
        "note": (note or "")[:500],
    }
    if activity is not None:
        entry, _created = ModerationAction.objects.get_or_create(activity=activity, action=action, defaults=fields)
        return entry
    return ModerationAction.objects.create(action=action, **fields)


def _set_status(target: Post | Comment | ChatMessage, status: str) -> None:
    """Change a post's, comment's or chat message's status, keeping the post's comment count exact."""
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


def _lock_target(kind: str, pk: int) -> Post | Comment | ChatMessage | None:
    model, _field = REPORTABLE[kind]
    return model.objects.select_for_update().filter(pk=pk).first()


def _target_visible_to(user: User, kind: str, target: Model) -> bool:
    if kind == "user":
        return target.is_active
    visible = {
        "post": content_selectors.visible_posts,
        "comment": content_selectors.visible_comments,
        "chat": circle_selectors.visible_chat_messages,
        "dm": messaging_selectors.visible_messages,
    }[kind]
    return visible(user).filter(pk=target.pk).exists()


def _circle_of(target: Model) -> int | None:
    if isinstance(target, User | DirectMessage):
        return None
    if isinstance(target, Comment):
        return target.post.circle_id
    return target.circle_id


def _subject_of(target: Model) -> User:
    """Whom a report is about: the reported person, or the author of the reported content."""
    return target if isinstance(target, User) else target.author


def _deactivate(user: User, *, moderator: User, note: str) -> None:
    """The account can no longer sign in nor be seen; its tokens are revoked (in the caller's transaction)."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    AuthToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    # An update, not a save: the accounts receiver does not see it, so the open sockets are closed here.
    realtime.close_sockets(realtime.user_sockets_topic(user.pk), code=SOCKET_DEACTIVATED, reason="Forbidden")
    record_activity(actor=user, verb=Verb.USER_DEACTIVATED, target=user, data={"by": moderator.pk, "note": note})


# ---------------------------------------------------------------- reports


def report_content(*, user, kind: str, target_id: int, reason: str, note: str | None = None) -> Report:
    """One open report per reporter and target; enough distinct reporters hold the content for review."""
    require_user(user)
    if kind not in REPORTABLE:
        raise ServiceError(
            ErrorCode.INVALID, _("Only people, posts, comments and messages can be reported."), "targetId"
        )
    if reason not in Report.Reason.values:
        raise ServiceError(ErrorCode.INVALID, _("Unknown reason."), "reason")
    note = (note or "").strip()
    if len(note) > 500:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": 500}, "note")
    trust.spend(user, "report")
    field = REPORTABLE[kind][1]
    with transaction.atomic():
        target = _lock_target(kind, target_id)
        status = getattr(target, "status", None)
        if target is None or status == ContentStatus.DELETED or not _target_visible_to(user, kind, target):
            raise ServiceError(ErrorCode.NOT_FOUND, _("Nothing to report here."), "targetId")
        if _subject_of(target).pk == user.pk:
            raise ServiceError(ErrorCode.INVALID, _("You cannot report your own content."), "targetId")
        if Report.objects.filter(reporter=user, status=Report.Status.OPEN, **{field: target}).exists():
            raise ServiceError(ErrorCode.CONFLICT, _("You have already reported this."), "targetId")
        report = Report.objects.create(reporter=user, reason=reason, note=note, **{field: target})
        reporters = (
            Report.objects.filter(status=Report.Status.OPEN, **{field: target}).values("reporter").distinct().count()
        )
        if reporters >= AUTO_HOLD_REPORTERS and status == ContentStatus.PUBLISHED:
            _set_status(target, ContentStatus.PENDING_REVIEW)
            log_moderation(None, Action.AUTO_HOLD, target, target.author, note=f"{reporters} reports")
        record_activity(actor=user, verb=Verb.CONTENT_REPORTED, target=target, circle_id=_circle_of(target))
    return report


def resolve_report(
    *, user, report_id: int, decision: str, mute_days: int | None = None, note: str | None = None
) -> Report:
    """Apply a decision to a report and to every other open report on the same content; all logged."""
    require_brand_staff(user)
    if decision not in REPORT_DECISIONS:
        raise ServiceError(ErrorCode.INVALID, _("Unknown decision."), "decision")
    if decision == Action.MUTE_AUTHOR and (mute_days is None or not 1 <= mute_days <= 365):
        raise ServiceError(ErrorCode.INVALID, _("Mute for 1 to 365 days."), "muteDays")
    note = (note or "").strip()[:500]
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Report not found."), "reportId")
        if report.status != Report.Status.OPEN:
            raise ServiceError(ErrorCode.CONFLICT, _("This report has already been resolved."), "reportId")
        kind = next(kind for kind, (_model, field) in REPORTABLE.items() if getattr(report, f"{field}_id"))
        field = REPORTABLE[kind][1]
        target = _lock_target(kind, getattr(report, f"{field}_id"))
        author = _subject_of(target)
        now = timezone.now()
        if kind == "user" and decision in CONTENT_DECISIONS:
            raise ServiceError(
                ErrorCode.INVALID,
                _("A report about a person is dismissed, or the person muted or deactivated."),
                "decision",
            )
        if kind == "user":
            status = Report.Status.DISMISSED if decision == Action.DISMISS else Report.Status.ACTIONED
            siblings = Report.objects.filter(pk=report.pk)
            if decision != Action.DISMISS:
                siblings = Report.objects.filter(status=Report.Status.OPEN, reported_user=target)
                if decision == Action.MUTE_AUTHOR:
                    Mute.objects.create(
                        user=author, until=now + timedelta(days=mute_days), reason=note, created_by=user
                    )
                    record_activity(actor=author, verb=Verb.USER_MUTED, target=author, data={"days": mute_days})
                    realtime.refresh_sockets(realtime.user_sockets_topic(author.pk))  # their open sockets too
                    notify(
                        recipient_id=author.pk,
                        verb=NotificationVerb.MODERATION,
                        target=author,
                        data={"decision": decision},
                    )
                else:
                    _deactivate(author, moderator=user, note=note)
        elif decision == Action.DISMISS:
            status = Report.Status.DISMISSED
            others_open = Report.objects.filter(status=Report.Status.OPEN, **{field: target}).exclude(pk=report.pk)
            held_by_words = bool(getattr(target, "held_reason", "").startswith("words"))
            if target.status == ContentStatus.PENDING_REVIEW and not held_by_words and not others_open.exists():
                _set_status(target, ContentStatus.PUBLISHED)
            siblings = Report.objects.filter(pk=report.pk)
        else:
            status = Report.Status.ACTIONED
            _set_status(target, ContentStatus.DELETED if decision == Action.DELETE else ContentStatus.HIDDEN)
            siblings = Report.objects.filter(status=Report.Status.OPEN, **{field: target})
            if decision == Action.MUTE_AUTHOR:
                Mute.objects.create(user=author, until=now + timedelta(days=mute_days), reason=note, created_by=user)
                record_activity(actor=author, verb=Verb.USER_MUTED, target=author, data={"days": mute_days})
                realtime.refresh_sockets(realtime.user_sockets_topic(author.pk))  # their open sockets too
            elif decision == Action.DEACTIVATE:
                _deactivate(author, moderator=user, note=note)
            verb = {"post": Verb.POST_HIDDEN, "comment": Verb.COMMENT_HIDDEN}.get(kind)
            if verb:
                record_activity(actor=author, verb=verb, target=target, data={"by": user.pk, "decision": decision})
            notify(recipient_id=author.pk, verb=NotificationVerb.MODERATION, target=target, data={"decision": decision})
        siblings.update(status=status, resolved_at=now, resolved_by=user, decision=decision)
        log_moderation(user, decision, target, author, report=report, note=note)
        report.refresh_from_db()
    return report


# ---------------------------------------------------------------- held content


def _review(user, target: Post | Comment, *, approve: bool, approved: str, hidden: str) -> None:
    """Release held content to everyone (it counts again) or hide it for good; logged and recorded."""
    _set_status(target, ContentStatus.PUBLISHED if approve else ContentStatus.HIDDEN)
    target.held_reason = ""
    target.save(update_fields=["held_reason", *(["updated_at"] if isinstance(target, Post) else [])])
    log_moderation(user, Action.APPROVE if approve else Action.REJECT, target, target.author)
    record_activity(
        actor=target.author,
        verb=approved if approve else hidden,
        target=target,
        circle_id=_circle_of(target),
        data={"by": user.pk},
    )


def review_post(*, user, post_id: int, approve: bool) -> Post:
    require_brand_staff(user)
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Post not found."), "postId")
        if post.status != ContentStatus.PENDING_REVIEW:
            raise ServiceError(ErrorCode.CONFLICT, _("This post is not waiting for review."), "postId")
        _review(user, post, approve=approve, approved=Verb.POST_APPROVED, hidden=Verb.POST_HIDDEN)
        if not approve:
            notify(
                recipient_id=post.author_id,
                verb=NotificationVerb.MODERATION,
                target=post,
                data={"decision": Action.HIDE},
            )
    return post


def review_comment(*, user, comment_id: int, approve: bool) -> Comment:
    require_brand_staff(user)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("post").filter(pk=comment_id).first()
        if comment is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Comment not found."), "commentId")
        if comment.status != ContentStatus.PENDING_REVIEW:
            raise ServiceError(ErrorCode.CONFLICT, _("This comment is not waiting for review."), "commentId")
        _review(user, comment, approve=approve, approved=Verb.COMMENT_APPROVED, hidden=Verb.COMMENT_HIDDEN)
    return comment


# ---------------------------------------------------------------- curation


def set_post_pinned(*, user, post_id: int, pinned: bool) -> Post:
    """Brand staff pin an announcement to the top of every feed (or unpin it)."""
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


# ---------------------------------------------------------------- mutes


def lift_mute(*, user, mute_id: int) -> Mute:
    """End a mute now: its user may post, comment and chat again. Logged; telling twice is a conflict."""
    require_brand_staff(user)
    with transaction.atomic():
        mute = Mute.objects.select_for_update().select_related("user").filter(pk=mute_id).first()
        if mute is None:
            raise ServiceError(ErrorCode.NOT_FOUND, _("Mute not found."), "muteId")
        now = timezone.now()
        if mute.until <= now:
            raise ServiceError(ErrorCode.CONFLICT, _("This mute has already ended."), "muteId")
        mute.until = now
        mute.save(update_fields=["until"])
        log_moderation(user, Action.LIFT_MUTE, mute, mute.user)
        record_activity(actor=mute.user, verb=Verb.USER_UNMUTED, target=mute.user, data={"by": user.pk})
    return mute
