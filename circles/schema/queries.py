"""Queries: the directory, one circle, the viewer's own circles, the brand's review queue."""

from __future__ import annotations

import graphene

from circles import selectors
from circles.models import Membership
from circles.schema.types import (
    CircleConnection,
    CircleKind,
    CircleRole,
    CircleType,
    MembershipConnection,
    MembershipStatus,
)
from community.graphql.enums import plain
from community.graphql.errors import require_brand_viewer, unauthenticated
from community.graphql.ids import decode_argument as _decode
from community.graphql.pagination import paginate


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
        circles = selectors.listed_circles(city=city, kind=plain(kind), search=search)
        return paginate(circles, CircleConnection, first=first, after=after)

    @staticmethod
    def resolve_circle(root, info, id):
        pk = _decode(id, "Circle", "id")
        return selectors.visible_circles(info.context.user).filter(pk=pk).first()

    @staticmethod
    def resolve_pending_circles(root, info, first=None, after=None):
        require_brand_viewer(info)
        return paginate(
            selectors.pending_circles(), CircleConnection, first=first, after=after, ordering=("created_at", "id")
        )

    @staticmethod
    def resolve_my_memberships(root, info, first=None, after=None, role=None, status=None):
        if not info.context.user.is_authenticated:
            raise unauthenticated()
        memberships = selectors.viewer_memberships(
            info.context.user, role=plain(role), status=plain(status) or Membership.Status.ACTIVE
        )
        return paginate(memberships, MembershipConnection, first=first, after=after)
