"""GraphQL for private messages (thin: the services decide, the selectors read).

A private message is readable by its two participants only: through `conversations`,
`conversation(userId)`, `node` (both types filter by participant) and the `directMessages`
subscription (each viewer listens to their own topic only).
"""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from community.graphql import ids
from community.graphql.errors import unauthenticated
from community.graphql.loaders import Loader, loader
from community.graphql.mutations import SIGNED_IN, IdempotentInput, Payload, ServiceMutation
from community.graphql.pagination import paginate
from community.kernel.realtime import user_direct_messages_topic
from community.kernel.statuses import ContentStatus
from community.messaging import selectors, services
from community.messaging.models import Conversation, DirectMessage

USER = "community.schema.UserType"

ConversationStatus = graphene.Enum("ConversationStatus", [(s, s) for s in Conversation.Status.values])


class ReviewContextLoader(Loader):
    """The few messages around each held message of a page, at once."""

    default = list

    def batch(self, keys):
        return selectors.message_contexts(list(keys))


def _brand_staff(info) -> bool:
    viewer = info.context.user
    return viewer.is_authenticated and viewer.is_brand_staff


class DirectMessageType(DjangoObjectType):
    sender = graphene.Field(USER, required=True)
    recipient = graphene.Field(USER, description="The other participant of the message's conversation.")
    pending_review = graphene.Boolean(
        required=True, description="Held by the word filter: only its sender sees it until brand staff pass it."
    )
    held_reason = graphene.String(description="Brand staff only: why the word filter held it.")
    review_context = graphene.List(
        graphene.NonNull(lambda: DirectMessageType),
        description="Brand staff only: the message with the few published messages around it, oldest first "
        "(never the whole conversation).",
    )

    class Meta:
        model = DirectMessage
        name = "DirectMessage"
        interfaces = (relay.Node,)
        fields = ("id", "body", "created_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.all() & selectors.visible_messages(info.context.user)

    @staticmethod
    def resolve_sender(root: DirectMessage, info):
        return root.sender

    @staticmethod
    def resolve_recipient(root: DirectMessage, info):
        conversation = root.conversation
        return conversation.user_high if root.sender_id == conversation.user_low_id else conversation.user_low

    @staticmethod
    def resolve_pending_review(root: DirectMessage, info):
        return root.status == ContentStatus.PENDING_REVIEW

    @staticmethod
    def resolve_held_reason(root: DirectMessage, info):
        return (root.held_reason or None) if _brand_staff(info) else None

    @staticmethod
    def resolve_review_context(root: DirectMessage, info):
        return loader(info, ReviewContextLoader).load(root.pk) if _brand_staff(info) else None


class DirectMessageConnection(relay.Connection):
    class Meta:
        node = DirectMessageType


class LastMessageLoader(Loader):
    def batch(self, keys):
        return selectors.last_messages(self.viewer, list(keys))


class ConversationType(DjangoObjectType):
    other_user = graphene.Field(USER, required=True, description="The other participant.")
    status = graphene.Field(graphene.NonNull(ConversationStatus))
    requested_by_viewer = graphene.Boolean(
        required=True, description="A message request the viewer sent (waiting for the other to accept)."
    )
    last_message = graphene.Field(DirectMessageType)
    unread_count = graphene.Int(required=True)
    messages = graphene.Field(
        graphene.NonNull(DirectMessageConnection),
        last=graphene.Int(),
        before=graphene.String(),
        description="Newest last; page backwards with last/before.",
    )

    class Meta:
        model = Conversation
        name = "Conversation"
        interfaces = (relay.Node,)
        fields = ("id", "created_at", "last_message_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.all() & selectors.listed_conversations(info.context.user)

    @staticmethod
    def resolve_other_user(root: Conversation, info):
        viewer_id = info.context.user.pk
        return root.user_high if root.user_low_id == viewer_id else root.user_low

    @staticmethod
    def resolve_status(root: Conversation, info):
        return root.status

    @staticmethod
    def resolve_requested_by_viewer(root: Conversation, info):
        return root.status != Conversation.Status.ACTIVE and root.requested_by_id == info.context.user.pk

    @staticmethod
    def resolve_last_message(root: Conversation, info):
        return loader(info, LastMessageLoader).load(root.pk)

    @staticmethod
    def resolve_unread_count(root: Conversation, info):
        return getattr(root, "unread", 0)

    @staticmethod
    def resolve_messages(root: Conversation, info, last=None, before=None):
        newest_first = paginate(
            selectors.messages_of(info.context.user, root),
            DirectMessageConnection,
            first=last,
            after=before,
            ordering=selectors.MESSAGE_ORDERING,
        )
        edges = list(reversed(newest_first.edges))
        return DirectMessageConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_previous_page=newest_first.page_info.has_next_page,
                has_next_page=bool(before),
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )


class ConversationConnection(relay.Connection):
    class Meta:
        node = ConversationType


def _signed_in_viewer(info):
    viewer = info.context.user
    if not viewer.is_authenticated:
        raise unauthenticated()
    return viewer


class MessagingQuery(graphene.ObjectType):
    conversations = graphene.Field(
        graphene.NonNull(ConversationConnection),
        first=graphene.Int(),
        after=graphene.String(),
        description="The viewer's conversations and message requests, newest message first, without those "
        "with someone blocked either way. Signed in only.",
    )
    conversation = graphene.Field(
        ConversationType,
        user_id=graphene.ID(required=True),
        description="The viewer's conversation with this person; null when they have none yet, or when "
        "either blocked the other (it comes back on unblocking).",
    )
    unread_direct_message_count = graphene.Int(
        required=True, description="Unread private messages over all the viewer's conversations. Signed in only."
    )

    @staticmethod
    def resolve_conversations(root, info, first=None, after=None):
        viewer = _signed_in_viewer(info)
        return paginate(
            selectors.conversations_of(viewer),
            ConversationConnection,
            first=first,
            after=after,
            ordering=selectors.CONVERSATION_ORDERING,
        )

    @staticmethod
    def resolve_unread_direct_message_count(root, info):
        return selectors.unread_message_count(_signed_in_viewer(info))

    @staticmethod
    def resolve_conversation(root, info, user_id):
        viewer = _signed_in_viewer(info)
        return selectors.conversation_with(viewer, ids.decode_argument(user_id, "User", "userId"))


# ---------------------------------------------------------------- mutations


class DirectMessagePayload(Payload):
    message = graphene.Field(DirectMessageType)


class ConversationPayload(Payload):
    conversation = graphene.Field(ConversationType)


class SendDirectMessageInput(IdempotentInput, graphene.InputObjectType):
    user_id = graphene.ID(required=True, description="Whom to write to.")
    body = graphene.String(required=True)


class ConversationWithInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True, description="The other participant.")


class RespondToMessageRequestInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True, description="Who sent the request.")
    accept = graphene.Boolean(required=True)


def _user_id(input) -> int:
    return ids.decode(input.user_id, "User", field="userId")


def _reloaded(viewer, conversation: Conversation) -> Conversation | None:
    return selectors.conversation_with(viewer, conversation.other_id(viewer.pk))


class SendDirectMessage(ServiceMutation):
    """At once to mutual followers, members of a shared circle and people with a tie of ACQUAINTANCE or
    more; to anyone else the first message is a request they accept or decline."""

    Output = DirectMessagePayload
    access = SIGNED_IN
    idempotent_result = "message"

    class Arguments:
        input = SendDirectMessageInput(required=True)

    @classmethod
    def perform(cls, info, input):
        message = services.send_direct_message(user=info.context.user, recipient_id=_user_id(input), body=input.body)
        return DirectMessagePayload(message=message)


class MarkConversationRead(ServiceMutation):
    Output = ConversationPayload
    access = SIGNED_IN

    class Arguments:
        input = ConversationWithInput(required=True)

    @classmethod
    def perform(cls, info, input):
        viewer = info.context.user
        conversation = services.mark_conversation_read(user=viewer, other_id=_user_id(input))
        return ConversationPayload(conversation=_reloaded(viewer, conversation))


class RespondToMessageRequest(ServiceMutation):
    Output = ConversationPayload
    access = SIGNED_IN

    class Arguments:
        input = RespondToMessageRequestInput(required=True)

    @classmethod
    def perform(cls, info, input):
        viewer = info.context.user
        conversation = services.respond_to_message_request(
            user=viewer, requester_id=_user_id(input), accept=input.accept
        )
        return ConversationPayload(conversation=_reloaded(viewer, conversation))


class MessagingMutation(graphene.ObjectType):
    send_direct_message = SendDirectMessage.Field()
    mark_conversation_read = MarkConversationRead.Field()
    respond_to_message_request = RespondToMessageRequest.Field(
        description="Accept or decline someone's message request."
    )


# ---------------------------------------------------------------- the live subscription


async def _own_messages(listener, viewer_id: int):
    events = listener.__aiter__()
    try:
        async for payload in events:
            if payload.get("kind") == "message":
                yield payload
    finally:
        await events.aclose()


class MessagingSubscription(graphene.ObjectType):
    direct_messages = graphene.Field(
        graphene.NonNull(DirectMessageType),
        description="The viewer's private messages, sent and received, as they are published. Signed in only.",
    )

    @staticmethod
    async def subscribe_direct_messages(root, info):
        viewer = info.context.user
        if not viewer.is_authenticated:
            raise unauthenticated()
        # Joined before returning, so nothing published after the subscribe message is missed.
        listener = await info.context.listen(user_direct_messages_topic(viewer.pk))
        return _own_messages(listener, viewer.pk)

    @staticmethod
    def resolve_direct_messages(payload, info):
        return selectors.message_for_delivery(info.context.user.pk, payload)
