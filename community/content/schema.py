"""GraphQL for posts, comments and likes, and the feed (thin: services and selectors do the work)."""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from circles import selectors as circle_selectors
from circles.schema import viewer_membership
from community.content import selectors, services
from community.content.models import Comment, CommentRevision, Like, Post, PostImage, PostRevision
from community.graphql import ids
from community.graphql.enums import enum_field
from community.graphql.errors import argument_error, forbidden, unauthenticated
from community.graphql.loaders import Loader, group_by, loader, then
from community.graphql.media import file_url
from community.graphql.mutations import SIGNED_IN, IdempotentInput, ServiceMutation, payload
from community.graphql.pagination import clamp_first, connection_from_rows, decode_cursor, paginate
from community.graphql.scalars import Upload
from community.kernel.errors import ServiceError
from community.kernel.search import clean_search_query
from community.kernel.statuses import ContentStatus
from events.loaders import VisibleEventLoader

PostKind = graphene.Enum("PostKind", [(k, k) for k in Post.Kind.values])
ContentStatusEnum = graphene.Enum("ContentStatus", [(s, s) for s in ContentStatus.values])

# The assembled type, by name: the root schema imports this module.
USER = "community.schema.UserType"
CIRCLE = "circles.schema.CircleType"
EVENT = "events.schema.EventType"


# ---------------------------------------------------------------- loaders


class ImagesByPostLoader(Loader):
    default = list

    def batch(self, keys):
        return group_by(PostImage.objects.filter(post_id__in=keys).order_by("post_id", "position"), "post_id")


class LikedByViewerLoader(Loader):
    default = False

    def batch(self, keys):
        viewer = self.viewer
        if not viewer.is_authenticated:
            return {}
        liked = set(Like.objects.filter(user=viewer, post_id__in=keys).values_list("post_id", flat=True))
        return {key: key in liked for key in keys}


class FirstCommentsLoader(Loader):
    """The first few visible comments of many posts in one query (a window over each post's comments)."""

    default = list

    def batch(self, keys):
        limit = max(first for _post, first in keys)
        rows = selectors.first_comments(self.viewer, [post for post, _first in keys], limit=limit + 1)
        by_post = group_by(rows, "post_id")
        return {(post, first): by_post.get(post, [])[: first + 1] for post, first in keys}


class PostRevisionsLoader(Loader):
    """The earlier texts of many posts, newest first, in one query (brand staff only: see `revisions`)."""

    default = list

    def batch(self, keys):
        return group_by(
            PostRevision.objects.filter(post_id__in=keys).order_by("post_id", "-replaced_at", "-id"), "post_id"
        )


class CommentRevisionsLoader(Loader):
    default = list

    def batch(self, keys):
        rows = CommentRevision.objects.filter(comment_id__in=keys).order_by("comment_id", "-replaced_at", "-id")
        return group_by(rows, "comment_id")


def _revisions_for_staff(info, loader_class, key):
    """Previous versions are for moderators: brand staff get the list, everyone else null."""
    user = info.context.user
    if not (user.is_authenticated and user.is_brand_staff):
        return None
    return loader(info, loader_class).load(key)


# ---------------------------------------------------------------- types


class PostRevisionType(graphene.ObjectType):
    title = graphene.String()
    body = graphene.String(required=True)
    status = enum_field(ContentStatusEnum, "status", required=True)
    replaced_at = graphene.DateTime(required=True, description="When an edit replaced this text.")

    class Meta:
        name = "PostRevision"

    @staticmethod
    def resolve_title(root: PostRevision, info):
        return root.title or None


class CommentRevisionType(graphene.ObjectType):
    body = graphene.String(required=True)
    status = enum_field(ContentStatusEnum, "status", required=True)
    replaced_at = graphene.DateTime(required=True, description="When an edit replaced this text.")

    class Meta:
        name = "CommentRevision"


class PostImageType(graphene.ObjectType):
    url = graphene.String(required=True)
    thumbnail_url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)

    class Meta:
        name = "PostImage"

    @staticmethod
    def resolve_url(root: PostImage, info):
        return file_url(info, root.image)

    @staticmethod
    def resolve_thumbnail_url(root: PostImage, info):
        # Until Celery has made the thumbnail, the (already stripped) photo stands in for it.
        return file_url(info, root.thumbnail or root.image)


