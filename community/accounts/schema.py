"""GraphQL for accounts: sign-up and sign-in, profiles, vehicles and follows (thin: services do the work).

`User` itself is assembled by the root schema from `UserFields` and the other apps' user fields.
"""

from __future__ import annotations

import graphene
from django.contrib.auth import login as session_login
from django.contrib.auth import logout as session_logout
from django.contrib.auth import update_session_auth_hash
from graphene import relay
from graphene_django import DjangoObjectType
from graphql_relay import to_global_id

from community.accounts import contacts, deletion, export, selectors, services
from community.accounts.loaders import (
    BlockedByViewerLoader,
    BrandStaffLoader,
    FollowedByViewerLoader,
    VehiclesByOwnerLoader,
)
from community.accounts.middleware import client_ip
from community.graphql import ids
from community.graphql.errors import argument_error, require_brand_viewer, unauthenticated
from community.graphql.loaders import loader, then
from community.graphql.media import file_url
from community.graphql.mutations import BRAND_STAFF, SIGNED_IN, Payload, ServiceMutation, payload, provided
from community.graphql.pagination import paginate, returned_connection
from community.graphql.scalars import Upload
from community.kernel.errors import ServiceError
from community.kernel.search import clean_search_query
from community.models import Contact, DataExport, User, Vehicle

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
    is_blocked_by_viewer = graphene.Boolean(required=True, description="The viewer blocked this person.")

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

    @staticmethod
    def resolve_is_blocked_by_viewer(root: User, info):
        return loader(info, BlockedByViewerLoader).load(root.pk)


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
    blocked_users = graphene.Field(
        graphene.NonNull(USER_CONNECTION),
        first=graphene.Int(),
        after=graphene.String(),
        description="The people the viewer blocked, latest block first. Signed in only.",
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
    def resolve_blocked_users(root, info, first=None, after=None):
        return _blocked_page(info, first, after)

    @staticmethod
    def resolve_search_users(root, info, query, first=None, after=None):
        try:
            query = clean_search_query(query)
        except ServiceError as error:
            raise argument_error(error) from None
        return paginate(
            selectors.search_users(query, info.context.user),
            returned_connection(info),
            first=first,
            after=after,
            ordering=selectors.USER_SEARCH_ORDERING,
        )


def _blocked_page(info, first, after):
    viewer = info.context.user
    if not viewer.is_authenticated:
        raise unauthenticated()
    page = paginate(selectors.blocks_made_by(viewer.pk), returned_connection(info), first=first, after=after)
    for edge in page.edges:
        edge.node = edge.node.blocked
    return page


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
    deletion_cancelled = graphene.Boolean(
        description="True when this login came within an account deletion's grace period and cancelled it."
    )


UserPayload = payload("UserPayload", user=USER)
VehiclePayload = payload("VehiclePayload", vehicle=VehicleType)


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
    input_type = RegisterInput

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
    input_type = LoginInput

    @classmethod
    def perform(cls, info, input):
        session = services.login(
            username=input.username,
            password=input.password,
            ip=client_ip(info.context),
            user_agent=_user_agent(info),
        )
        _start_browser_session(info, session.user)
        return AuthPayload(token=session.token, user=session.user, deletion_cancelled=session.deletion_cancelled)


class Logout(ServiceMutation):
    Output = LogoutPayload
    access = SIGNED_IN

    class Arguments:
        input = LogoutInput()

    @classmethod
    def perform(cls, info, input=None):
        request = info.context
        browser = hasattr(request, "session") and not getattr(request, "bearer_token", None)
        revoked = services.logout(
            user=request.user,
            token=getattr(request, "bearer_token", None),
            all_devices=bool(provided(input, "all_devices", False)),
            session_key=request.session.session_key if browser else None,
        )
        if browser:
            session_logout(request)
        return LogoutPayload(revoked=revoked)


class ChangePasswordInput(graphene.InputObjectType):
    current_password = graphene.String(required=True)
    new_password = graphene.String(required=True)


class ChangePasswordPayload(Payload):
    revoked = graphene.Int(description="How many tokens of other devices were revoked.")


class ChangePassword(ServiceMutation):
    Output = ChangePasswordPayload
    access = SIGNED_IN
    input_type = ChangePasswordInput

    @classmethod
    def perform(cls, info, input):
        request = info.context
        revoked = services.change_password(
            user=request.user,
            current_password=input.current_password,
            new_password=input.new_password,
            keep_token=getattr(request, "bearer_token", None),
        )
        if hasattr(request, "session") and not getattr(request, "bearer_token", None):
            # The browser that changed the password stays signed in; other sessions end.
            update_session_auth_hash(request, User.objects.get(pk=request.user.pk))
        return ChangePasswordPayload(revoked=revoked)


class UpdateProfile(ServiceMutation):
    Output = UserPayload
    access = SIGNED_IN
    input_type = UpdateProfileInput
    service = services.update_profile
    partial = True


class AddVehicle(ServiceMutation):
    Output = VehiclePayload
    access = SIGNED_IN
    input_type = AddVehicleInput
    service = services.add_vehicle


class VerifyVehicle(ServiceMutation):
    Output = VehiclePayload
    access = BRAND_STAFF
    input_type = VehicleIdInput
    service = services.verify_vehicle
    decode = {"vehicle_id": "Vehicle"}


class FollowAction(ServiceMutation):
    """Hands the other user's ID to one service: `service(user=..., followee_id=...)`."""

    class Meta:
        abstract = True

    Output = UserPayload
    access = SIGNED_IN
    input_type = UserIdInput
    decode = {"user_id": "User"}

    @classmethod
    def service_arguments(cls, input):
        return {"followee_id": super().service_arguments(input)["user_id"]}


class Follow(FollowAction):
    service = staticmethod(services.follow)


class Unfollow(FollowAction):
    service = staticmethod(services.unfollow)


class BlockUser(FollowAction):
    """They no longer see each other's posts, comments and chat; they cannot follow, message,
    mention, invite or answer the viewer; follows both ways are removed."""

    service = staticmethod(lambda *, user, followee_id: services.block_user(user=user, blocked_id=followee_id))


class UnblockUser(FollowAction):
    service = staticmethod(lambda *, user, followee_id: services.unblock_user(user=user, blocked_id=followee_id))


class AccountsMutation(graphene.ObjectType):
    register = Register.Field()
    login = Login.Field()
    logout = Logout.Field(description="Revoke the bearer token in use (and end the browser session).")
    update_profile = UpdateProfile.Field()
    change_password = ChangePassword.Field(
        description="Needs the current password; every other device's token is revoked, this one is kept."
    )
    add_vehicle = AddVehicle.Field()
    verify_vehicle = VerifyVehicle.Field(description="Brand staff only.")
    follow = Follow.Field()
    unfollow = Unfollow.Field()
    block_user = BlockUser.Field()
    unblock_user = UnblockUser.Field()


# ---------------------------------------------------------------- contacts and password reset

ContactKind = graphene.Enum("ContactKind", [(c, c) for c in Contact.Kind.values])


class ContactType(DjangoObjectType):
    kind = graphene.Field(ContactKind, required=True)
    value = graphene.String(required=True, description="E.164 for phone numbers, lower case for email.")
    verified = graphene.Boolean(required=True)

    class Meta:
        model = Contact
        name = "Contact"
        interfaces = (relay.Node,)
        fields = ("id", "created_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        # A contact is its owner's only, in every query and `node`.
        user = info.context.user
        return queryset.filter(user_id=user.pk) if user.is_authenticated else queryset.none()

    @staticmethod
    def resolve_kind(root: Contact, info):
        return root.kind


class ContactsQuery(graphene.ObjectType):
    my_contacts = graphene.List(
        graphene.NonNull(ContactType), required=True, description="The viewer's phone numbers and emails."
    )

    @staticmethod
    def resolve_my_contacts(root, info):
        user = info.context.user
        if not user.is_authenticated:
            raise unauthenticated()
        return selectors.contacts_of(user)


ContactPayload = payload("ContactPayload", contact=ContactType)


class AddContactInput(graphene.InputObjectType):
    value = graphene.String(required=True, description="A mobile number or an email address.")


class VerifyContactInput(graphene.InputObjectType):
    contact_id = graphene.ID(required=True)
    code = graphene.String(required=True)


class ContactIdInput(graphene.InputObjectType):
    contact_id = graphene.ID(required=True)


class RequestPasswordResetInput(graphene.InputObjectType):
    contact = graphene.String(required=True, description="A verified mobile number or email address.")


class RequestPasswordResetPayload(Payload):
    sent = graphene.Boolean(description="Always true once accepted: whether an account has this contact is never said.")


class ResetPasswordInput(graphene.InputObjectType):
    contact = graphene.String(required=True)
    code = graphene.String(required=True)
    new_password = graphene.String(required=True)


class AddContact(ServiceMutation):
    Output = ContactPayload
    access = SIGNED_IN
    input_type = AddContactInput

    @classmethod
    def perform(cls, info, input):
        contact = contacts.add_contact(user=info.context.user, value=input.value, ip=client_ip(info.context))
        return ContactPayload(contact=contact)


class VerifyContact(ServiceMutation):
    Output = ContactPayload
    access = SIGNED_IN
    input_type = VerifyContactInput
    service = contacts.verify_contact
    decode = {"contact_id": "Contact"}


class RemoveContact(ServiceMutation):
    Output = ContactPayload
    access = SIGNED_IN
    input_type = ContactIdInput

    @classmethod
    def perform(cls, info, input):
        contact_id = ids.decode(input.contact_id, "Contact", field="contactId")
        contacts.remove_contact(user=info.context.user, contact_id=contact_id)
        return ContactPayload(contact=None)


class RequestPasswordReset(ServiceMutation):
    Output = RequestPasswordResetPayload
    input_type = RequestPasswordResetInput

    @classmethod
    def perform(cls, info, input):
        contacts.request_password_reset(contact=input.contact, ip=client_ip(info.context))
        return RequestPasswordResetPayload(sent=True)


class ResetPassword(ServiceMutation):
    Output = AuthPayload
    input_type = ResetPasswordInput

    @classmethod
    def perform(cls, info, input):
        user = contacts.reset_password(
            contact=input.contact, code=input.code, new_password=input.new_password, ip=client_ip(info.context)
        )
        # Every earlier token is revoked; this device gets a fresh one.
        token = services.issue_token(user, _user_agent(info))
        _start_browser_session(info, user)
        return AuthPayload(token=token, user=user)


class ContactsMutation(graphene.ObjectType):
    add_contact = AddContact.Field(description="Add a mobile number or email; a code is sent to verify it.")
    verify_contact = VerifyContact.Field()
    remove_contact = RemoveContact.Field()
    request_password_reset = RequestPasswordReset.Field(
        description="Send a reset code to a verified contact; the answer is the same whether one exists or not."
    )
    reset_password = ResetPassword.Field(description="Every earlier token is revoked; a new one is returned.")


# ---------------------------------------------------------------- data export

DataExportStatus = graphene.Enum("DataExportStatus", [(s, s) for s in DataExport.Status.values])


class DataExportType(graphene.ObjectType):
    class Meta:
        name = "DataExport"

    id = graphene.ID(required=True)
    status = graphene.Field(DataExportStatus, required=True)
    requested_at = graphene.DateTime(required=True)
    ready_at = graphene.DateTime()
    expires_at = graphene.DateTime()
    download_url = graphene.String(description="Works for the owner only (signed in), until `expiresAt`.")

    @staticmethod
    def resolve_id(root: DataExport, info):
        return to_global_id("DataExport", root.pk)

    @staticmethod
    def resolve_status(root: DataExport, info):
        return str(root.status)

    @staticmethod
    def resolve_requested_at(root: DataExport, info):
        return root.created_at

    @staticmethod
    def resolve_download_url(root: DataExport, info):
        if root.status != DataExport.Status.READY or not root.file_name:
            return None
        return info.context.build_absolute_uri(export.download_path(root))


class DataExportQuery(graphene.ObjectType):
    my_data_exports = graphene.List(
        graphene.NonNull(DataExportType), required=True, description="The viewer's data exports, newest first."
    )

    @staticmethod
    def resolve_my_data_exports(root, info):
        user = info.context.user
        if not user.is_authenticated:
            raise unauthenticated()
        return selectors.data_exports_of(user)


DataExportPayload = payload("DataExportPayload", export=DataExportType)


class RequestDataExport(ServiceMutation):
    Output = DataExportPayload
    access = SIGNED_IN

    @classmethod
    def perform(cls, info, input=None):
        return DataExportPayload(export=export.request_data_export(user=info.context.user))


class DataExportMutation(graphene.ObjectType):
    request_data_export = RequestDataExport.Field(
        description="Build a zip of the viewer's data in the background; a notification brings the link."
    )


# ---------------------------------------------------------------- deleting the account


class DeleteAccountInput(graphene.InputObjectType):
    password = graphene.String(required=True)


class DeleteAccountPayload(Payload):
    erase_after = graphene.DateTime(description="When the account is erased unless its owner logs in before.")


class DeleteAccount(ServiceMutation):
    Output = DeleteAccountPayload
    access = SIGNED_IN
    input_type = DeleteAccountInput

    @classmethod
    def perform(cls, info, input):
        request = info.context
        user = deletion.delete_account(user=request.user, password=input.password)
        if hasattr(request, "session") and not getattr(request, "bearer_token", None):
            session_logout(request)
        return DeleteAccountPayload(erase_after=user.erase_after)


class DeletionMutation(graphene.ObjectType):
    delete_account = DeleteAccount.Field(
        description="Needs the password. Deactivated at once; erased after 15 days unless the owner logs in."
    )
