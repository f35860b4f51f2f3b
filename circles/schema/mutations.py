"""Mutations: circles, joining and leaving, roles and hosts, invites, chat."""

from __future__ import annotations

import graphene

from circles import services
from circles.schema.types import (
    ChatMessageType,
    CircleKind,
    CircleRole,
    CircleType,
    InviteType,
    JoinPolicy,
    MembershipType,
    Visibility,
)
from community.graphql import ids
from community.graphql.mutations import BRAND_STAFF, SIGNED_IN, IdempotentInput, Payload, ServiceMutation, provided
from community.graphql.scalars import Upload


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


class SendChatMessageInput(IdempotentInput, graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    body = graphene.String(required=True)
    reply_to_id = graphene.ID()


class CreateCircle(ServiceMutation):
    Output = CirclePayload
    access = SIGNED_IN

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
    access = SIGNED_IN

    class Arguments:
        input = UpdateCircleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        changes = {name: input[name] for name in ("description", "city", "join_policy", "visibility") if name in input}
        return CirclePayload(circle=services.update_circle(user=user, circle_id=circle_id, **changes))


class ReviewCircle(ServiceMutation):
    Output = CirclePayload
    access = BRAND_STAFF

    class Arguments:
        input = ReviewCircleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        return CirclePayload(circle=services.review_circle(user=user, circle_id=circle_id, approve=input.approve))


class JoinCircle(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    class Arguments:
        input = JoinCircleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        membership = services.join_circle(user=user, circle_id=circle_id, invite_code=input.invite_code)
        return MembershipPayload(membership=membership)


class LeaveCircle(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    class Arguments:
        input = CircleIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        return MembershipPayload(membership=services.leave_circle(user=user, circle_id=circle_id))


class ReviewJoinRequest(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    class Arguments:
        input = ReviewJoinRequestInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        membership = services.review_join_request(user=user, membership_id=membership_id, approve=input.approve)
        return MembershipPayload(membership=membership)


class SetMemberRole(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    class Arguments:
        input = SetMemberRoleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        membership = services.set_member_role(user=user, membership_id=membership_id, role=input.role)
        return MembershipPayload(membership=membership)


class RemoveMember(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    class Arguments:
        input = RemoveMemberInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        membership = services.remove_member(
            user=user, membership_id=membership_id, ban=bool(provided(input, "ban", False))
        )
        return MembershipPayload(membership=membership)


class UnbanMember(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    class Arguments:
        input = MembershipIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        return MembershipPayload(membership=services.unban_member(user=user, membership_id=membership_id))


class MuteMember(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    class Arguments:
        input = MuteMemberInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        membership_id = ids.decode(input.membership_id, "Membership", field="membershipId")
        membership = services.mute_member(user=user, membership_id=membership_id, days=input.days)
        return MembershipPayload(membership=membership)


class TransferHost(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    class Arguments:
        input = TransferHostInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        new_host_id = ids.decode(input.user_id, "User", field="userId")
        membership = services.transfer_host(user=user, circle_id=circle_id, new_host_id=new_host_id)
        return MembershipPayload(membership=membership)


class CreateInvite(ServiceMutation):
    Output = InvitePayload
    access = SIGNED_IN

    class Arguments:
        input = CreateInviteInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        invite = services.create_invite(
            user=user, circle_id=circle_id, max_uses=input.max_uses, expires_at=input.expires_at
        )
        return InvitePayload(invite=invite)


class RevokeInvite(ServiceMutation):
    Output = InvitePayload
    access = SIGNED_IN

    class Arguments:
        input = RevokeInviteInput(required=True)

    @classmethod
    def perform(cls, info, input):
        return InvitePayload(invite=services.revoke_invite(user=info.context.user, code=input.code))


class SendChatMessage(ServiceMutation):
    Output = ChatMessagePayload
    access = SIGNED_IN
    idempotent_result = "message"

    class Arguments:
        input = SendChatMessageInput(required=True)

    @classmethod
    def perform(cls, info, input):
        user = info.context.user
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        reply_to_id = ids.decode(input.reply_to_id, "ChatMessage", field="replyToId") if input.reply_to_id else None
        message = services.send_chat_message(user=user, circle_id=circle_id, body=input.body, reply_to_id=reply_to_id)
        return ChatMessagePayload(message=message)


class ChatMessageIdInput(graphene.InputObjectType):
    message_id = graphene.ID(required=True)


class DeleteChatMessage(ServiceMutation):
    Output = ChatMessagePayload
    access = SIGNED_IN

    class Arguments:
        input = ChatMessageIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        message_id = ids.decode(input.message_id, "ChatMessage", field="messageId")
        return ChatMessagePayload(message=services.delete_chat_message(user=info.context.user, message_id=message_id))


class SetCircleCoverInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    image = Upload(required=True)


class SetCircleCover(ServiceMutation):
    Output = CirclePayload
    access = SIGNED_IN

    class Arguments:
        input = SetCircleCoverInput(required=True)

    @classmethod
    def perform(cls, info, input):
        circle_id = ids.decode(input.circle_id, "Circle", field="circleId")
        return CirclePayload(
            circle=services.set_circle_cover(user=info.context.user, circle_id=circle_id, image=input.image)
        )


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
    set_circle_cover = SetCircleCover.Field(
        description="The host or brand staff: a cover image, cleaned like post photos."
    )
    delete_chat_message = DeleteChatMessage.Field(
        description="Hosts and co-hosts (and brand staff): recorded in the audit log, removed live from subscribers."
    )
