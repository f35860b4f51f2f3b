"""GraphQL for accounts: sign-up and sign-in, profiles, vehicles and follows (thin: services do the work).

`User` itself is assembled by the root schema from `UserFields` and the other apps' user fields.
"""

from __future__ import annotations

import graphene
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from graphene import relay
from graphene_django import DjangoObjectType

from community.accounts import selectors, services
from community.accounts.loaders import BrandStaffLoader, FollowedByViewerLoader, VehiclesByOwnerLoader
from community.accounts.middleware import client_ip
from community.graphql import ids
from community.graphql.errors import argument_error, require_brand_viewer
from community.graphql.loaders import loader, then
from community.graphql.media import file_url
from community.graphql.mutations import BRAND_STAFF, SIGNED_IN, Payload, ServiceMutation, provided
from community.graphql.pagination import paginate, returned_connection
from community.graphql.scalars import Upload
from community.kernel.errors import ServiceError
from community.kernel.search import clean_search_query
from community.models import User, Vehicle

# The assembled types, by name: the root schema imports this module.
USER = "community.schema.UserType"
USER_CONNECTION = "community.schema.UserConnection"

VehicleCategory = graphene.Enum("VehicleCategory", [(c, c) for c in Vehicle.Category.values])


class VehicleType(DjangoObjectType):
    category = graphene.Field(VehicleCategory, required=True)
    purchased_on = graphene.Date()
    verified = graphene.Boolean(required=True)
    owner = graphene.Field(USER, required=True)
    vin_suffix = graphene.String(description="The last six of the VIN: for its owner and brand staff only.")
    added_at = graphene.DateTime(required=True)

    class Meta:
        model = Vehicle
        name = "Vehicle"
        interfaces = (relay.Node,)
        fields = ("id", "model")

    @staticmethod
    def resolve_category(root: Vehicle, info):
        return root.category

    @staticmethod
    def resolve_vin_suffix(root: Vehicle, info):
        viewer = info.context.user
        if viewer.is_authenticated and (viewer.pk == root.owner_id or viewer.is_brand_staff):
            return root.vin_suffix or None
        return None

    @staticmethod
    def resolve_added_at(root: Vehicle, info):
        return root.created_at


class VehicleConnection(relay.Connection):
    class Meta:
        node = VehicleType


class UserFields:
    """The account's own fields of `User`."""

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


# ---------------------------------------------------------------- queries


class AccountsQuery(graphene.ObjectType):
    node = graphene.Field(relay.Node, id=graphene.ID(required=True, description="The ID of the object"))
    me = graphene.Field(USER)
    user = graphene.Field(USER, id=graphene.ID(required=True))

    @staticmethod
    def resolve_node(root, info, id):
        return ids.node_argument(info, id)

    @staticmethod
    def resolve_me(root, info):
        user = info.context.user
        return user if user.is_authenticated else None

    followers = graphene.Field(
        USER_CONNECTION,
        user_id=graphene.ID(required=True),
        first=graphene.Int(),
        after=graphene.String(),
        description="Who follows the user, latest follow first; null for an unknown or deactivated user.",
    )
    following = graphene.Field(
        USER_CONNECTION,
        user_id=graphene.ID(required=True),
        first=graphene.Int(),
        after=graphene.String(),
        description="Whom the user follows, latest follow first; null for an unknown or deactivated user.",
    )
    search_users = graphene.Field(
        graphene.NonNull(USER_CONNECTION),
        query=graphene.String(required=True),
        first=graphene.Int(),
        after=graphene.String(),
        description="Owners whose nickname contains the query: exact nickname first, then nicknames "
        "starting with it, then by trigram similarity.",
    )

    pending_vehicles = graphene.Field(
        VehicleConnection,
        first=graphene.Int(),
        after=graphene.String(),
        description="Brand staff only: vehicles waiting for verification, oldest first.",
    )

    @staticmethod
    def resolve_pending_vehicles(root, info, first=None, after=None):
        require_brand_viewer(info)
        return paginate(
            selectors.pending_vehicles(), VehicleConnection, first=first, after=after, ordering=("created_at", "id")
        )

    @staticmethod
    def resolve_user(root, info, id):
        return selectors.active_user(ids.decode_argument(id, "User"))

    @staticmethod
    def resolve_followers(root, info, user_id, first=None, after=None):
        return _follow_page(info, user_id, selectors.followers_of, "follower", first, after)

    @staticmethod
    def resolve_following(root, info, user_id, first=None, after=None):
        return _follow_page(info, user_id, selectors.followed_by, "followee", first, after)

    @staticmethod
    def resolve_search_users(root, info, query, first=None, after=None):
        try:
            query = clean_search_query(query)
        except ServiceError as error:
            raise argument_error(error) from None
        return paginate(
            selectors.search_users(query),
            returned_connection(info),
            first=first,
            after=after,
            ordering=selectors.USER_SEARCH_ORDERING,
        )


