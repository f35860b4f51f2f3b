"""Notifications about posts and comments (likes, comments, replies, mentions), from the activity stream."""

import re

from community.accounts.selectors import blocked_ids
from community.content.models import Comment, Post
from community.kernel.activity import on_activity
from community.kernel.models import Activity
from community.kernel.statuses import ContentStatus
from community.kernel.verbs import NotificationVerb, Verb
from community.models import Notification, User
from community.notifications.services import notify_of

MENTION_RE = re.compile(r"@([^\s@，。！？、,.!?:：;；()（）]{1,30})")
MAX_MENTIONS = 10


def mentioned_users(text: str, *, exclude: int) -> list[User]:
    nicknames = list(dict.fromkeys(MENTION_RE.findall(text or "")))[:MAX_MENTIONS]
    if not nicknames:
        return []
    return list(User.objects.filter(nickname__in=nicknames, is_active=True).exclude(pk=exclude)[: MAX_MENTIONS * 2])


def _notify_mentions(activity: Activity, text: str, target, skip: set[int] = frozenset()) -> None:
    mentioned = mentioned_users(text, exclude=activity.actor_id)
    # Someone blocked either way with the author is silently not told.
    blocked = blocked_ids(activity.actor_id) if mentioned else set()
    recipients = [user.pk for user in mentioned if user.pk not in skip and user.pk not in blocked]
    notify_of(activity, recipients, NotificationVerb.MENTIONED, target=target)


@on_activity(Verb.POST_CREATED, Verb.POST_APPROVED)
def notify_post_mentions(activity: Activity) -> None:
    post = Post.objects.filter(pk=activity.target_id, status=ContentStatus.PUBLISHED).first()
    if post is not None:
        _notify_mentions(activity, f"{post.title} {post.body}", post)


@on_activity(Verb.POST_LIKED)
def notify_liked(activity: Activity) -> None:
    post = Post.objects.filter(pk=activity.target_id).first()
    if post is None or post.author_id == activity.actor_id:
        return
    already = Notification.objects.filter(
        recipient_id=post.author_id,
        actor_id=activity.actor_id,
        verb=NotificationVerb.LIKED,
        target_type=activity.target_type,
        target_id=post.pk,
    ).exists()
    if not already:  # unliking and liking again does not notify twice
        notify_of(activity, [post.author_id], NotificationVerb.LIKED, target=post)


@on_activity(Verb.COMMENT_CREATED, Verb.COMMENT_APPROVED)
def notify_commented(activity: Activity) -> None:
    comment = (
        Comment.objects.select_related("post", "parent")
        .filter(pk=activity.target_id, status=ContentStatus.PUBLISHED)
        .first()
    )
    if comment is None:
        return
    notified = {activity.actor_id}
    if comment.parent_id and comment.parent.author_id not in notified:
        notify_of(activity, [comment.parent.author_id], NotificationVerb.REPLIED, target=comment.post)
        notified.add(comment.parent.author_id)
    if comment.post.author_id not in notified:
        notify_of(activity, [comment.post.author_id], NotificationVerb.COMMENTED, target=comment.post)
        notified.add(comment.post.author_id)
    _notify_mentions(activity, comment.body, comment.post, skip=notified)
