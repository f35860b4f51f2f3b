"""Reads of posts and comments: who sees what (the circle rule is the circles app's), the feed."""

from __future__ import annotations

from django.db import connection
from django.db.models import F, IntegerField, Q, QuerySet, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from circles.selectors import member_circle_ids, readable_circles_q
from community.accounts.selectors import without_blocked
from community.content.models import Comment, ContentStatus, Post
from community.graphql.pagination import after_filter
from community.kernel.compiled import CompiledQuery, StandIns
from community.models import Follow, User


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated


def _readable_where(user: User | None) -> Q:
    """Published content, plus the viewer's own held content."""
    readable = Q(status=ContentStatus.PUBLISHED)
    if _signed_in(user):
        readable |= Q(status=ContentStatus.PENDING_REVIEW, author=user)
    return readable


def visible_posts(user: User | None, *, hide_blocked: bool = True) -> QuerySet[Post]:
    """What `user` may see: published posts in the square or in circles whose content they may read,
    plus their own held ones; not those of people blocked either way (unless `hide_blocked` is
    False: a host moderating their circle still sees a blocked member's posts)."""
    posts = Post.objects.filter(_readable_where(user)).filter(
        Q(circle__isnull=True) | readable_circles_q(user, "circle__")
    )
    return without_blocked(posts, user) if hide_blocked else posts


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
    if not _signed_in(user) or not connection.features.supports_slicing_ordering_in_compound:
        posts = feed(user)
        if after:
            posts = posts.filter(after_filter(FEED_ORDERING, after))
        return list(posts.order_by(*FEED_ORDERING)[:rows])
    return _SIGNED_IN_FEED_PAGE.fetch({"viewer": user, "limit": limit, "after": after})


def _signed_in_feed_page(values: dict, standins: StandIns | None) -> QuerySet[Post]:
    """A signed-in feed page: the posts among the union of its sources, each cut at the page size."""
    viewer, after = values["viewer"], values["after"]
    if standins is not None:
        viewer = _standin_viewer(viewer, standins)
        if after:
            after = [after[0], standins.datetime("after_created_at"), standins.int("after_id")]
    rows = values["limit"] + 1
    visible = visible_posts(viewer)
    if after:
        visible = visible.filter(after_filter(FEED_ORDERING, after))
    followed = Follow.objects.filter(follower=viewer).values("followee_id")
    sources = [
        visible.filter(author=viewer),
        visible.filter(author_id__in=followed),
        visible.filter(circle_id__in=member_circle_ids(viewer)),
        visible.filter(kind=Post.Kind.ANNOUNCEMENT),
    ]
    # Only announcements are pinned, so the other sources can be read newest first, in index order.
    keys = [
        branch.order_by(*(FEED_ORDERING if branch is sources[-1] else ("-created_at", "-id"))).values_list(
            "id", flat=True
        )[:rows]
        for branch in sources
    ]
    candidates = RawSQL(*keys[0].union(*keys[1:]).query.sql_with_params())
    return Post.objects.filter(pk__in=candidates).select_related("author", "circle").order_by(*FEED_ORDERING)[:rows]


def _standin_viewer(viewer: User, standins: StandIns) -> User:
    """A viewer whose id is a stand-in; whether they are brand staff is part of the shape."""
    standin = User(pk=standins.int("viewer_id"))
    standin.__dict__["is_brand_staff"] = viewer.is_brand_staff
    return standin


def _viewer_shape(viewer: User | None) -> str:
    if not _signed_in(viewer):
        return "anonymous"
    return "brand staff" if viewer.is_brand_staff else "signed in"


def _feed_shape(values: dict) -> tuple:
    after = values["after"]
    return (values["limit"], _viewer_shape(values["viewer"]), after[0] if after else None)


def _bind_feed(values: dict) -> dict:
    after = values["after"] or [None, None, None]
    return {**values, "viewer_id": values["viewer"].pk, "after_created_at": after[1], "after_id": after[2]}


_SIGNED_IN_FEED_PAGE = CompiledQuery(_signed_in_feed_page, _feed_shape, _bind_feed)


