"""The audit log's entries for what the content app decides by itself, written from the activity stream.

The word filter holding a post or a comment and a host (or brand staff) deleting someone else's
post are moderation; the content app only records the activity, and the entry is written here,
once per activity.
"""

from circles.models import ChatMessage
from community.content.models import Comment, Post
from community.kernel.activity import on_activity
from community.kernel.models import Activity
from community.kernel.statuses import ContentStatus
from community.kernel.verbs import Verb
from community.messaging.models import DirectMessage
from community.models import User
from community.moderation.models import ModerationAction
from community.moderation.services import log_moderation


@on_activity(Verb.POST_CREATED, Verb.COMMENT_CREATED, Verb.POST_EDITED, Verb.COMMENT_EDITED)
def log_held_by_the_word_filter(activity: Activity) -> None:
    """New content, or an edit, that the word filter held (an edit's data.status is set only then)."""
    if activity.data.get("status") != ContentStatus.PENDING_REVIEW:
        return
    model = Post if activity.verb in (Verb.POST_CREATED, Verb.POST_EDITED) else Comment
    target = model.objects.filter(pk=activity.target_id).first()
    if target is not None:
        log_moderation(
            None,
            ModerationAction.Action.AUTO_HOLD,
            target,
            activity.actor,
            note=activity.data.get("held_reason", ""),
            activity=activity,
        )


@on_activity(Verb.DIRECT_MESSAGE_SENT)
def log_direct_message_held(activity: Activity) -> None:
    """A private message the word filter held waits in the queue like a held post."""
    if not activity.data.get("held"):
        return
    message = DirectMessage.objects.filter(pk=activity.target_id).first()
    if message is not None:
        log_moderation(
            None,
            ModerationAction.Action.AUTO_HOLD,
            message,
            activity.actor,
            note=message.held_reason,
            activity=activity,
        )


@on_activity(Verb.DIRECT_MESSAGE_REVIEWED)
def log_direct_message_reviewed(activity: Activity) -> None:
    """Brand staff passing or hiding a held private message (from the API or the back office) is logged."""
    message = DirectMessage.objects.filter(pk=activity.target_id).select_related("sender").first()
    if message is not None:
        passed = activity.data.get("status") == ContentStatus.PUBLISHED
        action = ModerationAction.Action.APPROVE if passed else ModerationAction.Action.REJECT
        log_moderation(activity.actor, action, message, message.sender, activity=activity)


def _log_deletion_by_someone_else(activity: Activity, model) -> None:
    """A post or comment deleted by someone other than its author (a host, brand staff) is in the audit log."""
    deleted_by = activity.data.get("by")
    if deleted_by is None or deleted_by == activity.actor_id:
        return
    target = model.objects.filter(pk=activity.target_id).select_related("author").first()
    if target is not None:
        log_moderation(
            User.objects.filter(pk=deleted_by).first(),
            ModerationAction.Action.DELETE,
            target,
            target.author,
            activity=activity,
        )


@on_activity(Verb.POST_DELETED)
def log_deleted_by_someone_else(activity: Activity) -> None:
    _log_deletion_by_someone_else(activity, Post)


@on_activity(Verb.COMMENT_DELETED)
def log_comment_deleted_by_someone_else(activity: Activity) -> None:
    _log_deletion_by_someone_else(activity, Comment)


@on_activity(Verb.CHAT_MESSAGE_DELETED)
def log_chat_message_deleted(activity: Activity) -> None:
    message = ChatMessage.objects.filter(pk=activity.target_id).first()
    if message is not None:
        log_moderation(
            User.objects.filter(pk=activity.data.get("by")).first(),
            ModerationAction.Action.DELETE,
            message,
            message.author,
            activity=activity,
        )
