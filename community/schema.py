"""GraphQL for the social core (accounts, vehicles, follows, notifications) and the root schema."""

from __future__ import annotations

import graphene
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from django.contrib.contenttypes.models import ContentType
from graphene import relay
from graphene_django import DjangoObjectType
from graphene_django.registry import get_global_registry

from circles.schema import CirclesMutation, CirclesQuery, CirclesSubscription
from community import selectors, services
from community.accounts.middleware import client_ip
from community.content.schema import ContentMutation, ContentQuery
from community.graphql import ids
from community.graphql.errors import require_viewer
from community.graphql.loaders import (
    BrandStaffLoader,
    FollowedByViewerLoader,
    VehiclesByOwnerLoader,
    loader,
    then,
)
from community.graphql.media import file_url
from community.graphql.mutations import Payload, ServiceMutation, provided
from community.graphql.pagination import paginate
from community.graphql.scalars import Upload
from community.models import Notification, User, Vehicle
from community.notifications.texts import render as render_notification_text
from events.schema import EventsMutation, EventsQuery, EventsSubscription
from gamification.schema import GamificationMutation, GamificationQuery, GamificationUserFields

# ---------------------------------------------------------------- helpers


def global_id_for(content_type_id: int | None, pk: int | None) -> str | None:
    if content_type_id is None or pk is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    graphene_type = get_global_registry().get_type_for_model(model) if model else None
    return ids.encode(graphene_type._meta.name, pk) if graphene_type else None


# ---------------------------------------------------------------- types

VehicleCategory = graphene.Enum("VehicleCategory", [(c, c) for c in Vehicle.Category.values])
NotificationVerb = graphene.Enum("NotificationVerb", [(v, v) for v in Notification.Verb.values])


class VehicleType(DjangoObjectType):
    category = graphene.Field(VehicleCategory, required=True)
    purchased_on = graphene.Date()
    verified = graphene.Boolean(required=True)

    class Meta:
        model = Vehicle
        name = "Vehicle"
        interfaces = (relay.Node,)
        fields = ("id", "model")

    @staticmethod
    def resolve_category(root: Vehicle, info):
        return root.category


class UserType(GamificationUserFields, DjangoObjectType):
    nickname = graphene.String(required=True)
    avatar_url = graphene.String()
    city = graphene.String()
    bio = graphene.String()
    is_verified_owner = graphene.Boolean(required=True)
    is_brand_staff = graphene.Boolean(required=True)
    joined_at = graphene.DateTime(required=True)
    vehicles = graphene.List(graphene.NonNull(VehicleType), required=True)
    follower_count = graphene.Int(required=True)
    following_count = graphene.Int(required=True)
    is_followed_by_viewer = graphene.Boolean(required=True)

    class Meta:
        model = User
        name = "User"
        interfaces = (relay.Node,)
        fields = ("id",)

    @classmethod
    def get_queryset(cls, queryset, info):
        return queryset.filter(is_active=True)

    @staticmethod
    def resolve_avatar_url(root: User, info):
        return file_url(info, root.avatar_thumbnail or root.avatar)

    @staticmethod
    def resolve_city(root: User, info):
        return root.city or None

    @staticmethod
    def resolve_bio(root: User, info):
        return root.bio or None

    @staticmethod
    def resolve_joined_at(root: User, info):
        return root.date_joined

    @staticmethod
    def resolve_vehicles(root: User, info):
        return loader(info, VehiclesByOwnerLoader).load(root.pk)

    @staticmethod
    def resolve_is_verified_owner(root: User, info):
        return then(
            loader(info, VehiclesByOwnerLoader).load(root.pk), lambda vehicles: any(v.verified for v in vehicles)
        )

    @staticmethod
    def resolve_is_brand_staff(root: User, info):
        return loader(info, BrandStaffLoader).load(root.pk)

    @staticmethod
    def resolve_is_followed_by_viewer(root: User, info):
        return loader(info, FollowedByViewerLoader).load(root.pk)