class CommentType(DjangoObjectType):
    post = graphene.Field(lambda: PostType, required=True)
    author = graphene.Field(USER, required=True)
    parent = graphene.Field(lambda: CommentType)
    status = enum_field(ContentStatusEnum, "status", required=True)
    edited_at = graphene.DateTime(description="When its author last edited it; null if never.")
    revisions = graphene.List(
        graphene.NonNull(CommentRevisionType),
        description="Earlier texts, newest first: brand staff only (null for everyone else).",
    )

    class Meta:
        model = Comment
        name = "Comment"
        interfaces = (relay.Node,)
        fields = ("id", "body", "created_at")

    @staticmethod
    def resolve_revisions(root: Comment, info):
        return _revisions_for_staff(info, CommentRevisionsLoader, root.pk)

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.filter(pk__in=selectors.visible_comments(info.context.user).values("pk"))

    @staticmethod
    def resolve_parent(root: Comment, info):
        return root.parent if root.parent_id else None


class CommentConnection(relay.Connection):
    class Meta:
        node = CommentType


class PostType(DjangoObjectType):
    author = graphene.Field(USER, required=True)
    circle = graphene.Field(CIRCLE)
    event = graphene.Field(EVENT)
    kind = enum_field(PostKind, "kind", required=True)
    title = graphene.String()
    images = graphene.List(graphene.NonNull(PostImageType), required=True)
    status = enum_field(ContentStatusEnum, "status", required=True)
    viewer_has_liked = graphene.Boolean(required=True)
    comments = graphene.Field(CommentConnection, first=graphene.Int(), after=graphene.String())
    edited_at = graphene.DateTime(description="When its author last edited the title or body; null if never.")
    revisions = graphene.List(
        graphene.NonNull(PostRevisionType),
        description="Earlier titles and bodies, newest first: brand staff only (null for everyone else).",
    )

    class Meta:
        model = Post
        name = "Post"
        interfaces = (relay.Node,)
        fields = ("id", "body", "pinned", "like_count", "comment_count", "created_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.filter(pk__in=selectors.readable_posts(info.context.user).values("pk"))

    @staticmethod
    def resolve_revisions(root: Post, info):
        return _revisions_for_staff(info, PostRevisionsLoader, root.pk)

    @staticmethod
    def resolve_event(root: Post, info):
        if root.event_id is None:
            return None
        return loader(info, VisibleEventLoader).load(root.event_id)

    @staticmethod
    def resolve_title(root: Post, info):
        return root.title or None

    @staticmethod
    def resolve_images(root: Post, info):
        return loader(info, ImagesByPostLoader).load(root.pk)

    @staticmethod
    def resolve_viewer_has_liked(root: Post, info):
        return loader(info, LikedByViewerLoader).load(root.pk)

    @staticmethod
    def resolve_comments(root: Post, info, first=None, after=None):
        if after is None:
            limit = clamp_first(first)
            rows = loader(info, FirstCommentsLoader).load((root.pk, limit))
            return then(
                rows,
                lambda found: connection_from_rows(
                    found, CommentConnection, limit=limit, ordering=("created_at", "id"), after=None
                ),
            )
        return paginate(
            selectors.comments_on(info.context.user, root),
            CommentConnection,
            first=first,
            after=after,
            ordering=("created_at", "id"),
        )


class PostConnection(relay.Connection):
    class Meta:
        node = PostType


# ---------------------------------------------------------------- queries


# ---------------------------------------------------------------- queries


class ContentQuery(graphene.ObjectType):
    feed = graphene.Field(
        PostConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="The viewer's feed: followed people, joined circles and brand announcements, newest first. "
        "Anonymous viewers get public posts.",
    )
    post = graphene.Field(PostType, id=graphene.ID(required=True))

    @staticmethod
    def resolve_feed(root, info, first=None, after=None):
        limit = clamp_first(first)
        values = decode_cursor(after, selectors.FEED_ORDERING, Post) if after else None
        rows = selectors.feed_page(info.context.user, limit=limit, after=values) if limit else []
        return connection_from_rows(rows, PostConnection, limit=limit, ordering=selectors.FEED_ORDERING, after=after)

    search_posts = graphene.Field(
        graphene.NonNull(PostConnection),
        query=graphene.String(required=True),
        first=graphene.Int(),
        after=graphene.String(),
        description="Posts the viewer may see whose title or body contains the query: title matches "
        "first, then newest first.",
    )

    @staticmethod
    def resolve_post(root, info, id):
        return selectors.post_for(info.context.user, ids.decode_argument(id, "Post"))

    @staticmethod
    def resolve_search_posts(root, info, query, first=None, after=None):
        try:
            query = clean_search_query(query)
        except ServiceError as error:
            raise argument_error(error) from None
        limit = clamp_first(first)
        values = decode_cursor(after, selectors.POST_SEARCH_ORDERING, Post) if after else None
        rows = selectors.search_posts_page(info.context.user, query, limit=limit, after=values) if limit else []
        return connection_from_rows(
            rows, PostConnection, limit=limit, ordering=selectors.POST_SEARCH_ORDERING, after=after
        )


def resolve_circle_posts(circle, info, first=None, after=None):
    """`Circle.posts`: members only for a private circle (null and FORBIDDEN for others)."""
    user = info.context.user

    def page(membership):
        if not circle_selectors.can_read_content(user, circle, membership):
            raise unauthenticated() if not user.is_authenticated else forbidden()
        return paginate(
            selectors.circle_posts(user, circle),
            PostConnection,
            first=first,
            after=after,
            ordering=selectors.FEED_ORDERING,
        )

    return then(viewer_membership(info, circle), page)


# ---------------------------------------------------------------- mutations


PostPayload = payload("PostPayload", post=PostType)
CommentPayload = payload("CommentPayload", comment=CommentType)


class CreatePostInput(IdempotentInput, graphene.InputObjectType):
    body = graphene.String(required=True)
    kind = PostKind()
    title = graphene.String()
    circle_id = graphene.ID()
    event_id = graphene.ID()
    images = graphene.List(graphene.NonNull(Upload))


class PostIdInput(graphene.InputObjectType):
    post_id = graphene.ID(required=True)


class AddCommentInput(IdempotentInput, graphene.InputObjectType):
    post_id = graphene.ID(required=True)
    body = graphene.String(required=True)
    parent_id = graphene.ID()


class CreatePost(ServiceMutation):
    Output = PostPayload
    access = SIGNED_IN
    idempotent_result = "post"
    input_type = CreatePostInput

    @classmethod
    def perform(cls, info, input):
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId") if input.circle_id else None
        event_id = ids.decode(input.event_id, "Event", field="eventId") if input.event_id else None
        post = services.create_post(
            user=info.context.user,
            body=input.body,
            kind=input.kind or Post.Kind.MOMENT,
            title=input.title,
            circle_id=circle_id,
            event_id=event_id,
            images=input.images or [],
        )
        return PostPayload(post=post)


def _post_id(input) -> int:
    return ids.decode(input.post_id, "Post", field="postId")


class PostAction(ServiceMutation):
    """A mutation that hands the post ID to one service: `service(user=..., post_id=...)`."""

    class Meta:
        abstract = True

    Output = PostPayload
    access = SIGNED_IN
    input_type = PostIdInput
    decode = {"post_id": "Post"}


class DeletePost(PostAction):
    service = staticmethod(services.delete_post)


class LikePost(PostAction):
    service = staticmethod(services.like_post)


class UnlikePost(PostAction):
    service = staticmethod(services.unlike_post)


class AddComment(ServiceMutation):
    Output = CommentPayload
    access = SIGNED_IN
    idempotent_result = "comment"
    input_type = AddCommentInput

    @classmethod
    def perform(cls, info, input):
        parent_id = ids.decode(input.parent_id, "Comment", field="parentId") if input.parent_id else None
        comment = services.add_comment(
            user=info.context.user, post_id=_post_id(input), body=input.body, parent_id=parent_id
        )
        return CommentPayload(comment=comment)


class UpdatePostInput(graphene.InputObjectType):
    post_id = graphene.ID(required=True)
    body = graphene.String(description="The new body; omitted: unchanged.")
    title = graphene.String(description="The new title; omitted: unchanged.")


class UpdatePost(ServiceMutation):
    """The author edits a post: the word filter and the new-user limits apply as to a new post."""

    Output = PostPayload
    access = SIGNED_IN
    input_type = UpdatePostInput

    @classmethod
    def perform(cls, info, input):
        post = services.update_post(
            user=info.context.user, post_id=_post_id(input), body=input.get("body"), title=input.get("title")
        )
        return PostPayload(post=post)


def _comment_id(input) -> int:
    return ids.decode(input.comment_id, "Comment", field="commentId")


class UpdateCommentInput(graphene.InputObjectType):
    comment_id = graphene.ID(required=True)
    body = graphene.String(required=True)


class UpdateComment(ServiceMutation):
    """The author edits a comment: the word filter and the new-user limits apply as to a new comment."""

    Output = CommentPayload
    access = SIGNED_IN
    input_type = UpdateCommentInput
    service = services.update_comment
    decode = {"comment_id": "Comment"}


class CommentIdInput(graphene.InputObjectType):
    comment_id = graphene.ID(required=True)


class DeleteComment(ServiceMutation):
    """The author, the circle's hosts and co-hosts, or brand staff; its replies go with it."""

    Output = CommentPayload
    access = SIGNED_IN
    input_type = CommentIdInput
    service = services.delete_comment
    decode = {"comment_id": "Comment"}


class ContentMutation(graphene.ObjectType):
    update_post = UpdatePost.Field()
    update_comment = UpdateComment.Field()
    delete_comment = DeleteComment.Field()
    create_post = CreatePost.Field()
    delete_post = DeletePost.Field()
    like_post = LikePost.Field()
    unlike_post = UnlikePost.Field()
    add_comment = AddComment.Field()
