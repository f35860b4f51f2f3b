"""GraphQL for circles: types, queries, mutations and the chat subscription. Thin: services and selectors
hold the rules."""

from __future__ import annotations

import graphene
from channels.db import database_sync_to_async
from graphene import relay
from graphene_django import DjangoObjectType

from circles import selectors, services
from circles.loaders import CircleByIdLoader, CircleHostLoader, ViewerMembershipLoader
from circles.models import ChatMessage, Circle, Invite, Membership
from community import services as community_services
from community.graphql import ids
from community.graphql.errors import forbidden, not_found, require_brand_viewer, unauthenticated
from community.graphql.ids import decode_argument as _decode
from community.graphql.ids import enum_value as _value
from community.graphql.loaders import UserByIdLoader, loader, then
from community.graphql.mutations import Payload, ServiceMutation, provided
from community.graphql.pagination import paginate
from community.realtime import circle_chat_topic

USER = "community.schema.UserType"

CircleKind = graphene.Enum("CircleKind", [(v, v) for v in Circle.Kind.values])
JoinPolicy = graphene.Enum("JoinPolicy", [(v, v) for v in Circle.JoinPolicy.values])
Visibility = graphene.Enum("Visibility", [(v, v) for v in Circle.Visibility.values])
CircleStatus = graphene.Enum("CircleStatus", [(v, v) for v in Circle.Status.values])
CircleRole = graphene.Enum("CircleRole", [(v, v) for v in Membership.Role.values])
MembershipStatus = graphene.Enum("MembershipStatus", [(v, v) for v in Membership.Status.values])


def _viewer_membership(info, circle: Circle):
    return loader(info, ViewerMembershipLoader).load(circle.pk)


def _circle_of(info, row):
    """The circle of a membership or message: the joined row when the list selected it, else batched."""
    if type(row).circle.is_cached(row):
        return row.circle
    return loader(info, CircleByIdLoader).load(row.circle_id)


# ---------------------------------------------------------------- types


