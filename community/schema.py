"""The root schema: the only module that sees every app's schema piece and assembles them.

It builds `User` from the account's fields and the other apps' user fields, fills the fields a
lower app declares but a higher one answers (`Circle.posts`, `Circle.events`), and joins the apps'
queries, mutations and subscriptions. Bases are listed highest app first: graphene collects fields
in reverse order, so the printed schema keeps its order.
"""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoObjectType

from circles.schema import CirclesMutation, CirclesQuery, CirclesSubscription
from community.accounts.schema import (
    AccountsMutation,
    AccountsQuery,
    ContactsMutation,
    ContactsQuery,
    DataExportMutation,
    DataExportQuery,
    DeletionMutation,
    UserFields,
)
from community.content.schema import ContentMutation, ContentQuery, PostConnection, resolve_circle_posts
from community.graphql import slots
from community.messaging.schema import MessagingMutation, MessagingQuery, MessagingSubscription
from community.models import User
from community.moderation.schema import ModerationMutation, ModerationQuery
from community.notifications.schema import (
    NotificationPreferencesMutation,
    NotificationPreferencesQuery,
    NotificationsMutation,
    NotificationsQuery,
    NotificationsSubscription,
)
from events.schema import EventConnection, EventsMutation, EventsQuery, EventsSubscription, resolve_circle_events
from gamification.schema import GamificationMutation, GamificationQuery, GamificationUserFields


class UserType(UserFields, GamificationUserFields, DjangoObjectType):
    class Meta:
        model = User
        name = "User"
        interfaces = (relay.Node,)
        fields = ("id",)


class UserConnection(relay.Connection):
    class Meta:
        node = UserType


slots.fill("Circle.posts", PostConnection, resolve_circle_posts)
slots.fill("Circle.events", EventConnection, resolve_circle_events)


class Query(
    MessagingQuery,
    NotificationsQuery,
    NotificationPreferencesQuery,
    AccountsQuery,
    ContactsQuery,
    DataExportQuery,
    CirclesQuery,
    EventsQuery,
    ModerationQuery,
    ContentQuery,
    GamificationQuery,
    graphene.ObjectType,
):
    pass


class Mutation(
    MessagingMutation,
    NotificationsMutation,
    NotificationPreferencesMutation,
    AccountsMutation,
    ContactsMutation,
    DataExportMutation,
    DeletionMutation,
    CirclesMutation,
    EventsMutation,
    ModerationMutation,
    ContentMutation,
    GamificationMutation,
    graphene.ObjectType,
):
    pass


class Subscription(
    MessagingSubscription, NotificationsSubscription, CirclesSubscription, EventsSubscription, graphene.ObjectType
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation, subscription=Subscription, types=[UserConnection])
