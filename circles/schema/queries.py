"""Queries: the directory, one circle, the brand's review queue."""

from __future__ import annotations

import graphene

from circles import selectors
from circles.schema.types import CircleConnection, CircleKind, CircleType
from community.graphql.enums import plain
from community.graphql.errors import require_brand_viewer
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
