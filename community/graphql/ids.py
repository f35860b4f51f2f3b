"""Opaque Relay global IDs, decoded with the type they must name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from graphql_relay import from_global_id, to_global_id

from community.kernel.errors import ErrorCode, ServiceError


def decode(global_id: str | None, expected_type: str, *, field: str) -> int:
    """The primary key a global ID names; INVALID for garbage or an ID of another type."""
    try:
        type_name, raw_pk = from_global_id(global_id or "")
        pk = int(raw_pk)
    except (TypeError, ValueError, UnicodeDecodeError):
        raise ServiceError(ErrorCode.INVALID, _("This ID is not valid."), field) from None
    if type_name != expected_type or pk <= 0:
        raise ServiceError(ErrorCode.INVALID, _("This ID is not valid."), field)
    return pk


def decode_many(global_ids: list[str], expected_type: str, *, field: str) -> list[int]:
    return [decode(global_id, expected_type, field=field) for global_id in global_ids]


def encode(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


def decode_argument(global_id: str | None, expected_type: str, field: str = "id") -> int:
    """For query arguments: a malformed ID is a top-level BAD_USER_INPUT error, not a payload error."""
    from community.graphql.errors import bad_input

    try:
        return decode(global_id, expected_type, field=field)
    except ServiceError as error:
        raise bad_input(str(error.errors[0].message)) from None


def enum_value(value):
    """The plain string of a graphene enum argument or a model's TextChoices member."""
    return getattr(value, "value", value)
