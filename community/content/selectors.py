"""Reads of posts and comments: who sees what (the circle rule is the circles app's), the feed."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from circles.selectors import member_circle_ids, readable_circles_q
from community.content.models import Comment, ContentStatus, Post
from community.graphql.pagination import after_filter
from community.kernel.search import ranks_by_trigrams
from community.models import Follow, User


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated


def _readable_where(user: User | None) -> Q:
    """Published content, plus the viewer's own held content."""
    readable = Q(status=ContentStatus.PUBLISHED)
    if _signed_in(user):
        readable |= Q(status=ContentStatus.PENDING_REVIEW, author=user)
    return readable


def visible_posts(user: User | None) -> QuerySet[Post]:
    """What `user` may see: published posts in the square or in circles whose content they may read,
    plus their own held ones."""
    return Post.objects.filter(_readable_where(user)).filter(
        Q(circle__isnull=True) | readable_circles_q(user, "circle__")
    )


def feed(user: User | None) -> QuerySet[Post]:
    """Followed people, joined circles, brand announcements and one's own posts; anonymous: public posts."""
    posts = visible_posts(user)
    if _signed_in(user):
        followed = Follow.objects.filter(follower=user).values("followee_id")
        posts = posts.filter(
            Q(author=user)
            | Q(author_id__in=followed)
            | Q(circle_id__in=member_circle_ids(user))
            | Q(kind=Post.Kind.ANNOUNCEMENT)
        )
    return posts.select_related("author", "circle")


FEED_ORDERING = ("-pinned", "-created_at", "-id")


def feed_page(user: User | None, *, limit: int, after: list | None = None) -> list[Post]:
    """`limit + 1` feed posts after the cursor values `after`, in FEED_ORDERING.

    On PostgreSQL a signed-in feed is the union of its sources (own posts, followed authors,
    joined circles, announcements), each read in index order and cut at the page size, so a page
    costs a few index range scans however many posts the community has. Elsewhere one filtered
    query does the same.
    """
    rows = limit + 1
    visible = visible_posts(user)
    if after:
        visible = visible.filter(after_filter(FEED_ORDERING, after))
    if not _signed_in(user) or not connection.features.supports_slicing_ordering_in_compound:
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
        branch.order_by(*(FEED_ORDERING if branch is sources[-1] else ("-created_at", "-id"))).values_list(
            "id", flat=True
        )[:rows]
        for branch in sources
    ]
    ids = set(keys[0].union(*keys[1:]))
    return list(Post.objects.filter(pk__in=ids).select_related("author", "circle").order_by(*FEED_ORDERING)[:rows])


def circle_posts(user: User | None, circle) -> QuerySet[Post]:
    return visible_posts(user).filter(circle=circle).select_related("author", "circle")


def readable_posts(user: User | None) -> QuerySet[Post]:
    """Posts `user` may open one by one: brand staff also see held and hidden ones, to moderate them."""
    if _signed_in(user) and user.is_brand_staff:
        return Post.objects.exclude(status=ContentStatus.DELETED)
    return visible_posts(user)


def post_for(user: User | None, post_id: int) -> Post | None:
    return readable_posts(user).select_related("author", "circle").filter(pk=post_id).first()


def visible_comments(user: User | None) -> QuerySet[Comment]:
    return Comment.objects.filter(_readable_where(user), post__in=visible_posts(user))


def comments_on(user: User | None, post: Post) -> QuerySet[Comment]:
    return Comment.objects.filter(_readable_where(user), post=post).select_related("author", "post")


# Title hits first (closest title first on PostgreSQL, by trigram word similarity), then newest first.
POST_SEARCH_ORDERING = ("-rank", "-created_at", "-id")


def search_posts(user: User | None, query: str) -> QuerySet[Post]:
    """Posts `user` may see whose title or body contains `query` (already cleaned), annotated with `rank`."""
    rank = Case(When(title__icontains=query, then=Value(1000)), default=Value(0), output_field=IntegerField())
    if ranks_by_trigrams():
        rank = rank + Cast(TrigramWordSimilarity(query, "title") * 1000, IntegerField())
    return (
        visible_posts(user)
        .filter(Q(title__icontains=query) | Q(body__icontains=query))
        .annotate(rank=rank)
        .select_related("author", "circle")
    )
