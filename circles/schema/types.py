"""The circle types: circles, memberships, chat messages, invites and the host dashboard."""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from circles import selectors
from circles.loaders import CircleByIdLoader, CircleHostLoader, ViewerMembershipLoader
from circles.models import ChatMessage, Circle, Invite, Membership
from community.accounts.loaders import UserByIdLoader
from community.graphql.enums import enum_field, plain
from community.graphql.errors import forbidden
from community.graphql.loaders import loader, then
from community.graphql.media import file_url
from community.graphql.nodes import visible_through
from community.graphql.pagination import paginate
from community.graphql.slots import slot_field

USER = "community.schema.UserType"


CircleKind = graphene.Enum("CircleKind", [(v, v) for v in Circle.Kind.values])


JoinPolicy = graphene.Enum("JoinPolicy", [(v, v) for v in Circle.JoinPolicy.values])


Visibility = graphene.Enum("Visibility", [(v, v) for v in Circle.Visibility.values])


CircleStatus = graphene.Enum("CircleStatus", [(v, v) for v in Circle.Status.values])


CircleRole = graphene.Enum("CircleRole", [(v, v) for v in Membership.Role.values])


MembershipStatus = graphene.Enum("MembershipStatus", [(v, v) for v in Membership.Status.values])


def viewer_membership(info, circle: Circle):
    """The viewer's membership of `circle` (or None), batched over a list of circles."""
    return loader(info, ViewerMembershipLoader).load(circle.pk)


def circle_of(info, row):
    """The circle of a membership or message: the joined row when the list selected it, else batched."""
    if type(row).circle.is_cached(row):
        return row.circle
    return loader(info, CircleByIdLoader).load(row.circle_id)


class MembershipType(DjangoObjectType):
    user = graphene.Field(USER, required=True)
    circle = graphene.Field(lambda: CircleType, required=True)
    role = enum_field(CircleRole, "role", required=True)
    status = enum_field(MembershipStatus, "status", required=True)
    joined_at = graphene.DateTime()
    invited_by = graphene.Field(USER, description="Who brought this member in with an invite.")
    muted_until = graphene.DateTime(description="Until when the member may not chat here.")

    class Meta:
        model = Membership
        name = "Membership"
        interfaces = (relay.Node,)
        fields = ("id",)

    get_queryset = visible_through(selectors.visible_memberships)

    @staticmethod
    def resolve_user(root: Membership, info):
        return root.user

    @staticmethod
    def resolve_circle(root: Membership, info):
        return circle_of(info, root)

    @staticmethod
    def resolve_joined_at(root: Membership, info):
        return root.joined_at

    @staticmethod
    def resolve_invited_by(root: Membership, info):
        return loader(info, UserByIdLoader).load(root.invited_by_id) if root.invited_by_id else None

    @staticmethod
    def resolve_muted_until(root: Membership, info):
        return root.muted_until if root.is_muted() else None


class MembershipConnection(relay.Connection):
    class Meta:
        node = MembershipType


class ChatMessageType(DjangoObjectType):
    circle = graphene.Field(lambda: CircleType, required=True)
    author = graphene.Field(USER, required=True)
    reply_to = graphene.Field(lambda: ChatMessageType)
    pending_review = graphene.Boolean(
        required=True, description="Held by the word filter: only its author sees it until brand staff pass it."
    )
    deleted = graphene.Boolean(
        required=True,
        description="Deleted by a host or co-host: the chat subscription delivers it once so clients remove it "
        "(its body is then empty).",
    )

    class Meta:
        model = ChatMessage
        name = "ChatMessage"
        interfaces = (relay.Node,)
        fields = ("id", "body", "created_at")

    get_queryset = visible_through(selectors.visible_chat_messages)

    @staticmethod
    def resolve_circle(root: ChatMessage, info):
        return circle_of(info, root)

    @staticmethod
    def resolve_deleted(root: ChatMessage, info):
        return root.status == ChatMessage.Status.DELETED

    @staticmethod
    def resolve_author(root: ChatMessage, info):
        return root.author

    @staticmethod
    def resolve_reply_to(root: ChatMessage, info):
        replied = root.reply_to
        if replied is None:
            return None
        if replied.status == ChatMessage.Status.PUBLISHED or replied.author_id == info.context.user.pk:
            return replied
        return None

    @staticmethod
    def resolve_pending_review(root: ChatMessage, info):
        return root.status == ChatMessage.Status.PENDING_REVIEW


class ChatMessageConnection(relay.Connection):
    class Meta:
        node = ChatMessageType


class InviteType(DjangoObjectType):
    code = graphene.String(required=True)
    circle = graphene.Field(lambda: CircleType, required=True)
    max_uses = graphene.Int()
    uses = graphene.Int(required=True)
    expires_at = graphene.DateTime()
    created_by = graphene.Field(USER)
    revoked = graphene.Boolean(required=True)

    class Meta:
        model = Invite
        name = "Invite"
        fields = ("created_at",)

    @staticmethod
    def resolve_circle(root: Invite, info):
        return circle_of(info, root)

    @staticmethod
    def resolve_created_by(root: Invite, info):
        return loader(info, UserByIdLoader).load(root.created_by_id)

    @staticmethod
    def resolve_revoked(root: Invite, info):
        return root.revoked_at is not None


class InviteConnection(relay.Connection):
    class Meta:
        node = InviteType


