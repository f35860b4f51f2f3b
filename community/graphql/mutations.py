"""The one shape every mutation has: an `input`, a payload, and `errors` for expected failures."""

from __future__ import annotations

import graphene

from community.graphql.errors import UserError, user_errors
from community.kernel.errors import ServiceError


class Payload(graphene.ObjectType):
    """Base of every payload type: `errors` is never null."""

    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(UserError), required=True)

    @staticmethod
    def resolve_errors(root, info):
        return getattr(root, "errors", None) or []


class ServiceMutation(graphene.Mutation):
    """Calls `perform`; a `ServiceError` from the service becomes the payload's `errors`."""

    class Meta:
        abstract = True

    @classmethod
    def mutate(cls, root, info, **arguments):
        try:
            return cls.perform(info, **arguments)
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
