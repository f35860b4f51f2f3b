"""What every search shares: the query's checks, and whether the database ranks by trigrams.

Chinese text has no spaces, so search is substring search: `icontains` everywhere. On PostgreSQL
the migrations add pg_trgm GIN indexes on `UPPER(column)` (the expression Django's `icontains`
compares), which serve substring matches of any length, one- and two-character queries included;
ranking there also uses trigram word similarity. SQLite scans.
"""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, ServiceError

SEARCH_QUERY_MAX_LENGTH = 50


def clean_search_query(query: str | None) -> str:
    """The stripped query, or INVALID on `query` when it is empty or longer than the limit."""
    query = (query or "").strip()
    if not query:
        raise ServiceError(ErrorCode.INVALID, _("Type something to search for."), "query")
    if len(query) > SEARCH_QUERY_MAX_LENGTH:
        raise ServiceError(
            ErrorCode.INVALID,
            _("A search can be at most %(max)d characters.") % {"max": SEARCH_QUERY_MAX_LENGTH},
            "query",
        )
    return query


def ranks_by_trigrams() -> bool:
    return connection.vendor == "postgresql"


def trigram_index(table: str, column: str, name: str):
    """A migration operation adding, on PostgreSQL only, a pg_trgm GIN index on `UPPER(column)`.

    `UPPER(...)` because that is what Django's `icontains` compares (`UPPER(col::text) LIKE
    UPPER('%q%')`), so the planner can use the index for it; SQLite has no such index and scans.
    """
    from django.db import migrations  # only migrations need it

    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(create, drop, elidable=False)