class NotificationType(DjangoObjectType):
    verb = graphene.Field(NotificationVerb, required=True)
    actor = graphene.Field(UserType)
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
        return global_id_for(root.target_type_id, root.target_id)


class NotificationConnection(relay.Connection):
    class Meta:
        node = NotificationType


class UserConnection(relay.Connection):
    class Meta:
        node = UserType


# ---------------------------------------------------------------- queries


class CommunityQuery(graphene.ObjectType):
    node = relay.Node.Field()
    me = graphene.Field(UserType)
    user = graphene.Field(UserType, id=graphene.ID(required=True))
    notifications = graphene.Field(
        NotificationConnection, first=graphene.Int(), after=graphene.String(), unread_only=graphene.Boolean()
    )
    unread_notification_count = graphene.Int(required=True)

    @staticmethod
    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None

    @staticmethod
    def resolve_user(root, info, id):
        return selectors.active_user(ids.decode_argument(id, "User"))

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


# ---------------------------------------------------------------- mutations


class AuthPayload(Payload):
    token = graphene.String()
    user = graphene.Field(UserType)


class UserPayload(Payload):
    user = graphene.Field(UserType)


class VehiclePayload(Payload):
    vehicle = graphene.Field(VehicleType)


class LogoutPayload(Payload):
    revoked = graphene.Int(description="How many tokens were revoked.")


class MarkNotificationsReadPayload(Payload):
    unread_count = graphene.Int(required=True)


class RegisterInput(graphene.InputObjectType):
    username = graphene.String(required=True)
    password = graphene.String(required=True)
    nickname = graphene.String(required=True)
    city = graphene.String()
    invite_code = graphene.String()


class LoginInput(graphene.InputObjectType):
    username = graphene.String(required=True)
    password = graphene.String(required=True)


class LogoutInput(graphene.InputObjectType):
    all_devices = graphene.Boolean(description="Revoke every token of the account, not only this one.")


class UpdateProfileInput(graphene.InputObjectType):
    nickname = graphene.String()
    city = graphene.String()
    bio = graphene.String()
    avatar = Upload()


class AddVehicleInput(graphene.InputObjectType):
    model = graphene.String(required=True)
    category = VehicleCategory(required=True)
    purchased_on = graphene.Date()
    vin_suffix = graphene.String()


class VehicleIdInput(graphene.InputObjectType):
    vehicle_id = graphene.ID(required=True)


class UserIdInput(graphene.InputObjectType):
    user_id = graphene.ID(required=True)


class MarkNotificationsReadInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    all = graphene.Boolean()


def _user_agent(info) -> str:
    return getattr(info.context, "META", {}).get("HTTP_USER_AGENT", "")


def _start_browser_session(info, user) -> None:
    request = info.context
    if hasattr(request, "session"):
        session_login(request, user)


class Register(ServiceMutation):
    Output = AuthPayload

    class Arguments:
        input = RegisterInput(required=True)

    @classmethod
    def perform(cls, info, input):
        session = services.register(
            username=input.username,
            password=input.password,
            nickname=input.nickname,
            city=input.city,
            invite_code=input.invite_code,
            ip=client_ip(info.context),
            user_agent=_user_agent(info),
        )
        _start_browser_session(info, session.user)
        return AuthPayload(token=session.token, user=session.user)


class Login(ServiceMutation):
    Output = AuthPayload

    class Arguments:
        input = LoginInput(required=True)

    @classmethod
    def perform(cls, info, input):
        session = services.login(
            username=input.username,
            password=input.password,
            ip=client_ip(info.context),
            user_agent=_user_agent(info),
        )
        _start_browser_session(info, session.user)
        return AuthPayload(token=session.token, user=session.user)


class Logout(ServiceMutation):
    Output = LogoutPayload

    class Arguments:
        input = LogoutInput()

    @classmethod
    def perform(cls, info, input=None):
        request = info.context
        revoked = services.logout(
            user=request.user,
            token=getattr(request, "bearer_token", None),
            all_devices=bool(provided(input, "all_devices", False)),
        )
        if hasattr(request, "session") and not getattr(request, "bearer_token", None):
            session_logout(request)
        return LogoutPayload(revoked=revoked)


