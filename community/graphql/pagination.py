"""Keyset (cursor) pagination for every connection: stable while rows arrive, capped at 100."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from graphene import relay
from graphql import get_nullable_type

from community.graphql.errors import bad_input


def clamp_first(first: int | None) -> int:
    if first is None:
        return settings.GRAPHQL_PAGE_SIZE_DEFAULT
    if first < 0:
        raise bad_input(_("`first` cannot be negative."))
    return min(first, settings.GRAPHQL_PAGE_SIZE_MAX)


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and "t" in value:
        return datetime.fromisoformat(value["t"])
    return value


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _ordering_value(model: type[Model], spec: str, value: Any) -> Any:
    """`value` as the ordering field holds it; a cursor is client input, so of any shape or type."""
    try:
        field = model._meta.get_field(spec.lstrip("-"))
    except FieldDoesNotExist:  # an annotation: only a plain value can be compared with it
        if isinstance(value, dict | list):
            raise ValueError(spec) from None
        return value
    return field.clean(value, None)  # type, range (a 64-bit id) and null, as the database would refuse them


def decode_cursor(cursor: str, ordering: tuple[str, ...], model: type[Model]) -> list[Any]:
    """The values a cursor holds, one per ordering field and of its type; else BAD_USER_INPUT."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(values, list) or len(values) != len(ordering):
            raise ValueError
        return [_ordering_value(model, spec, _decode_value(v)) for spec, v in zip(ordering, values, strict=True)]
    except (ValueError, TypeError, UnicodeDecodeError, ValidationError, RecursionError):
        raise bad_input(_("This cursor is not valid.")) from None


def after_filter(ordering: tuple[str, ...], values: list[Any]) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) | (a = x & b > y) | ..."""
    condition = Q()
    equal = Q()
    for field_spec, value in zip(ordering, values, strict=True):
        descending = field_spec.startswith("-")
        field = field_spec.lstrip("-")
        step = Q(**{f"{field}__lt" if descending else f"{field}__gt": value})
        condition |= equal & step
        equal &= Q(**{field: value})
    return condition


def paginate(
    queryset: QuerySet,
    connection_type: type[relay.Connection],
    *,
    first: int | None,
    after: str | None,
    ordering: tuple[str, ...] = ("-created_at", "-id"),
) -> relay.Connection:
    """One page of `queryset` in `ordering` (which must end in a unique field) as a connection."""
    limit = clamp_first(first)
    queryset = queryset.order_by(*ordering)
    if after:
        queryset = queryset.filter(after_filter(ordering, decode_cursor(after, ordering, queryset.model)))
    rows = list(queryset[: limit + 1]) if limit else []
    return connection_from_rows(rows, connection_type, limit=limit, ordering=ordering, after=after)


def connection_from_rows(
    rows: list, connection_type: type[relay.Connection], *, limit: int, ordering: tuple[str, ...], after: str | None
) -> relay.Connection:
    """A connection from up to `limit + 1` rows already fetched in `ordering` (the extra one means more)."""
    fields = [spec.lstrip("-") for spec in ordering]
    has_next = len(rows) > limit
    rows = rows[:limit]
    edge_type = connection_type.Edge
    edges = [edge_type(node=row, cursor=encode_cursor([getattr(row, f) for f in fields])) for row in rows]
    return connection_type(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=has_next,
            has_previous_page=bool(after),
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


def returned_connection(info) -> type[relay.Connection]:
    """The connection type the field being resolved returns, for fields that name their type lazily."""
    return get_nullable_type(info.return_type).graphene_type
