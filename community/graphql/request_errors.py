"""Errors in the request itself (the document does not parse or does not fit the schema, a variable
has the wrong type), with a stable code and a message in the user's language.

graphql-core writes these in English; the common ones are matched here and told again through
gettext, the rest get a general translated sentence. The original text stays in
`extensions.detail` for developers.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from graphql import GraphQLError, GraphQLSyntaxError

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"  # variables that do not fit their types (community.graphql.execution)


def _cannot_query(m):
    return _("The type %(type)s has no field %(field)s.") % {"type": m["type"], "field": m["field"]}


def _unknown_argument(m):
    return _("The field %(field)s has no argument %(argument)s.") % {"field": m["field"], "argument": m["arg"]}


def _needs_selection(m):
    return _("The field %(field)s needs a selection of subfields.") % {"field": m["field"]}


def _no_selection(m):
    return _("The field %(field)s has no subfields to select.") % {"field": m["field"]}


def _missing_argument(m):
    return _("The field %(field)s needs the argument %(argument)s.") % {"field": m["field"], "argument": m["arg"]}


def _unknown_type(m):
    return _("Unknown type %(type)s.") % {"type": m["type"]}


def _missing_variable(m):
    return _("The variable $%(variable)s is required.") % {"variable": m["var"]}


def _invalid_variable(m):
    return _("The variable $%(variable)s has an invalid value.") % {"variable": m["var"]}


def _wrong_value(m):
    return _("A value has the wrong type: %(type)s expected.") % {"type": m["type"]}


PATTERNS = (
    (re.compile(r"^Cannot query field '(?P<field>\w+)' on type '(?P<type>\w+)'\."), _cannot_query),
    (re.compile(r"^Unknown argument '(?P<arg>\w+)' on field '(?P<field>[\w.]+)'\."), _unknown_argument),
    (re.compile(r"^Field '(?P<field>\w+)' of type '[^']+' must have a selection of subfields\."), _needs_selection),
    (re.compile(r"^Field '(?P<field>\w+)' must not have a selection"), _no_selection),
    (re.compile(r"^Field '(?P<field>\w+)' argument '(?P<arg>\w+)' of type '[^']+' is required"), _missing_argument),
    (re.compile(r"^Unknown type '(?P<type>\w+)'\."), _unknown_type),
    (
        re.compile(
            r"^Variable '\$(?P<var>\w+)' of (non-null|required) type '[^']+' (was not provided|must not be null)"
        ),
        _missing_variable,
    ),
    (re.compile(r"^Variable '\$(?P<var>\w+)' got invalid value"), _invalid_variable),
    (re.compile(r"^(?P<type>\w+) cannot represent"), _wrong_value),
)


def is_request_error(error) -> bool:
    """A GraphQL error about the request itself: no resolver raised it, it has no code yet or it is
    about the variables."""
    return (
        isinstance(error, GraphQLError)
        and getattr(error, "original_error", None) is None
        and not error.path
        and (error.extensions or {}).get("code") in (None, BAD_USER_INPUT)
    )


def format_request_error(error: GraphQLError) -> dict:
    """The error with its code and a message in the active language (the original in `detail`)."""
    formatted = error.formatted
    detail = error.message
    if isinstance(error, GraphQLSyntaxError):
        code = PARSE_FAILED
        where = (error.locations or [None])[0]
        if where is not None:
            message = _("The query has a syntax error at line %(line)d, column %(column)d.") % {
                "line": where.line,
                "column": where.column,
            }
        else:
            message = _("The query has a syntax error.")
    else:
        code = (error.extensions or {}).get("code") or VALIDATION_FAILED
        message = next(
            (translate(match) for pattern, translate in PATTERNS if (match := pattern.match(detail))),
            _("The query does not fit the API's schema."),
        )
    formatted["message"] = message
    formatted["extensions"] = {"code": code, "detail": detail}
    return formatted