def circle_posts(user: User | None, circle) -> QuerySet[Post]:
    return visible_posts(user).filter(circle=circle).select_related("author", "circle")


def readable_posts(user: User | None, *, hide_blocked: bool = True) -> QuerySet[Post]:
    """Posts `user` may open one by one: brand staff also see held and hidden ones, to moderate them."""
    if _signed_in(user) and user.is_brand_staff:
        return Post.objects.exclude(status=ContentStatus.DELETED)
    return visible_posts(user, hide_blocked=hide_blocked)


def post_for(user: User | None, post_id: int) -> Post | None:
    return readable_posts(user).select_related("author", "circle").filter(pk=post_id).first()


def visible_comments(user: User | None) -> QuerySet[Comment]:
    return without_blocked(Comment.objects.filter(_readable_where(user), post__in=visible_posts(user)), user)


def first_comments(user: User | None, post_ids: list[int], *, limit: int) -> list[Comment]:
    """The first `limit` comments `user` may read on each of the posts `post_ids`, oldest first, with their
    authors, in one statement (a window over each post's comments), ordered by post."""
    if not post_ids:
        return []
    values = {"viewer": user, "post_ids": sorted(set(post_ids)), "limit": limit}
    if connection.vendor == "postgresql":
        return _FIRST_COMMENTS.fetch(values)
    return list(_first_comments(values, None))


def _first_comments(values: dict, standins: StandIns | None) -> QuerySet[Comment]:
    viewer, post_ids = values["viewer"], values["post_ids"]
    if standins is not None and _signed_in(viewer):
        viewer = _standin_viewer(viewer, standins)
    if connection.vendor == "postgresql":  # one array parameter, so the SQL is the same for any number of posts
        post_ids = RawSQL("SELECT unnest(%s::bigint[])", (standins.list("post_ids") if standins else post_ids,))
    ranked = visible_comments(viewer).filter(post_id__in=post_ids)
    ranked = ranked.annotate(rank=Window(RowNumber(), partition_by=[F("post_id")], order_by=[F("created_at"), F("id")]))
    return ranked.filter(rank__lte=values["limit"]).select_related("author").order_by("post_id", "created_at", "id")


_FIRST_COMMENTS = CompiledQuery(
    _first_comments,
    key=lambda values: (
        _signed_in(values["viewer"]),
        _signed_in(values["viewer"]) and values["viewer"].is_brand_staff,
        values["limit"],
    ),
    bind=lambda values: {"viewer_id": getattr(values["viewer"], "pk", None), "post_ids": values["post_ids"]},
)


def comments_on(user: User | None, post: Post) -> QuerySet[Comment]:
    comments = Comment.objects.filter(_readable_where(user), post=post).select_related("author", "post")
    return without_blocked(comments, user)


# Title hits first, then body-only hits; each newest first. `rank` is 1 for a title hit, 0 otherwise.
POST_SEARCH_ORDERING = ("-rank", "-created_at", "-id")


def search_posts_page(user: User | None, query: str, *, limit: int, after: list | None = None) -> list[Post]:
    """`limit + 1` posts `user` may see whose title or body contains `query` (already cleaned), after
    the cursor values `after`, in POST_SEARCH_ORDERING.

    Read as two newest-first branches (title hits, then body-only hits), each cut at the page
    size, so PostgreSQL either walks the recency index until the page is full (common words) or
    reads the few matches from the trigram indexes (rare ones): it never ranks every match.
    """
    rows: list[Post] = []
    rank, recency = (after[0], after[1:]) if after else (1, None)
    visible = visible_posts(user).select_related("author", "circle")
    branches = (
        (1, visible.filter(title__icontains=query)),
        (0, visible.filter(body__icontains=query).exclude(title__icontains=query)),
    )
    for branch_rank, posts in branches:
        if branch_rank > rank or len(rows) > limit:
            continue
        if recency and branch_rank == rank:
            posts = posts.filter(after_filter(POST_SEARCH_ORDERING[1:], recency))
        posts = posts.annotate(rank=Value(branch_rank, output_field=IntegerField()))
        rows += list(posts.order_by(*POST_SEARCH_ORDERING[1:])[: limit + 1 - len(rows)])
    return rows
