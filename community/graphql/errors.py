"""Errors the API shows: payload `UserError`s for expected failures, top-level codes for access."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _
from graphql import GraphQLError

from community.kernel.errors import ErrorCode as ServiceErrorCode
from community.kernel.errors import ServiceError

ErrorCode = graphene.Enum.from_enum(ServiceErrorCode, name="ErrorCode")


class UserError(graphene.ObjectType):
    field = graphene.String()
    message = graphene.String(required=True)
    code = graphene.Field(ErrorCode, required=True)
    retry_after = graphene.Int(description="With RATE_LIMITED: seconds to wait before trying again.")


def user_errors(error: ServiceError) -> list[UserError]:
    return [
        UserError(field=e.field, message=str(e.message), code=e.code.value, retry_after=error.retry_after)
        for e in error.errors
    ]


class CodedError(GraphQLError):
    """A top-level error whose `extensions.code` clients can branch on."""

    def __init__(self, message: str, code: str, **extensions) -> None:
        super().__init__(str(message), extensions={"code": code, **extensions})


def unauthenticated() -> CodedError:
    return CodedError(_("Please sign in first."), "UNAUTHENTICATED")


def forbidden() -> CodedError:
    return CodedError(_("You are not allowed to see this."), "FORBIDDEN")


def not_found() -> CodedError:
    return CodedError(_("Not found."), "NOT_FOUND")


def bad_input(message: str) -> CodedError:
    return CodedError(message, "BAD_USER_INPUT")


def require_viewer(info):
    user = info.context.user
    if not user.is_authenticated:
        raise unauthenticated()
    return user


def require_brand_viewer(info):
    user = require_viewer(info)
    if not user.is_brand_staff:
        raise forbidden()
    return user


def argument_error(error: ServiceError) -> CodedError:
    """A query argument's `ServiceError` as a top-level error (queries have no payload)."""
    first = error.errors[0]
    return CodedError(first.message, first.code.value, field=first.field)
