"""GraphQL for posts, comments, likes, reports and moderation (thin: services and selectors do the work)."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy
from graphene import relay
from graphene_django import DjangoObjectType
from graphql_relay import from_global_id

from community import selectors, services
from community.graphql import ids
from community.graphql.errors import forbidden, require_brand_viewer, unauthenticated
from community.graphql.ids import enum_value as _enum_value
from community.graphql.loaders import Loader, group_by, loader
from community.graphql.media import file_url
from community.graphql.mutations import Payload, ServiceMutation
from community.graphql.pagination import clamp_first, connection_from_rows, decode_cursor, paginate
from community.graphql.scalars import Upload
from community.kernel.errors import ErrorCode, ServiceError
from community.models import Comment, ContentStatus, Like, Post, PostImage, Report

PostKind = graphene.Enum("PostKind", [(k, k) for k in Post.Kind.values])
ContentStatusEnum = graphene.Enum("ContentStatus", [(s, s) for s in ContentStatus.values])
ReportReason = graphene.Enum("ReportReason", [(r, r) for r in Report.Reason.values])
ReportStatus = graphene.Enum("ReportStatus", [(s, s) for s in Report.Status.values])
ModerationDecision = graphene.Enum("ModerationDecision", [(d, d) for d in ("HIDE", "DELETE", "DISMISS", "MUTE_AUTHOR")])


# Lazy references: those modules import this one through the root schema.
USER = "community.schema.UserType"
CIRCLE = "circles.schema.CircleType"
CHAT_MESSAGE = "circles.schema.ChatMessageType"
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
        from django.db.models import F, Window
        from django.db.models.functions import RowNumber

        limit = max(first for _post, first in keys)
        post_ids = {post for post, _first in keys}
        visible = selectors.visible_comments(self.viewer).filter(post_id__in=post_ids)
        ranked = (
            visible.annotate(rank=Window(RowNumber(), partition_by=[F("post_id")], order_by=[F("created_at"), F("id")]))
            .select_related("author")
            .order_by("post_id", "created_at", "id")
        )
        rows = [c for c in ranked if c.rank <= limit + 1]
        by_post = group_by(rows, "post_id")
        return {(post, first): by_post.get(post, [])[: first + 1] for post, first in keys}


# ---------------------------------------------------------------- types


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
    status = graphene.Field(ContentStatusEnum, required=True)

    class Meta:
        model = Comment
        name = "Comment"
        interfaces = (relay.Node,)
        fields = ("id", "body", "created_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.filter(pk__in=selectors.visible_comments(info.context.user).values("pk"))

    @staticmethod
    def resolve_parent(root: Comment, info):
        return root.parent if root.parent_id else None

    @staticmethod
    def resolve_status(root: Comment, info):
        return _enum_value(root.status)


class CommentConnection(relay.Connection):
    class Meta:
        node = CommentType


class PostType(DjangoObjectType):
    author = graphene.Field(USER, required=True)
    circle = graphene.Field(CIRCLE)
    event = graphene.Field(EVENT)
    kind = graphene.Field(PostKind, required=True)
    title = graphene.String()
    images = graphene.List(graphene.NonNull(PostImageType), required=True)
    status = graphene.Field(ContentStatusEnum, required=True)
    viewer_has_liked = graphene.Boolean(required=True)
    comments = graphene.Field(CommentConnection, first=graphene.Int(), after=graphene.String())

    class Meta:
        model = Post
        name = "Post"
        interfaces = (relay.Node,)
        fields = ("id", "body", "pinned", "like_count", "comment_count", "created_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.filter(pk__in=selectors.readable_posts(info.context.user).values("pk"))

    @staticmethod
    def resolve_event(root: Post, info):
        if root.event_id is None:
            return None
        from events.loaders import VisibleEventLoader

        return loader(info, VisibleEventLoader).load(root.event_id)

    @staticmethod
    def resolve_kind(root: Post, info):
        return _enum_value(root.kind)

    @staticmethod
    def resolve_status(root: Post, info):
        return _enum_value(root.status)

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
        from community.graphql.loaders import then
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


class ReportType(DjangoObjectType):
    reporter = graphene.Field(USER, required=True)
    reason = graphene.Field(ReportReason, required=True)
    note = graphene.String()
    status = graphene.Field(ReportStatus, required=True)
    post = graphene.Field(PostType)
    comment = graphene.Field(CommentType)
    chat_message = graphene.Field(CHAT_MESSAGE)

    class Meta:
        model = Report
        name = "Report"
        interfaces = (relay.Node,)
        fields = ("id", "created_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        user = info.context.user
        if user.is_authenticated and user.is_brand_staff:
            return queryset
        return queryset.filter(reporter=user) if user.is_authenticated else queryset.none()

    @staticmethod
    def resolve_reason(root: Report, info):
        return _enum_value(root.reason)

    @staticmethod
    def resolve_status(root: Report, info):
        return _enum_value(root.status)

    @staticmethod
    def resolve_note(root: Report, info):
        return root.note or None


class ReportConnection(relay.Connection):
    class Meta:
        node = ReportType


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
    pending_posts = graphene.Field(
        PostConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="Brand staff only: posts and comments held by the word filter or the new-user sandbox.",
    )
    moderation_queue = graphene.Field(
        ReportConnection,
        first=graphene.Int(),
        after=graphene.String(),
        status=ReportStatus(),
        description="Brand staff only.",
    )

    @staticmethod
    def resolve_feed(root, info, first=None, after=None):
        limit = clamp_first(first)
        values = decode_cursor(after, len(selectors.FEED_ORDERING)) if after else None
        rows = selectors.feed_page(info.context.user, limit=limit, after=values) if limit else []
        return connection_from_rows(rows, PostConnection, limit=limit, ordering=selectors.FEED_ORDERING, after=after)

    @staticmethod
    def resolve_post(root, info, id):
        return selectors.post_for(info.context.user, ids.decode_argument(id, "Post"))

    @staticmethod
    def resolve_pending_posts(root, info, first=None, after=None):
        require_brand_viewer(info)
        return paginate(selectors.pending_posts(), PostConnection, first=first, after=after)

    @staticmethod
    def resolve_moderation_queue(root, info, first=None, after=None, status="OPEN"):
        require_brand_viewer(info)
        value = status.value if hasattr(status, "value") else status
        return paginate(
            selectors.moderation_queue(value), ReportConnection, first=first, after=after, ordering=("created_at", "id")
        )


def circle_posts_connection(info, circle, first=None, after=None):
    """`Circle.posts`: members only for a private circle (null and FORBIDDEN for others)."""
    from circles import selectors as circle_selectors

    user = info.context.user
    if not circle_selectors.can_read_content(user, circle, circle_selectors.membership_of(user, circle.pk)):
        raise unauthenticated() if not user.is_authenticated else forbidden()
    return paginate(
        selectors.circle_posts(user, circle), PostConnection, first=first, after=after, ordering=selectors.FEED_ORDERING
    )


# ---------------------------------------------------------------- mutations


class PostPayload(Payload):
    post = graphene.Field(PostType)


class CommentPayload(Payload):
    comment = graphene.Field(CommentType)


class ReportPayload(Payload):
    report = graphene.Field(ReportType)


class CreatePostInput(graphene.InputObjectType):
    body = graphene.String(required=True)
    kind = PostKind()
    title = graphene.String()
    circle_id = graphene.ID()
    event_id = graphene.ID()
    images = graphene.List(graphene.NonNull(Upload))


class PostIdInput(graphene.InputObjectType):
    post_id = graphene.ID(required=True)


class AddCommentInput(graphene.InputObjectType):
    post_id = graphene.ID(required=True)
    body = graphene.String(required=True)
    parent_id = graphene.ID()


class ReportContentInput(graphene.InputObjectType):
    target_id = graphene.ID(required=True, description="Global ID of a post, a comment or a chat message.")
    reason = ReportReason(required=True)
    note = graphene.String()


class ResolveReportInput(graphene.InputObjectType):
    report_id = graphene.ID(required=True)
    decision = ModerationDecision(required=True)
    mute_days = graphene.Int()
    note = graphene.String()


class ReviewPostInput(graphene.InputObjectType):
    post_id = graphene.ID(required=True)
    approve = graphene.Boolean(required=True)


class SetPostPinnedInput(graphene.InputObjectType):
    post_id = graphene.ID(required=True)
    pinned = graphene.Boolean(required=True)


class CreatePost(ServiceMutation):
    Output = PostPayload

    class Arguments:
        input = CreatePostInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_user(info.context.user)
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId") if input.circle_id else None
        event_id = ids.decode(input.event_id, "Event", field="eventId") if input.event_id else None
        post = services.create_post(
            user=info.context.user,
            body=input.body,
            kind=_enum_value(input.kind) or "MOMENT",
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

    class Arguments:
        input = PostIdInput(required=True)

    service = None

    @classmethod
    def perform(cls, info, input):
        services.require_user(info.context.user)
        return PostPayload(post=cls.service(user=info.context.user, post_id=_post_id(input)))


class DeletePost(PostAction):
    service = staticmethod(services.delete_post)


class LikePost(PostAction):
    service = staticmethod(services.like_post)


class UnlikePost(PostAction):
    service = staticmethod(services.unlike_post)


class AddComment(ServiceMutation):
    Output = CommentPayload

    class Arguments:
        input = AddCommentInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_user(info.context.user)
        parent_id = ids.decode(input.parent_id, "Comment", field="parentId") if input.parent_id else None
        comment = services.add_comment(
            user=info.context.user, post_id=_post_id(input), body=input.body, parent_id=parent_id
        )
        return CommentPayload(comment=comment)


REPORTABLE = {"Post": "post", "Comment": "comment", "ChatMessage": "chat"}


class ReportContent(ServiceMutation):
    Output = ReportPayload

    class Arguments:
        input = ReportContentInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_user(info.context.user)
        try:
            type_name, raw_pk = from_global_id(input.target_id)
            pk = int(raw_pk)
            kind = REPORTABLE[type_name]
        except (ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise ServiceError(
                ErrorCode.INVALID, gettext_lazy("Only posts, comments and chat messages can be reported."), "targetId"
            ) from None
        report = services.report_content(
            user=info.context.user, kind=kind, target_id=pk, reason=_enum_value(input.reason), note=input.note
        )
        return ReportPayload(report=report)


class ResolveReport(ServiceMutation):
    Output = ReportPayload

    class Arguments:
        input = ResolveReportInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_brand_staff(info.context.user)
        report = services.resolve_report(
            user=info.context.user,
            report_id=ids.decode(input.report_id, "Report", field="reportId"),
            decision=_enum_value(input.decision),
            mute_days=input.mute_days,
            note=input.note,
        )
        return ReportPayload(report=report)


class ReviewPost(ServiceMutation):
    Output = PostPayload

    class Arguments:
        input = ReviewPostInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_brand_staff(info.context.user)
        post = services.review_post(user=info.context.user, post_id=_post_id(input), approve=input.approve)
        return PostPayload(post=post)


class SetPostPinned(ServiceMutation):
    Output = PostPayload

    class Arguments:
        input = SetPostPinnedInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_brand_staff(info.context.user)
        post = services.set_post_pinned(user=info.context.user, post_id=_post_id(input), pinned=input.pinned)
        return PostPayload(post=post)


class ContentMutation(graphene.ObjectType):
    create_post = CreatePost.Field()
    delete_post = DeletePost.Field()
    like_post = LikePost.Field()
    unlike_post = UnlikePost.Field()
    add_comment = AddComment.Field()
    report_content = ReportContent.Field()
    resolve_report = ResolveReport.Field(description="Brand staff only.")
    review_post = ReviewPost.Field(description="Brand staff only.")
    set_post_pinned = SetPostPinned.Field(description="Brand staff only: pin or unpin an announcement.")
