"""Reads of the social core that are more than a lookup."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from community.models import Comment, ContentStatus, Follow, Notification, Post, Report, User


def active_user(pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=user).select_related("actor")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def notification_for(user: User, notification_id: int) -> Notification | None:
    return Notification.objects.select_related("actor").filter(pk=notification_id, recipient=user).first()


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# ---------------------------------------------------------------- content


def member_circle_ids(user):
    """A subquery of the circles `user` is an active member of."""
    from circles.models import Membership

    return Membership.objects.filter(user=user, status="ACTIVE").values("circle_id")


def _circle_visible(user) -> Q:
    """Posts in the square, in public circles, or in private circles `user` belongs to."""
    public = Q(circle__isnull=True) | Q(circle__visibility="PUBLIC", circle__status="ACTIVE")
    if user is None or not user.is_authenticated:
        return public
    if user.is_brand_staff:
        return Q()
    return public | Q(circle_id__in=member_circle_ids(user))


def visible_posts(user) -> QuerySet[Post]:
    """What `user` may see: published posts where they may read, plus their own held ones."""
    readable = Q(status=ContentStatus.PUBLISHED)
    if user is not None and user.is_authenticated:
        readable |= Q(status=ContentStatus.PENDING_REVIEW, author=user)
    return Post.objects.filter(readable).filter(_circle_visible(user))


def feed(user) -> QuerySet[Post]:
    """Followed people, joined circles, brand announcements and one's own posts; anonymous: public posts."""
    posts = visible_posts(user)
    if user is not None and user.is_authenticated:
        followed = Follow.objects.filter(follower=user).values("followee_id")
        posts = posts.filter(
            Q(author=user)
            | Q(author_id__in=followed)
            | Q(circle_id__in=member_circle_ids(user))
            | Q(kind=Post.Kind.ANNOUNCEMENT)
        )
    return posts.select_related("author", "circle")


FEED_ORDERING = ("-pinned", "-created_at", "-id")


def feed_page(user, *, limit: int, after: list | None = None) -> list[Post]:
    """`limit + 1` feed posts after the cursor values `after`, in FEED_ORDERING.

    On PostgreSQL a signed-in feed is the union of its sources (own posts, followed authors,
    joined circles, announcements), each read in index order and cut at the page size, so a page
    costs a few index range scans however many posts the community has. Elsewhere one filtered
    query does the same.
    """
    from django.db import connection

    from community.graphql.pagination import after_filter

    rows = limit + 1
    visible = visible_posts(user)
    if after:
        visible = visible.filter(after_filter(FEED_ORDERING, after))
    signed_in = user is not None and user.is_authenticated
    if not signed_in or not connection.features.supports_slicing_ordering_in_compound:
        posts = feed(user)
        if after:
            posts = posts.filter(after_filter(FEED_ORDERING, after))
        return list(posts.order_by(*FEED_ORDERING)[:rows])
    followed = Follow.objects.filter(follower=user).values("followee_id")
    sources = [
        visible.filter(author=user),
        visible.filter(author_id__in=followed),
        visible.filter(circle_id__in=member_circle_ids(user)),
        visible.filter(kind=Post.Kind.ANNOUNCEMENT),
    ]
    # Only announcements are pinned, so the other sources can be read newest first, in index order.
    keys = [
        branch.order_by(*(FEED_ORDERING if branch is sources[-1] else ("-created_at", "-id")))
        .values_list("id", flat=True)[:rows]
        for branch in sources
    ]
    ids = set(keys[0].union(*keys[1:]))
    return list(Post.objects.filter(pk__in=ids).select_related("author", "circle").order_by(*FEED_ORDERING)[:rows])


def circle_posts(user, circle) -> QuerySet[Post]:
    return visible_posts(user).filter(circle=circle).select_related("author", "circle")


def readable_posts(user) -> QuerySet[Post]:
    """Posts `user` may open one by one: brand staff also see held and hidden ones, to moderate them."""
    if user is not None and user.is_authenticated and user.is_brand_staff:
        return Post.objects.exclude(status=ContentStatus.DELETED)
    return visible_posts(user)


def post_for(user, post_id: int) -> Post | None:
    return readable_posts(user).select_related("author", "circle").filter(pk=post_id).first()


def visible_comments(user) -> QuerySet[Comment]:
    readable = Q(status=ContentStatus.PUBLISHED)
    if user is not None and user.is_authenticated:
        readable |= Q(status=ContentStatus.PENDING_REVIEW, author=user)
    return Comment.objects.filter(readable, post__in=visible_posts(user))


def comments_on(user, post: Post) -> QuerySet[Comment]:
    readable = Q(status=ContentStatus.PUBLISHED)
    if user is not None and user.is_authenticated:
        readable |= Q(status=ContentStatus.PENDING_REVIEW, author=user)
    return Comment.objects.filter(readable, post=post).select_related("author", "post")


def pending_posts() -> QuerySet[Post]:
    return Post.objects.filter(status=ContentStatus.PENDING_REVIEW).select_related("author", "circle")


def moderation_queue(status: str | None = "OPEN") -> QuerySet[Report]:
    reports = Report.objects.select_related("reporter", "post", "comment", "chat_message")
    return reports.filter(status=status) if status else reports
