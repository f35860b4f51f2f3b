"""GraphQL for the brand team's moderation: reports, held posts, the queue, pinning (thin: services decide)."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext_lazy
from graphene import relay
from graphene_django import DjangoObjectType
from graphql_relay import from_global_id, to_global_id

from community.content.schema import CommentType, PostConnection, PostPayload, PostType
from community.graphql import ids
from community.graphql.enums import enum_field, plain
from community.graphql.errors import require_brand_viewer
from community.graphql.loaders import Loader, loader
from community.graphql.mutations import BRAND_STAFF, SIGNED_IN, ServiceMutation, payload
from community.graphql.nodes import brand_staff_only
from community.graphql.pagination import paginate
from community.kernel.errors import ErrorCode, ServiceError
from community.messaging import selectors as messaging_selectors
from community.messaging import services as messaging_services
from community.messaging.schema import DirectMessageConnection, DirectMessagePayload, DirectMessageType
from community.models import Mute
from community.moderation import selectors, services
from community.moderation.models import REPORT_DECISIONS, ModerationAction, Report

ReportReason = graphene.Enum("ReportReason", [(r, r) for r in Report.Reason.values])
ReportStatus = graphene.Enum("ReportStatus", [(s, s) for s in Report.Status.values])
ModerationActionKind = graphene.Enum("ModerationActionKind", [(a, a) for a in ModerationAction.Action.values])
ModerationDecision = graphene.Enum("ModerationDecision", [(d.value, d.value) for d in REPORT_DECISIONS])

# The assembled type, by name: the root schema imports this module.
USER = "community.schema.UserType"
CHAT_MESSAGE = "circles.schema.ChatMessageType"

# Global ID type names that can be reported, and the kind the service takes.
REPORTABLE = {"Post": "post", "Comment": "comment", "ChatMessage": "chat", "DirectMessage": "dm", "User": "user"}


class RecentActivityLoader(Loader):
    """The reported people's latest activities, for a whole page of reports at once."""

    default = list

    def batch(self, keys):
        return selectors.recent_activity_of(list(keys))


class UserActivityType(graphene.ObjectType):
    """One thing a reported person did lately (brand staff only)."""

    class Meta:
        name = "UserActivity"

    verb = graphene.String(required=True, description="What happened, e.g. post.created, user.followed.")
    created_at = graphene.DateTime(required=True)
    target_id = graphene.ID(description="Global ID of what it was about, when it is something the API shows.")

    @staticmethod
    def resolve_target_id(root, info):
        if root.target_type_id is None or root.target_id is None:
            return None
        return to_global_id(root.target_type.model_class().__name__, root.target_id)


class ReportType(DjangoObjectType):
    reporter = graphene.Field(USER, required=True)
    reason = enum_field(ReportReason, "reason", required=True)
    note = graphene.String()
    status = enum_field(ReportStatus, "status", required=True)
    post = graphene.Field(PostType)
    comment = graphene.Field(CommentType)
    chat_message = graphene.Field(CHAT_MESSAGE)
    direct_message = graphene.Field(DirectMessageType, description="A reported private message.")
    direct_message_context = graphene.List(
        graphene.NonNull(DirectMessageType),
        description="Brand staff only: the reported private message with the few messages around it, oldest "
        "first (never the whole conversation).",
    )
    reported_user = graphene.Field(USER, description="The person reported (profile abuse, a fake account).")
    reported_user_activity = graphene.List(
        graphene.NonNull(UserActivityType),
        description="Brand staff only: the reported person's latest activities, newest first.",
    )

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
    def resolve_note(root: Report, info):
        return root.note or None

    @staticmethod
    def resolve_direct_message_context(root: Report, info):
        viewer = info.context.user
        if root.direct_message_id is None or not (viewer.is_authenticated and viewer.is_brand_staff):
            return None
        return messaging_selectors.message_context(root.direct_message)

    @staticmethod
    def resolve_reported_user_activity(root: Report, info):
        viewer = info.context.user
        if root.reported_user_id is None or not (viewer.is_authenticated and viewer.is_brand_staff):
            return None
        return loader(info, RecentActivityLoader).load(root.reported_user_id)


