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
from community.graphql.mutations import (
    BRAND_STAFF,
    SIGNED_IN,
    IdempotentInput,
    ServiceMutation,
    payload,
    provided,
)
from community.graphql.scalars import Upload

CirclePayload = payload("CirclePayload", circle=CircleType)
MembershipPayload = payload("MembershipPayload", membership=MembershipType)
InvitePayload = payload("InvitePayload", invite=InviteType)
ChatMessagePayload = payload("ChatMessagePayload", message=ChatMessageType)


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
    input_type = CreateCircleInput
    service = services.create_circle


class UpdateCircle(ServiceMutation):
    Output = CirclePayload
    access = SIGNED_IN
    input_type = UpdateCircleInput
    service = services.update_circle
    decode = {"circle_id": "Circle"}
    partial = True


class ReviewCircle(ServiceMutation):
    Output = CirclePayload
    access = BRAND_STAFF
    input_type = ReviewCircleInput
    service = services.review_circle
    decode = {"circle_id": "Circle"}


class JoinCircle(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN
    input_type = JoinCircleInput
    service = services.join_circle
    decode = {"circle_id": "Circle"}


class LeaveCircle(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN
    input_type = CircleIdInput
    service = services.leave_circle
    decode = {"circle_id": "Circle"}


class ReviewJoinRequest(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN
    input_type = ReviewJoinRequestInput
    service = services.review_join_request
    decode = {"membership_id": "Membership"}


class SetMemberRole(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN
    input_type = SetMemberRoleInput
    service = services.set_member_role
    decode = {"membership_id": "Membership"}


class RemoveMember(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    input_type = RemoveMemberInput
    service = services.remove_member
    decode = {"membership_id": "Membership"}

    @classmethod
    def service_arguments(cls, input):
        return {**super().service_arguments(input), "ban": bool(provided(input, "ban", False))}


class UnbanMember(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN
    input_type = MembershipIdInput
    service = services.unban_member
    decode = {"membership_id": "Membership"}


class MuteMember(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN
    input_type = MuteMemberInput
    service = services.mute_member
    decode = {"membership_id": "Membership"}


class TransferHost(ServiceMutation):
    Output = MembershipPayload
    access = SIGNED_IN

    input_type = TransferHostInput
    service = services.transfer_host
    decode = {"circle_id": "Circle", "user_id": "User"}

    @classmethod
    def service_arguments(cls, input):
        arguments = super().service_arguments(input)
        return {"circle_id": arguments["circle_id"], "new_host_id": arguments["user_id"]}


class CreateInvite(ServiceMutation):
    Output = InvitePayload
    access = SIGNED_IN
    input_type = CreateInviteInput
    service = services.create_invite
    decode = {"circle_id": "Circle"}


class RevokeInvite(ServiceMutation):
    Output = InvitePayload
    access = SIGNED_IN
    input_type = RevokeInviteInput
    service = services.revoke_invite


class SendChatMessage(ServiceMutation):
    Output = ChatMessagePayload
    access = SIGNED_IN
    idempotent_result = "message"
    input_type = SendChatMessageInput
    service = services.send_chat_message
    decode = {"circle_id": "Circle", "reply_to_id": "ChatMessage"}


class ChatMessageIdInput(graphene.InputObjectType):
    message_id = graphene.ID(required=True)


class DeleteChatMessage(ServiceMutation):
    Output = ChatMessagePayload
    access = SIGNED_IN
    input_type = ChatMessageIdInput
    service = services.delete_chat_message
    decode = {"message_id": "ChatMessage"}


class SetCircleCoverInput(graphene.InputObjectType):
    circle_id = graphene.ID(required=True)
    image = Upload(required=True)


class SetCircleCover(ServiceMutation):
    Output = CirclePayload
    access = SIGNED_IN
    input_type = SetCircleCoverInput
    service = services.set_circle_cover
    decode = {"circle_id": "Circle"}


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