def _follow_page(info, user_id, follows, side: str, first, after):
    """A page of follows, keyed by when they were made, listing the account on `side`."""
    user = selectors.active_user(ids.decode_argument(user_id, "User"))
    if user is None:
        return None
    page = paginate(follows(user.pk), returned_connection(info), first=first, after=after)
    for edge in page.edges:
        edge.node = getattr(edge.node, side)
    return page


# ---------------------------------------------------------------- mutations


class AuthPayload(Payload):
    token = graphene.String()
    user = graphene.Field(USER)


class UserPayload(Payload):
    user = graphene.Field(USER)


class VehiclePayload(Payload):
    vehicle = graphene.Field(VehicleType)


class LogoutPayload(Payload):
    revoked = graphene.Int(description="How many tokens were revoked.")


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
    access = SIGNED_IN

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
    access = SIGNED_IN

    class Arguments:
        input = UpdateProfileInput(required=True)

    @classmethod
    def perform(cls, info, input):
        changes = {name: input[name] for name in ("nickname", "city", "bio", "avatar") if name in input}
        user = services.update_profile(user=info.context.user, **changes)
        return UserPayload(user=user)


class AddVehicle(ServiceMutation):
    Output = VehiclePayload
    access = SIGNED_IN

    class Arguments:
        input = AddVehicleInput(required=True)

    @classmethod
    def perform(cls, info, input):
        vehicle = services.add_vehicle(
            user=info.context.user,
            model=input.model,
            category=input.category,
            purchased_on=input.purchased_on,
            vin_suffix=input.vin_suffix,
        )
        return VehiclePayload(vehicle=vehicle)


class VerifyVehicle(ServiceMutation):
    Output = VehiclePayload
    access = BRAND_STAFF

    class Arguments:
        input = VehicleIdInput(required=True)

    @classmethod
    def perform(cls, info, input):
        vehicle_id = ids.decode(input.vehicle_id, "Vehicle", field="vehicleId")
        return VehiclePayload(vehicle=services.verify_vehicle(user=info.context.user, vehicle_id=vehicle_id))


class FollowAction(ServiceMutation):
    """Hands the other user's ID to one service: `service(user=..., followee_id=...)`."""

    class Meta:
        abstract = True

    Output = UserPayload
    access = SIGNED_IN

    class Arguments:
        input = UserIdInput(required=True)

    service = None

    @classmethod
    def perform(cls, info, input):
        user_id = ids.decode(input.user_id, "User", field="userId")
        return UserPayload(user=cls.service(user=info.context.user, followee_id=user_id))


class Follow(FollowAction):
    service = staticmethod(services.follow)


class Unfollow(FollowAction):
    service = staticmethod(services.unfollow)


class AccountsMutation(graphene.ObjectType):
    register = Register.Field()
    login = Login.Field()
    logout = Logout.Field(description="Revoke the bearer token in use (and end the browser session).")
    update_profile = UpdateProfile.Field()
    add_vehicle = AddVehicle.Field()
    verify_vehicle = VerifyVehicle.Field(description="Brand staff only.")
    follow = Follow.Field()
    unfollow = Unfollow.Field()