class ReportConnection(relay.Connection):
    class Meta:
        node = ReportType


class ModerationLogEntryType(DjangoObjectType):
    """One entry of the audit log: who did what to which content or user, why, and when."""

    action = enum_field(ModerationActionKind, "action", required=True)
    moderator = graphene.Field(USER, description="Null when the system acted (the word filter, three reports).")
    subject = graphene.Field(USER, description="Whose content or account it was.")
    target_type = graphene.String(required=True, description="Post, Comment, ChatMessage or Mute.")
    target_id = graphene.ID(required=True, description="The target's global ID.")
    report = graphene.Field(ReportType)
    note = graphene.String()

    class Meta:
        model = ModerationAction
        name = "ModerationLogEntry"
        interfaces = (relay.Node,)
        fields = ("id", "created_at")

    get_queryset = brand_staff_only()

    @staticmethod
    def resolve_target_type(root: ModerationAction, info):
        return TARGET_TYPE_NAMES.get(root.target_type.model, root.target_type.model)

    @staticmethod
    def resolve_target_id(root: ModerationAction, info):
        return to_global_id(TARGET_TYPE_NAMES.get(root.target_type.model, root.target_type.model), root.target_id)

    @staticmethod
    def resolve_note(root: ModerationAction, info):
        return root.note or None


# Content type model names (lower case) to the API's type names.
TARGET_TYPE_NAMES = {
    "post": "Post",
    "comment": "Comment",
    "chatmessage": "ChatMessage",
    "directmessage": "DirectMessage",
    "mute": "Mute",
    "user": "User",
}


class ModerationLogConnection(relay.Connection):
    class Meta:
        node = ModerationLogEntryType


class MuteType(DjangoObjectType):
    """A mute that lasts: until it ends, its user can't post, comment or chat."""

    user = graphene.Field(USER, required=True)
    created_by = graphene.Field(USER)
    reason = graphene.String()

    class Meta:
        model = Mute
        name = "Mute"
        interfaces = (relay.Node,)
        fields = ("id", "until", "created_at")

    get_queryset = brand_staff_only()

    @staticmethod
    def resolve_reason(root: Mute, info):
        return root.reason or None


class MuteConnection(relay.Connection):
    class Meta:
        node = MuteType


# ---------------------------------------------------------------- queries


class ModerationQuery(graphene.ObjectType):
    pending_posts = graphene.Field(
        PostConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="Brand staff only: posts and comments held by the word filter or the new-user sandbox.",
    )
    pending_direct_messages = graphene.Field(
        DirectMessageConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="Brand staff only: private messages held by the word filter, oldest first; each with "
        "`recipient`, `heldReason` and `reviewContext` (the few messages around it, never the conversation).",
    )
    moderation_queue = graphene.Field(
        ReportConnection,
        first=graphene.Int(),
        after=graphene.String(),
        status=ReportStatus(),
        description="Brand staff only.",
    )

    moderation_log = graphene.Field(
        ModerationLogConnection,
        first=graphene.Int(),
        after=graphene.String(),
        action=ModerationActionKind(),
        description="Brand staff only: the audit log, newest first (one kind of action with `action`).",
    )
    moderation_mutes = graphene.Field(
        MuteConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="Brand staff only: the mutes that still last, those ending soonest first.",
    )

    @staticmethod
    def resolve_moderation_log(root, info, first=None, after=None, action=None):
        require_brand_viewer(info)
        return paginate(selectors.moderation_log(plain(action)), ModerationLogConnection, first=first, after=after)

    @staticmethod
    def resolve_moderation_mutes(root, info, first=None, after=None):
        require_brand_viewer(info)
        return paginate(selectors.active_mutes(), MuteConnection, first=first, after=after, ordering=("until", "id"))

    @staticmethod
    def resolve_pending_posts(root, info, first=None, after=None):
        require_brand_viewer(info)
        return paginate(selectors.pending_posts(), PostConnection, first=first, after=after)

    @staticmethod
    def resolve_pending_direct_messages(root, info, first=None, after=None):
        require_brand_viewer(info)
        return paginate(
            messaging_selectors.held_messages(),
            DirectMessageConnection,
            first=first,
            after=after,
            ordering=("created_at", "id"),
        )

    @staticmethod
    def resolve_moderation_queue(root, info, first=None, after=None, status=Report.Status.OPEN):
        require_brand_viewer(info)
        return paginate(
            selectors.moderation_queue(plain(status)),
            ReportConnection,
            first=first,
            after=after,
            ordering=("created_at", "id"),
        )


