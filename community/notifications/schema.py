"""GraphQL for notifications: the list, the unread count, marking read, and the live subscription."""

from __future__ import annotations

import graphene
from channels.db import database_sync_to_async
from graphene import relay
from graphene_django import DjangoObjectType

from community.graphql import ids
from community.graphql.errors import require_viewer
from community.graphql.mutations import SIGNED_IN, Payload, ServiceMutation, payload
from community.graphql.pagination import paginate
from community.kernel.realtime import user_notifications_topic
from community.kernel.verbs import NotificationVerb
from community.models import Notification
from community.notifications import preferences, selectors, services
from community.notifications.texts import render as render_notification_text

# The assembled type, by name: the root schema imports this module.
USER = "community.schema.UserType"

NotificationVerbEnum = graphene.Enum("NotificationVerb", [(v, v) for v in NotificationVerb.values])


class NotificationType(DjangoObjectType):
    verb = graphene.Field(NotificationVerbEnum, required=True)
    actor = graphene.Field(USER)
    text = graphene.String(required=True)
    target_id = graphene.ID(description="Global ID of what the notification is about (a post, an event, a circle...).")

    class Meta:
        model = Notification
        name = "Notification"
        interfaces = (relay.Node,)
        fields = ("id", "created_at", "read_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        user = info.context.user
        return queryset.filter(recipient=user) if user.is_authenticated else queryset.none()

    @staticmethod
    def resolve_verb(root: Notification, info):
        return root.verb

    @staticmethod
    def resolve_actor(root: Notification, info):
        return root.actor

    @staticmethod
    def resolve_text(root: Notification, info):
        return render_notification_text(root)

    @staticmethod
    def resolve_target_id(root: Notification, info):
        return ids.global_id_for(root.target_type_id, root.target_id)


class NotificationConnection(relay.Connection):
    class Meta:
        node = NotificationType


class NotificationsQuery(graphene.ObjectType):
    notifications = graphene.Field(
        NotificationConnection, first=graphene.Int(), after=graphene.String(), unread_only=graphene.Boolean()
    )
    unread_notification_count = graphene.Int(required=True)

    @staticmethod
    def resolve_notifications(root, info, first=None, after=None, unread_only=False):
        viewer = require_viewer(info)
        return paginate(
            selectors.notifications_for(viewer, unread_only=bool(unread_only)),
            NotificationConnection,
            first=first,
            after=after,
        )

    @staticmethod
    def resolve_unread_notification_count(root, info):
        viewer = require_viewer(info)
        return selectors.unread_notification_count(viewer)


class MarkNotificationsReadPayload(Payload):
    unread_count = graphene.Int(required=True)


class MarkNotificationsReadInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    all = graphene.Boolean()


class MarkNotificationsRead(ServiceMutation):
    Output = MarkNotificationsReadPayload
    access = SIGNED_IN
    input_type = MarkNotificationsReadInput

    @classmethod
    def perform(cls, info, input):
        notification_ids = ids.decode_many(input.ids, "Notification", field="ids") if input.ids else None
        unread = services.mark_notifications_read(user=info.context.user, ids=notification_ids, all=bool(input.all))
        return MarkNotificationsReadPayload(unread_count=unread)

    @classmethod
    def error_payload(cls, info, errors):
        user = info.context.user
        unread = selectors.unread_notification_count(user) if user.is_authenticated else 0
        return MarkNotificationsReadPayload(unread_count=unread, errors=errors)


class NotificationsMutation(graphene.ObjectType):
    mark_notifications_read = MarkNotificationsRead.Field()


SEEN_MEMORY = 500


async def _notification_events(context, listener, start: int, after: int | None):
    """The viewer's new notifications, after those since `after` (the client's resume cursor) replayed from
    the database; when the channel layer comes back from an outage, what was created meanwhile is replayed
    the same way, with no gap and no repeat. An access change needs no check (a user who may no longer sign
    in has their socket closed, and each notification is read for the socket's current user)."""
    cursor = after if after is not None else start
    floor = after or 0
    seen: dict[int, None] = {}
    events = listener.__aiter__()

    def first_time(notification_id: int) -> bool:
        nonlocal cursor
        if notification_id <= floor or notification_id in seen:
            return False
        seen[notification_id] = None
        if len(seen) > SEEN_MEMORY:
            del seen[next(iter(seen))]
        cursor = max(cursor, notification_id)
        return True

    async def missed() -> list[dict]:
        # Page by page: a long outage can leave more than one page of notifications to catch up on.
        found: list[dict] = []
        page_after = cursor
        for _page in range(selectors.REPLAY_PAGES):
            page = await database_sync_to_async(selectors.notification_ids_after)(context.current_user(), page_after)
            found += [{"id": pk} for pk in page if first_time(pk)]
            if len(page) < selectors.REPLAY_LIMIT:
                break
            page_after = page[-1]
        return found

    try:
        if after is not None and after < start:
            for payload in await missed():
                yield payload
        async for payload in events:
            kind = payload.get("kind")
            if kind == "resume":
                for replayed in await missed():
                    yield replayed
            elif kind is None and first_time(int(payload["id"])):
                yield payload
    finally:
        await events.aclose()


class NotificationsSubscription(graphene.ObjectType):
    notifications = graphene.Field(
        graphene.NonNull(NotificationType),
        after=graphene.ID(
            description="Resume after this notification (the last one the client saw): what came after it is "
            "sent first, from the database, then the live ones, with no gap and no repeat."
        ),
        description="The viewer's own notifications.",
    )

    @staticmethod
    async def subscribe_notifications(root, info, after=None):
        viewer = require_viewer(info)
        after_pk = ids.decode_argument(after, "Notification", "after") if after is not None else None
        # Joined before reading where the notifications stand, so nothing published after subscribing is missed.
        listener = await info.context.listen(user_notifications_topic(viewer.pk))
        start = await database_sync_to_async(selectors.latest_notification_id)(viewer)
        return _notification_events(info.context, listener, start, after_pk)

    @staticmethod
    def resolve_notifications(payload, info, after=None):
        return selectors.notification_for(info.context.user, payload["id"])


# ---------------------------------------------------------------- preferences


class NotificationKindPreference(graphene.ObjectType):
    kind = graphene.Field(NotificationVerbEnum, required=True)
    push = graphene.Boolean(required=True, description="Pushed live (outside quiet hours).")
    inbox = graphene.Boolean(required=True, description="Kept in the notification list.")


class NotificationPreferencesType(graphene.ObjectType):
    class Meta:
        name = "NotificationPreferences"

    kinds = graphene.List(graphene.NonNull(NotificationKindPreference), required=True)
    campaign_opt_out = graphene.Boolean(required=True, description="Brand campaigns skip this owner.")
    quiet_start = graphene.String(description="HH:MM, Asia/Shanghai: no live push from then...")
    quiet_end = graphene.String(description="...until then (may wrap midnight); the inbox still fills.")

    @staticmethod
    def resolve_kinds(root: preferences.Preferences, info):
        return [
            NotificationKindPreference(kind=verb, push=verb not in root.push_off, inbox=verb not in root.inbox_off)
            for verb in NotificationVerb.values
        ]

    @staticmethod
    def resolve_quiet_start(root: preferences.Preferences, info):
        return root.quiet_start.strftime("%H:%M") if root.quiet_start else None

    @staticmethod
    def resolve_quiet_end(root: preferences.Preferences, info):
        return root.quiet_end.strftime("%H:%M") if root.quiet_end else None


class NotificationPreferencesQuery(graphene.ObjectType):
    notification_preferences = graphene.Field(graphene.NonNull(NotificationPreferencesType))

    @staticmethod
    def resolve_notification_preferences(root, info):
        user = require_viewer(info)
        return preferences.preferences_of(user.pk)


class NotificationKindInput(graphene.InputObjectType):
    kind = NotificationVerbEnum(required=True)
    push = graphene.Boolean()
    inbox = graphene.Boolean()


class UpdateNotificationPreferencesInput(graphene.InputObjectType):
    kinds = graphene.List(graphene.NonNull(NotificationKindInput))
    campaign_opt_out = graphene.Boolean()
    quiet_start = graphene.String(description="HH:MM; null with quietEnd null clears the quiet hours.")
    quiet_end = graphene.String()


NotificationPreferencesPayload = payload("NotificationPreferencesPayload", preferences=NotificationPreferencesType)


class UpdateNotificationPreferences(ServiceMutation):
    Output = NotificationPreferencesPayload
    access = SIGNED_IN
    input_type = UpdateNotificationPreferencesInput

    @classmethod
    def perform(cls, info, input):
        quiet = {name: input[name] for name in ("quiet_start", "quiet_end") if name in input}
        result = preferences.update_notification_preferences(
            user=info.context.user,
            kinds=[dict(entry) for entry in input.get("kinds") or ()],
            campaign_opt_out=input.get("campaign_opt_out"),
            **quiet,
        )
        return NotificationPreferencesPayload(preferences=result)


class NotificationPreferencesMutation(graphene.ObjectType):
    update_notification_preferences = UpdateNotificationPreferences.Field()