class MembershipType(DjangoObjectType):
    user = graphene.Field(USER, required=True)
    circle = graphene.Field(lambda: CircleType, required=True)
    role = graphene.Field(CircleRole, required=True)
    status = graphene.Field(MembershipStatus, required=True)
    joined_at = graphene.DateTime()
    invited_by = graphene.Field(USER, description="Who brought this member in with an invite.")
    muted_until = graphene.DateTime(description="Until when the member may not chat here.")

    class Meta:
        model = Membership
        name = "Membership"
        interfaces = (relay.Node,)
        fields = ("id",)

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.all() & selectors.visible_memberships(info.context.user)

    @staticmethod
    def resolve_user(root: Membership, info):
        return root.user

    @staticmethod
    def resolve_circle(root: Membership, info):
        return _circle_of(info, root)

    @staticmethod
    def resolve_role(root: Membership, info):
        return _value(root.role)

    @staticmethod
    def resolve_status(root: Membership, info):
        return _value(root.status)

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

    class Meta:
        model = ChatMessage
        name = "ChatMessage"
        interfaces = (relay.Node,)
        fields = ("id", "body", "created_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.all() & selectors.visible_chat_messages(info.context.user)

    @staticmethod
    def resolve_circle(root: ChatMessage, info):
        return _circle_of(info, root)

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
        return _circle_of(info, root)

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
    kind = graphene.Field(CircleKind, required=True)
    city = graphene.String()
    join_policy = graphene.Field(JoinPolicy, required=True)
    visibility = graphene.Field(Visibility, required=True)
    status = graphene.Field(CircleStatus, required=True)
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
    posts = graphene.Field(
        "community.content_schema.PostConnection",
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
    events = graphene.Field(
        "events.schema.EventConnection",
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

    @staticmethod
    def resolve_posts(root: Circle, info, first=None, after=None):
        from community.content_schema import circle_posts_connection

        return circle_posts_connection(info, root, first=first, after=after)

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.all() & selectors.visible_circles(info.context.user)

    @staticmethod
    def resolve_kind(root: Circle, info):
        return _value(root.kind)

    @staticmethod
    def resolve_city(root: Circle, info):
        return root.city or None

    @staticmethod
    def resolve_join_policy(root: Circle, info):
        return _value(root.join_policy)

    @staticmethod
    def resolve_visibility(root: Circle, info):
        return _value(root.visibility)

    @staticmethod
    def resolve_status(root: Circle, info):
        return _value(root.status)

    @staticmethod
    def resolve_host(root: Circle, info):
        return loader(info, CircleHostLoader).load(root.pk)

    @staticmethod
    def resolve_viewer_membership(root: Circle, info):
        return _viewer_membership(info, root)

    @staticmethod
    def resolve_members(root: Circle, info, first=None, after=None, role=None, status=None):
        viewer = info.context.user
        wanted = _value(status) or Membership.Status.ACTIVE

        def page(membership):
            if not selectors.can_read_content(viewer, root, membership):
                raise forbidden()
            if wanted != Membership.Status.ACTIVE and not selectors.can_manage(viewer, membership):
                raise forbidden()
            return paginate(
                selectors.members(root, role=_value(role), status=wanted),
                MembershipConnection,
                first=first,
                after=after,
                ordering=selectors.MEMBER_ORDERING,
            )

        return then(_viewer_membership(info, root), page)

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

        return then(_viewer_membership(info, root), page)

    @staticmethod
    def resolve_dashboard(root: Circle, info, weeks=None):
        viewer = info.context.user

        def figures(membership):
            if not selectors.can_manage(viewer, membership):
                raise forbidden()
            return selectors.dashboard(root, weeks=weeks or 8)

        return then(_viewer_membership(info, root), figures)

    @staticmethod
    def resolve_events(root: Circle, info, first=None, after=None, upcoming=None):
        from events.schema import circle_events_connection

        return then(
            _viewer_membership(info, root),
            lambda membership: circle_events_connection(info, root, membership, first, after, upcoming),
        )

    @staticmethod
    def resolve_invites(root: Circle, info, first=None, after=None):
        viewer = info.context.user

        def page(membership):
            if not selectors.can_manage(viewer, membership):
                raise forbidden()
            return paginate(selectors.invites(root), InviteConnection, first=first, after=after)

        return then(_viewer_membership(info, root), page)


class CircleConnection(relay.Connection):
    class Meta:
        node = CircleType


# ---------------------------------------------------------------- queries


class CirclesQuery(graphene.ObjectType):
    circles = graphene.Field(
        CircleConnection,
        first=graphene.Int(),
        after=graphene.String(),
        city=graphene.String(),
        kind=CircleKind(),
        search=graphene.String(),
    )
    circle = graphene.Field(CircleType, id=graphene.ID(required=True))
    pending_circles = graphene.Field(
        CircleConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="Brand staff only: circles waiting for approval.",
    )
    my_memberships = graphene.Field(
        MembershipConnection,
        first=graphene.Int(),
        after=graphene.String(),
        role=CircleRole(),
        status=MembershipStatus(),
        description="The viewer's circles: their memberships (ACTIVE unless `status` says otherwise), newest first.",
    )

    @staticmethod
    def resolve_circles(root, info, first=None, after=None, city=None, kind=None, search=None):
        circles = selectors.listed_circles(city=city, kind=_value(kind), search=search)
        return paginate(circles, CircleConnection, first=first, after=after)

    @staticmethod
    def resolve_circle(root, info, id):
        pk = _decode(id, "Circle", "id")
        return selectors.visible_circles(info.context.user).filter(pk=pk).first()

    @staticmethod
    def resolve_my_memberships(root, info, first=None, after=None, role=None, status=None):
        if not info.context.user.is_authenticated:
            raise unauthenticated()
        memberships = selectors.viewer_memberships(
            info.context.user, role=_value(role), status=_value(status) or Membership.Status.ACTIVE
        )
        return paginate(memberships, MembershipConnection, first=first, after=after)

    @staticmethod
    def resolve_pending_circles(root, info, first=None, after=None):
        require_brand_viewer(info)
        return paginate(
            selectors.pending_circles(), CircleConnection, first=first, after=after, ordering=("created_at", "id")
        )


# ---------------------------------------------------------------- mutations


class CirclePayload(Payload):
    circle = graphene.Field(CircleType)


class MembershipPayload(Payload):
    membership = graphene.Field(MembershipType)


class InvitePayload(Payload):
    invite = graphene.Field(InviteType)


class ChatMessagePayload(Payload):
    message = graphene.Field(ChatMessageType)


class CreateCircleInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    kind = CircleKind(required=True)
    city = graphene.String()
    join_policy = JoinPolicy(required=True)
    visibility = Visibility(required=True)


class UpdateCircleInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    description = graphene.String()
    city = graphene.String()
    join_policy = JoinPolicy()
    visibility = Visibility()


class CircleIdInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)


class ReviewCircleInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    approve = graphene.Boolean(required=True)


class JoinCircleInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    invite_code = graphene.String()


class MembershipIdInput(graphene.InputObjectType):
    membership_id = graphene.ID(required=True)


class ReviewJoinRequestInput(graphene.InputObjectType):
    membership_id = graphene.ID(required=True)
    approve = graphene.Boolean(required=True)


class SetMemberRoleInput(graphene.InputObjectType):
    membership_id = graphene.ID(required=True)
    role = CircleRole(required=True)


class RemoveMemberInput(graphene.InputObjectType):
    membership_id = graphene.ID(required=True)
    ban = graphene.Boolean()


class MuteMemberInput(graphene.InputObjectType):
    membership_id = graphene.ID(required=True)
    days = graphene.Int(required=True, description="0 lifts the mute.")


class TransferHostInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    user_id = graphene.ID(required=True)


class CreateInviteInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    max_uses = graphene.Int()
    expires_at = graphene.DateTime()


class RevokeInviteInput(graphene.InputObjectType):
    code = graphene.String(required=True)


class SendChatMessageInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    body = graphene.String(required=True)
    reply_to_id = graphene.ID()


def _user(info):
    return community_services.require_user(info.context.user)


class CreateCircle(ServiceMutation):
    Output = CirclePayload

    class Arguments:
        input = CreateCircleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        circle = services.create_circle(
            user=info.context.user,
            name=input.name,
            description=input.description,
            kind=input.kind,
            city=input.city,
            join_policy=input.join_policy,
            visibility=input.visibility,
        )
        return CirclePayload(circle=circle)


class UpdateCircle(ServiceMutation):
    Output = CirclePayload

    class Arguments:
        input = UpdateCircleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        changes = {name: input[name] for name in ("description", "city", "join_policy", "visibility") if name in input}
        return CirclePayload(circle=services.update_circle(user=user, circle_id=circle_id, **changes))


class ReviewCircle(ServiceMutation):
    Output = CirclePayload

    class Arguments:
        input = ReviewCircleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = community_services.require_brand_staff(info.context.user)
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        return CirclePayload(circle=services.review_circle(user=user, circle_id=circle_id, approve=input.approve))


class JoinCircle(ServiceMutation):
    Output = MembershipPayload

    class Arguments:
        input = JoinCircleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        membership = services.join_circle(user=user, circle_id=circle_id, invite_code=input.invite_code)
        return MembershipPayload(membership=membership)


class LeaveCircle(ServiceMutation):
    Output = MembershipPayload

    class Arguments:
        input = CircleIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        return MembershipPayload(membership=services.leave_circle(user=user, circle_id=circle_id))


class ReviewJoinRequest(ServiceMutation):
    Output = MembershipPayload

    class Arguments:
        input = ReviewJoinRequestInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        membership = services.review_join_request(user=user, membership_id=membership_id, approve=input.approve)
        return MembershipPayload(membership=membership)


class SetMemberRole(ServiceMutation):
    Output = MembershipPayload

    class Arguments:
        input = SetMemberRoleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        membership = services.set_member_role(user=user, membership_id=membership_id, role=input.role)
        return MembershipPayload(membership=membership)


class RemoveMember(ServiceMutation):
    Output = MembershipPayload

    class Arguments:
        input = RemoveMemberInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        membership = services.remove_member(
            user=user, membership_id=membership_id, ban=bool(provided(input, "ban", False))
        )
        return MembershipPayload(membership=membership)


class UnbanMember(ServiceMutation):
    Output = MembershipPayload

    class Arguments:
        input = MembershipIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        return MembershipPayload(membership=services.unban_member(user=user, membership_id=membership_id))


class MuteMember(ServiceMutation):
    Output = MembershipPayload

    class Arguments:
        input = MuteMemberInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        membership = services.mute_member(user=user, membership_id=membership_id, days=input.days)
        return MembershipPayload(membership=membership)


class TransferHost(ServiceMutation):
    Output = MembershipPayload

    class Arguments:
        input = TransferHostInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        new_host_id = ids.decode(input.user_id, "User", field="userId")
        membership = services.transfer_host(user=user, circle_id=circle_id, new_host_id=new_host_id)
        return MembershipPayload(membership=membership)


class CreateInvite(ServiceMutation):
    Output = InvitePayload

    class Arguments:
        input = CreateInviteInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        invite = services.create_invite(
            user=user, circle_id=circle_id, max_uses=input.max_uses, expires_at=input.expires_at
        )
        return InvitePayload(invite=invite)


class RevokeInvite(ServiceMutation):
    Output = InvitePayload

    class Arguments:
        input = RevokeInviteInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return InvitePayload(invite=services.revoke_invite(user=_user(info), code=input.code))


class SendChatMessage(ServiceMutation):
    Output = ChatMessagePayload

    class Arguments:
        input = SendChatMessageInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = _user(info)
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        reply_to_id = ids.decode(input.reply_to_id, "ChatMessage", field="replyToId") if input.reply_to_id else None
        message = services.send_chat_message(user=user, circle_id=circle_id, body=input.body, reply_to_id=reply_to_id)
        return ChatMessagePayload(message=message)


class CirclesMutation(graphene.ObjectType):
    create_circle = CreateCircle.Field()
    update_circle = UpdateCircle.Field(description="The host or brand staff: description, city, policies.")
    review_circle = ReviewCircle.Field(description="Brand staff only.")
    join_circle = JoinCircle.Field()
    leave_circle = LeaveCircle.Field()
    review_join_request = ReviewJoinRequest.Field()
    set_member_role = SetMemberRole.Field()
    remove_member = RemoveMember.Field()
    unban_member = UnbanMember.Field(description="Hosts and co-hosts: the user may join again.")
    mute_member = MuteMember.Field(description="Hosts and co-hosts: keep a member from chatting for some days.")
    transfer_host = TransferHost.Field()
    create_invite = CreateInvite.Field()
    revoke_invite = RevokeInvite.Field(description="Hosts, co-hosts and the invite's creator.")
    send_chat_message = SendChatMessage.Field()


# ---------------------------------------------------------------- the chat subscription


async def _chat_events(listener, viewer_id: int | None, private: bool):
    """The messages of one circle's chat. On a private circle, the subscription of someone who stops
    being a member (leaves, is removed or banned) ends with FORBIDDEN."""
    events = listener.__aiter__()
    try:
        async for payload in events:
            kind = payload.get("kind")
            if kind == "message":
                yield payload
            elif kind == "member_left" and private and viewer_id is not None and payload.get("userId") == viewer_id:
                raise forbidden()
    finally:
        await events.aclose()


def _chat_access(viewer, circle_id: int) -> tuple[str, bool]:
    access = selectors.chat_subscription_access(viewer, circle_id)
    private = Circle.objects.filter(pk=circle_id, visibility=Circle.Visibility.PRIVATE).exists()
    return access, private


class CirclesSubscription(graphene.ObjectType):
    chat_messages = graphene.Field(
        graphene.NonNull(ChatMessageType),
        circle_id=graphene.ID(required=True),
        description="Members of the circle only (anyone for a public circle).",
    )

    @staticmethod
    async def subscribe_chat_messages(root, info, circle_id):
        viewer = info.context.user
        pk = _decode(circle_id, "Circle", "circleId")
        access, private = await database_sync_to_async(_chat_access)(viewer, pk)
        if access == "not_found":
            raise not_found()
        if access == "forbidden":
            raise forbidden() if viewer.is_authenticated else unauthenticated()
        # Joined before returning, so nothing published after the subscribe message is missed.
        listener = await info.context.listen(circle_chat_topic(pk))
        return _chat_events(listener, viewer.pk if viewer.is_authenticated else None, private)

    @staticmethod
    def resolve_chat_messages(payload, info, circle_id=None):
        return selectors.chat_message_for_delivery(payload)