class CircleWeek(graphene.ObjectType):
    week_start = graphene.Date(required=True, description="The Monday the week starts on.")
    joined = graphene.Int(required=True)
    left = graphene.Int(required=True)
    active_members = graphene.Int(
        required=True, description="Current members who did anything in the circle that week."
    )
    events = graphene.Int(required=True, description="Events published in the circle that week.")
    messages = graphene.Int(required=True, description="Chat messages posted (and not hidden) that week.")


class CircleDashboard(graphene.ObjectType):
    """A host's figures for their circle."""

    weeks = graphene.List(graphene.NonNull(CircleWeek), required=True, description="Oldest first.")
    active_members_this_week = graphene.Int(
        required=True, description="Members who did anything in the circle since Monday."
    )
    messages_this_month = graphene.Int(required=True)
    events_this_month = graphene.Int(
        required=True, description="Events published in the circle this month (from the activity stream)."
    )
    pending_requests = graphene.Int(required=True)


class CircleType(DjangoObjectType):
    cover_url = graphene.String(description="Its cover image (cleaned: no metadata), or null.")
    kind = enum_field(CircleKind, "kind", required=True)
    city = graphene.String()
    join_policy = enum_field(JoinPolicy, "join_policy", required=True)
    visibility = enum_field(Visibility, "visibility", required=True)
    status = enum_field(CircleStatus, "status", required=True)
    host = graphene.Field(USER)
    member_count = graphene.Int(required=True)
    activity_score = graphene.Float(required=True)
    viewer_membership = graphene.Field(MembershipType)
    members = graphene.Field(
        MembershipConnection,
        first=graphene.Int(),
        after=graphene.String(),
        role=CircleRole(),
        status=MembershipStatus(),
        description="Active members unless `status` says otherwise (other statuses: hosts and co-hosts only).",
    )
    posts = slot_field(
        "Circle.posts",
        first=graphene.Int(),
        after=graphene.String(),
        description="Members only in a private circle; pinned announcements first, then newest first.",
    )
    chat_messages = graphene.Field(
        ChatMessageConnection,
        last=graphene.Int(),
        before=graphene.String(),
        description="Newest last; page backwards with last/before.",
    )
    dashboard = graphene.Field(
        CircleDashboard,
        weeks=graphene.Int(description="How many weeks back, this one included (default 8, at most 26)."),
        description="Hosts, co-hosts and brand staff only.",
    )
    events = slot_field(
        "Circle.events",
        first=graphene.Int(),
        after=graphene.String(),
        upcoming=graphene.Boolean(),
        description="The circle's events, readable like its other content (members only for a private circle).",
    )
    invites = graphene.Field(
        InviteConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="Hosts, co-hosts and brand staff only: the circle's invites, newest first.",
    )

    class Meta:
        model = Circle
        name = "Circle"
        interfaces = (relay.Node,)
        fields = ("id", "name", "description", "created_at")

    get_queryset = visible_through(selectors.visible_circles)

    @staticmethod
    def resolve_cover_url(root: Circle, info):
        return file_url(info, root.cover)

    @staticmethod
    def resolve_city(root: Circle, info):
        return root.city or None

    @staticmethod
    def resolve_host(root: Circle, info):
        return loader(info, CircleHostLoader).load(root.pk)

    @staticmethod
    def resolve_viewer_membership(root: Circle, info):
        return viewer_membership(info, root)

    @staticmethod
    def resolve_members(root: Circle, info, first=None, after=None, role=None, status=None):
        viewer = info.context.user
        wanted = plain(status) or Membership.Status.ACTIVE

        def page(membership):
            if not selectors.can_read_content(viewer, root, membership):
                raise forbidden()
            if wanted != Membership.Status.ACTIVE and not selectors.can_manage(viewer, membership):
                raise forbidden()
            return paginate(
                selectors.members(root, role=plain(role), status=wanted),
                MembershipConnection,
                first=first,
                after=after,
                ordering=selectors.MEMBER_ORDERING,
            )

        return then(viewer_membership(info, root), page)

    @staticmethod
    def resolve_chat_messages(root: Circle, info, last=None, before=None):
        viewer = info.context.user

        def page(membership):
            if not selectors.can_read_content(viewer, root, membership):
                raise forbidden()
            # The newest `last` before the cursor, then turned around: newest last.
            newest_first = paginate(
                selectors.chat_history(root, viewer),
                ChatMessageConnection,
                first=last,
                after=before,
                ordering=("-created_at", "-id"),
            )
            edges = list(reversed(newest_first.edges))
            return ChatMessageConnection(
                edges=edges,
                page_info=relay.PageInfo(
                    has_previous_page=newest_first.page_info.has_next_page,
                    has_next_page=bool(before),
                    start_cursor=edges[0].cursor if edges else None,
                    end_cursor=edges[-1].cursor if edges else None,
                ),
            )

        return then(viewer_membership(info, root), page)

    @staticmethod
    def resolve_dashboard(root: Circle, info, weeks=None):
        viewer = info.context.user

        def figures(membership):
            if not selectors.can_manage(viewer, membership):
                raise forbidden()
            return selectors.dashboard(root, weeks=weeks or 8)

        return then(viewer_membership(info, root), figures)

    @staticmethod
    def resolve_invites(root: Circle, info, first=None, after=None):
        viewer = info.context.user

        def page(membership):
            if not selectors.can_manage(viewer, membership):
                raise forbidden()
            return paginate(selectors.invites(root), InviteConnection, first=first, after=after)

        return then(viewer_membership(info, root), page)


class CircleConnection(relay.Connection):
    class Meta:
        node = CircleType
