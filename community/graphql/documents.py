"""Parsed and validated documents, cached: apps send the same few queries over and over.

A document is parsed under the token and nesting limits, then measured against the other limits
alone (`community.graphql.limits`, linear in the document), and only a document within them meets
graphql-core's standard rules, some of which are quadratic. A document's validity depends only on
the schema, the rules and the limits, so the cache key holds the limits too. Execution never
changes a document, so one parsed copy serves every request.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from graphql import DocumentNode, GraphQLError, validate

from community.graphql.limits import limit_errors, parse_document

DOCUMENTS_CACHED = 512


def _limits() -> tuple:
    return (
        settings.GRAPHQL_MAX_TOKENS,
        settings.GRAPHQL_MAX_DEPTH,
        settings.GRAPHQL_MAX_ALIASES,
        settings.GRAPHQL_MAX_FIELDS,
        settings.GRAPHQL_MAX_FIELD_REPEATS,
        settings.GRAPHQL_MAX_FRAGMENTS,
        settings.GRAPHQL_MAX_VARIABLES,
    )


@lru_cache(maxsize=DOCUMENTS_CACHED)
def _checked(schema, rules: tuple, query: str, limits: tuple, language: str) -> tuple:
    try:
        document = parse_document(query)
    except GraphQLError as error:
        return None, (error,)
    errors = limit_errors(schema, document)
    if errors:
        return None, tuple(errors)
    return document, tuple(validate(schema, document, rules))


def checked_document(schema, query: str, rules: tuple) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The parsed document and its validation errors (messages in the active language)."""
    from django.utils import translation

    document, errors = _checked(schema, rules, query, _limits(), translation.get_language() or "")
    return document, list(errors)
