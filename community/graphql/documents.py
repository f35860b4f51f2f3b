"""Parsed and validated documents, cached: apps send the same few queries over and over.

A document's validity depends only on the schema, the rules and the limits they read, so the cache
key holds the limits too. Execution never changes a document, so one parsed copy serves every request.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from graphql import DocumentNode, GraphQLError, parse, validate

DOCUMENTS_CACHED = 512


def _limits() -> tuple:
    return (settings.GRAPHQL_MAX_DEPTH, settings.GRAPHQL_MAX_ALIASES, settings.GRAPHQL_MAX_FIELDS)


@lru_cache(maxsize=DOCUMENTS_CACHED)
def _checked(schema, rules: tuple, query: str, limits: tuple, language: str) -> tuple:
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    return document, tuple(validate(schema, document, rules))


def checked_document(schema, query: str, rules: tuple) -> tuple[DocumentNode | None, list[GraphQLError]]:
    """The parsed document and its validation errors (messages in the active language)."""
    from django.utils import translation

    document, errors = _checked(schema, rules, query, _limits(), translation.get_language() or "")
    return document, list(errors)
