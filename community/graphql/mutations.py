"""The one shape every mutation has: an `input`, a payload, and `errors` for expected failures.

Who may call a mutation is declared on it (`access = SIGNED_IN` or `BRAND_STAFF`) and checked here
before `perform`; `perform` receives plain values (enum members unwrapped), as services expect.
"""

from __future__ import annotations

import graphene

from community.graphql.enums import plain
from community.graphql.errors import UserError, user_errors
from community.kernel.access import require_brand_staff, require_user
from community.kernel.errors import ServiceError

ANYONE = "anyone"
SIGNED_IN = "signed_in"
BRAND_STAFF = "brand_staff"

_CHECKS = {ANYONE: lambda user: None, SIGNED_IN: require_user, BRAND_STAFF: require_brand_staff}


class Payload(graphene.ObjectType):
    """Base of every payload type: `errors` is never null."""

    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(UserError), required=True)

    @staticmethod
    def resolve_errors(root, info):
        return getattr(root, "errors", None) or []


class ServiceMutation(graphene.Mutation):
    """Checks `access`, then calls `perform`; a `ServiceError` becomes the payload's `errors`."""

    class Meta:
        abstract = True

    access = ANYONE

    @classmethod
    def mutate(cls, root, info, **arguments):
        try:
            _CHECKS[cls.access](info.context.user)
            return cls.perform(info, **{name: plain(value) for name, value in arguments.items()})
        except ServiceError as error:
            return cls.error_payload(info, user_errors(error))

    @classmethod
    def error_payload(cls, info, errors):
        """The payload when the service refused; override where non-null fields need a value."""
        return cls._meta.output(errors=errors)

    @classmethod
    def perform(cls, info, **arguments):
        raise NotImplementedError


def provided(input_object, name: str, default=None):
    """The value of an optional input field, telling 'not given' apart from null when it matters."""
    return getattr(input_object, name, default) if input_object is not None else default
