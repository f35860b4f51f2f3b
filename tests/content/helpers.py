"""Content test data: posts, comments and circles made the way users make them."""

from community.content.models import Comment, Post
from community.kernel.statuses import ContentStatus
from community.kernel.verbs import Verb
from tests.factories import UserFactory


def make_post(
    author=None, *, circle=None, status=ContentStatus.PUBLISHED, kind="MOMENT", body="周末去南山看夜景", **extra
):
    return Post.objects.create(
        author=author or UserFactory(), circle=circle, status=status, kind=kind, body=body, **extra
    )


def make_comment(post, author=None, *, body="同去！", parent=None, status=ContentStatus.PUBLISHED):
    comment = Comment.objects.create(post=post, author=author or UserFactory(), body=body, parent=parent, status=status)
    if status == ContentStatus.PUBLISHED:
        Post.objects.filter(pk=post.pk).update(comment_count=post.comments.filter(status="PUBLISHED").count())
    return comment


def make_circle(host, *, name=None, visibility="PUBLIC", members=()):
    """An active circle with `host` as HOST and `members` as active members."""
    from django.utils import timezone

    from circles.models import Circle, Membership

    circle = Circle.objects.create(
        name=name or f"圈子{Circle.objects.count() + 1}",
        description="车友圈",
        kind="CITY",
        city="重庆",
        join_policy="OPEN",
        visibility=visibility,
        status="ACTIVE",
        created_by=host,
    )
    now = timezone.now()
    Membership.objects.create(circle=circle, user=host, role="HOST", status="ACTIVE", joined_at=now)
    for member in members:
        Membership.objects.create(circle=circle, user=member, role="MEMBER", status="ACTIVE", joined_at=now)
    Circle.objects.filter(pk=circle.pk).update(member_count=1 + len(members))
    circle.refresh_from_db()
    return circle


def veteran():
    """A member out of the new-user sandbox."""
    from datetime import timedelta

    from django.utils import timezone

    from community.kernel.models import Activity

    user = UserFactory(date_joined=timezone.now() - timedelta(days=60))
    Activity.objects.bulk_create([Activity(actor=user, verb=Verb.PROFILE_UPDATED) for _ in range(20)])
    return user