class UpdateProfile(ServiceMutation):
    Output = UserPayload

    class Arguments:
        input = UpdateProfileInput(required=True)

    @classmethod
    def perform(cls, info, input):
        changes = {name: input[name] for name in ("nickname", "city", "bio", "avatar") if name in input}
        user = services.update_profile(user=info.context.user, **changes)
        return UserPayload(user=user)


class AddVehicle(ServiceMutation):
    Output = VehiclePayload

    class Arguments:
        input = AddVehicleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        vehicle = services.add_vehicle(
            user=info.context.user,
            model=input.model,
            category=ids.enum_value(input.category),
            purchased_on=input.purchased_on,
            vin_suffix=input.vin_suffix,
        )
        return VehiclePayload(vehicle=vehicle)


class VerifyVehicle(ServiceMutation):
    Output = VehiclePayload

    class Arguments:
        input = VehicleIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_brand_staff(info.context.user)
        vehicle_id = ids.decode(input.vehicle_id, "Vehicle", field="vehicleId")
        return VehiclePayload(vehicle=services.verify_vehicle(user=info.context.user, vehicle_id=vehicle_id))


class Follow(ServiceMutation):
    Output = UserPayload

    class Arguments:
        input = UserIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_user(info.context.user)
        user_id = ids.decode(input.user_id, "User", field="userId")
        return UserPayload(user=services.follow(user=info.context.user, followee_id=user_id))


class Unfollow(ServiceMutation):
    Output = UserPayload

    class Arguments:
        input = UserIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_user(info.context.user)
        user_id = ids.decode(input.user_id, "User", field="userId")
        return UserPayload(user=services.unfollow(user=info.context.user, followee_id=user_id))


class MarkNotificationsRead(ServiceMutation):
    Output = MarkNotificationsReadPayload

    class Arguments:
        input = MarkNotificationsReadInput(required=True)

    @classmethod
    def perform(cls, info, input):
        services.require_user(info.context.user)
        notification_ids = ids.decode_many(input.ids, "Notification", field="ids") if input.ids else None
        unread = services.mark_notifications_read(user=info.context.user, ids=notification_ids, all=bool(input.all))
        return MarkNotificationsReadPayload(unread_count=unread)

    @classmethod
    def error_payload(cls, info, errors):
        user = info.context.user
        unread = selectors.unread_notification_count(user) if user.is_authenticated else 0
        return MarkNotificationsReadPayload(unread_count=unread, errors=errors)


class CommunityMutation(graphene.ObjectType):
    register = Register.Field()
    login = Login.Field()
    logout = Logout.Field(description="Revoke the bearer token in use (and end the browser session).")
    update_profile = UpdateProfile.Field()
    add_vehicle = AddVehicle.Field()
    verify_vehicle = VerifyVehicle.Field(description="Brand staff only.")
    follow = Follow.Field()
    unfollow = Unfollow.Field()
    mark_notifications_read = MarkNotificationsRead.Field()


# ---------------------------------------------------------------- subscriptions


class CommunitySubscription(graphene.ObjectType):
    notifications = graphene.Field(graphene.NonNull(NotificationType), description="The viewer's own notifications.")

    @staticmethod
    async def subscribe_notifications(root, info):
        from community.kernel.realtime import user_notifications_topic

        viewer = require_viewer(info)
        # Joined before returning, so nothing published after the subscribe message is missed.
        return await info.context.listen(user_notifications_topic(viewer.pk))

    @staticmethod
    def resolve_notifications(payload, info):
        return selectors.notification_for(info.context.user, payload["id"])


# ---------------------------------------------------------------- the root schema


class Query(CommunityQuery, CirclesQuery, EventsQuery, ContentQuery, GamificationQuery, graphene.ObjectType):
    pass


class Mutation(
    CommunityMutation, CirclesMutation, EventsMutation, ContentMutation, GamificationMutation, graphene.ObjectType
):
    pass


class Subscription(CommunitySubscription, CirclesSubscription, EventsSubscription, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation, subscription=Subscription, types=[UserConnection])
