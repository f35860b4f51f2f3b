"""Opaque Relay global IDs, decoded with the type they must name."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from graphene_django.registry import get_global_registry
from graphql_relay import from_global_id, to_global_id

from community.graphql.errors import bad_input
from community.kernel.errors import ErrorCode, ServiceError

MAX_PK = 2**63 - 1  # BigAutoField


def decode_any(global_id: str | None, *, field: str) -> tuple[str, int]:
    """The type name and primary key a global ID names; INVALID for anything that is not one."""
    try:
        type_name, raw_pk = from_global_id(global_id if isinstance(global_id, str) else "")
        pk = int(raw_pk) if raw_pk.isascii() and raw_pk.isdigit() else 0
    except (TypeError, ValueError, UnicodeDecodeError):
        raise ServiceError(ErrorCode.INVALID, _("This ID is not valid."), field) from None
    if not type_name or not 0 < pk <= MAX_PK:
        raise ServiceError(ErrorCode.INVALID, _("This ID is not valid."), field)
    return type_name, pk


def decode(global_id: str | None, expected_type: str, *, field: str) -> int:
    """The primary key a global ID names; INVALID for garbage or an ID of another type."""
    type_name, pk = decode_any(global_id, field=field)
    if type_name != expected_type:
        raise ServiceError(ErrorCode.INVALID, _("This ID is not valid."), field)
    return pk


def decode_many(global_ids: list[str], expected_type: str, *, field: str) -> list[int]:
    return [decode(global_id, expected_type, field=field) for global_id in global_ids]


def encode(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


def decode_argument(global_id: str | None, expected_type: str, field: str = "id") -> int:
    """For query arguments: a malformed ID is a top-level BAD_USER_INPUT error, not a payload error."""
    try:
        return decode(global_id, expected_type, field=field)
    except ServiceError as error:
        raise bad_input(str(error.errors[0].message)) from None


def global_id_for(content_type_id: int | None, pk: int | None) -> str | None:
    """The global ID of a generic target (a notification's, an activity's), by the type registered for its model."""
    if content_type_id is None or pk is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    graphene_type = get_global_registry().get_type_for_model(model) if model else None
    return encode(graphene_type._meta.name, pk) if graphene_type else None


def node_argument(info, global_id: str | None):
    """What `node(id:)` returns: the object, None if it is gone or hidden; garbage is BAD_USER_INPUT."""
    from graphene import relay

    try:
        type_name, pk = decode_any(global_id, field="id")
    except ServiceError as error:
        raise bad_input(str(error.errors[0].message)) from None
    node_type = getattr(info.schema.get_type(type_name), "graphene_type", None)
    if node_type is None or relay.Node not in getattr(node_type._meta, "interfaces", ()):
        raise bad_input(str(_("This ID is not valid.")))
    return node_type.get_node(info, pk)