# ---------------------------------------------------------------- mutations


ReportPayload = payload("ReportPayload", report=ReportType)


class ReportContentInput(graphene.InputObjectType):
    target_id = graphene.ID(
        required=True,
        description="Global ID of a post, a comment, a chat message, a private message or a user (profile "
        "abuse, fake accounts).",
    )
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


class ReviewDirectMessageInput(graphene.InputObjectType):
    message_id = graphene.ID(required=True)
    approve = graphene.Boolean(required=True, description="Deliver it (true) or hide it for good (false).")


class SetPostPinnedInput(graphene.InputObjectType):
    post_id = graphene.ID(required=True)
    pinned = graphene.Boolean(required=True)


def _post_id(input) -> int:
    return ids.decode(input.post_id, "Post", field="postId")


class ReportContent(ServiceMutation):
    Output = ReportPayload
    access = SIGNED_IN
    input_type = ReportContentInput

    @classmethod
    def perform(cls, info, input):
        try:
            type_name, raw_pk = from_global_id(input.target_id)
            pk = int(raw_pk)
            kind = REPORTABLE[type_name]
        except (ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise ServiceError(
                ErrorCode.INVALID,
                gettext_lazy("Only people, posts, comments and messages can be reported."),
                "targetId",
            ) from None
        report = services.report_content(
            user=info.context.user, kind=kind, target_id=pk, reason=input.reason, note=input.note
        )
        return ReportPayload(report=report)


class ResolveReport(ServiceMutation):
    Output = ReportPayload
    access = BRAND_STAFF
    input_type = ResolveReportInput
    service = services.resolve_report
    decode = {"report_id": "Report"}


class ReviewPost(ServiceMutation):
    Output = PostPayload
    access = BRAND_STAFF
    input_type = ReviewPostInput
    service = services.review_post
    decode = {"post_id": "Post"}


class ReviewDirectMessage(ServiceMutation):
    Output = DirectMessagePayload
    access = BRAND_STAFF

    class Arguments:
        input = ReviewDirectMessageInput(required=True)

    @classmethod
    def perform(cls, info, input):
        message = messaging_services.review_direct_message(
            user=info.context.user,
            message_id=ids.decode(input.message_id, "DirectMessage", field="messageId"),
            publish=input.approve,
        )
        return DirectMessagePayload(message=message)


class SetPostPinned(ServiceMutation):
    Output = PostPayload
    access = BRAND_STAFF
    input_type = SetPostPinnedInput
    service = services.set_post_pinned
    decode = {"post_id": "Post"}


MutePayload = payload("MutePayload", mute=MuteType)


class LiftMuteInput(graphene.InputObjectType):
    mute_id = graphene.ID(required=True)


class LiftMute(ServiceMutation):
    Output = MutePayload
    access = BRAND_STAFF
    input_type = LiftMuteInput
    service = services.lift_mute
    decode = {"mute_id": "Mute"}


class ModerationMutation(graphene.ObjectType):
    report_content = ReportContent.Field()
    resolve_report = ResolveReport.Field(description="Brand staff only.")
    review_post = ReviewPost.Field(description="Brand staff only.")
    review_direct_message = ReviewDirectMessage.Field(
        description="Brand staff only: deliver a private message the word filter held, or hide it."
    )
    set_post_pinned = SetPostPinned.Field(description="Brand staff only: pin or unpin an announcement.")
    lift_mute = LiftMute.Field(description="Brand staff only: end a mute now.")
