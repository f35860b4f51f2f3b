"""GraphQL for circles (thin: services and selectors do the work): `types`, `queries`, `mutations` and
`subscriptions`; what the rest of the product uses is named here."""

from circles.schema.mutations import CirclesMutation
from circles.schema.queries import CirclesQuery
from circles.schema.subscriptions import CirclesSubscription
from circles.schema.types import ChatMessageType, CircleConnection, CircleType, viewer_membership

__all__ = [
    "ChatMessageType",
    "CircleConnection",
    "CircleType",
    "CirclesMutation",
    "CirclesQuery",
    "CirclesSubscription",
    "viewer_membership",
]
