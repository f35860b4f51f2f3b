"""Consumers of the activity stream that belong to the social core."""

import re

from community.kernel.activity import Verb, on_activity
from community.models import Activity, Notification
from community.services import notify


@on_activity(Verb.FOLLOWED)
def notify_followed(activity: Activity) -> None:
    notify(
        recipient_id=activity.target_id,
        verb=Notification.Verb.FOLLOWED,
        actor=activity.actor,
        target=activity.actor,
        activity=activity,
    )


def _word_list_changed(sender, **kwargs) -> None:
    from django.db import transaction

    from community.safety import wordfilter

    # After commit, so no process rebuilds from the old list under the new version.
    transaction.on_commit(wordfilter.invalidate, robust=True)


def connect_word_list_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from community.models import SensitiveWord

    post_save.connect(_word_list_changed, sender=SensitiveWord, dispatch_uid="wordfilter.saved")
    post_delete.connect(_word_list_changed, sender=SensitiveWord, dispatch_uid="wordfilter.deleted")


# ---------------------------------------------------------------- content notifications

MENTION_RE = re.compile(r"@([^\s@，。！？、,.!?:：;；()（）]{1,30})")
MAX_MENTIONS = 10


def mentioned_users(text: str, *, exclude: int):
    from community.models import User

    nicknames = list(dict.fromkeys(MENTION_RE.findall(text or "")))[:MAX_MENTIONS]
    if not nicknames:
        return []
    return list(User.objects.filter(nickname__in=nicknames, is_active=True).exclude(pk=exclude)[: MAX_MENTIONS * 2])


def _notify_mentions(activity: Activity, text: str, target, skip: set[int] = frozenset()) -> None:
    for user in mentioned_users(text, exclude=activity.actor_id):
        if user.pk not in skip:
            notify(
                recipient_id=user.pk,
                verb=Notification.Verb.MENTIONED,
                actor=activity.actor,
                target=target,
                activity=activity,
            )


@on_activity("post.created", "post.approved")
def notify_post_mentions(activity: Activity) -> None:
    from community.models import ContentStatus, Post

    post = Post.objects.filter(pk=activity.target_id, status=ContentStatus.PUBLISHED).first()
    if post is not None:
        _notify_mentions(activity, f"{post.title} {post.body}", post)


@on_activity("post.liked")
def notify_liked(activity: Activity) -> None:
    from community.models import Post

    post = Post.objects.filter(pk=activity.target_id).first()
    if post is None or post.author_id == activity.actor_id:
        return
    already = Notification.objects.filter(
        recipient_id=post.author_id,
        actor_id=activity.actor_id,
        verb=Notification.Verb.LIKED,
        target_type=activity.target_type,
        target_id=post.pk,
    ).exists()
    if not already:  # unliking and liking again does not notify twice
        notify(
            recipient_id=post.author_id,
            verb=Notification.Verb.LIKED,
            actor=activity.actor,
            target=post,
            activity=activity,
        )


@on_activity("comment.created", "comment.approved")
def notify_commented(activity: Activity) -> None:
    from community.models import Comment, ContentStatus

    comment = (
        Comment.objects.select_related("post", "parent")
        .filter(pk=activity.target_id, status=ContentStatus.PUBLISHED)
        .first()
    )
    if comment is None:
        return
    notified = {activity.actor_id}
    if comment.parent_id and comment.parent.author_id not in notified:
        notify(
            recipient_id=comment.parent.author_id,
            verb=Notification.Verb.REPLIED,
            actor=activity.actor,
            target=comment.post,
            activity=activity,
        )
        notified.add(comment.parent.author_id)
    if comment.post.author_id not in notified:
        notify(
            recipient_id=comment.post.author_id,
            verb=Notification.Verb.COMMENTED,
            actor=activity.actor,
            target=comment.post,
            activity=activity,
        )
        notified.add(comment.post.author_id)
    _notify_mentions(activity, comment.body, comment.post, skip=notified)
