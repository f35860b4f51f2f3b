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
    """An active circle founded by `host` (given a verified car if it has none) with `members` joined."""
    from circles.models import Circle
    from community.models import Vehicle
    from tests.circles import factories as circle_factories
    from tests.factories import VerifiedVehicleFactory

    if not Vehicle.objects.filter(owner=host, verified_at__isnull=False).exists():
        VerifiedVehicleFactory(owner=host)
    name = name or f"圈子{Circle.objects.count() + 1}"
    return circle_factories.make_circle(host=host, name=name, visibility=visibility, members=members)


def veteran():
    """A member out of the new-user sandbox."""
    from datetime import timedelta

    from django.utils import timezone

    from community.kernel.models import Activity

    user = UserFactory(date_joined=timezone.now() - timedelta(days=60))
    Activity.objects.bulk_create([Activity(actor=user, verb=Verb.PROFILE_UPDATED) for _ in range(20)])
    return user
