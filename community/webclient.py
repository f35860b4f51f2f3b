"""The web client that Vite builds from frontend/ into frontend/dist: its index page at /app/ (any path
below it, for the client's router) and GraphiQL at /graphql/, both with their assets served by
staticfiles at /static/app/ (WhiteNoise when DEBUG is off), so neither needs the internet.

For a signed-in browser the page also carries the answers to the first page's queries (the viewer,
and the feed on the feed's address), so the feed shows without a round trip after the JavaScript:
the build lists those documents as codegen prints them (frontend/dist/first-page.json, written by
vite.config.ts), and the page runs them here through the public schema, exactly as a POST to
/graphql/ would, and embeds the answers as JSON (never executed, so the CSP's script-src still holds).
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.html import json_script
from django.utils.translation import get_language
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from community.graphql.view import CommunityGraphQLView

logger = logging.getLogger(__name__)

FIRST_PAGE_OPERATIONS = "first-page.json"
FIRST_PAGE_ELEMENT = "first-page-data"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


@lru_cache(maxsize=4)
def _cached(path: Path, mtime_ns: int) -> str | None:
    return _read(path)


def built_page(name: str) -> str | None:
    """A page of the built client, reread when a new build replaces it; None before the first build."""
    path = Path(settings.WEB_CLIENT_DIST) / name
    try:
        mtime_ns = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    return _cached(path, mtime_ns)


def _not_built() -> HttpResponse:
    # For whoever runs the server from a fresh clone, in both languages (no catalogue entry to keep).
    message = (
        "网页客户端尚未构建：请运行 make web（或 make run）。\n"
        "The web client has not been built yet: run `make web` (or `make run`).\n"
    )
    return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")


@lru_cache(maxsize=4)
def _operations(path: Path, mtime_ns: int) -> tuple[dict[str, Any], ...]:
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return ()
    if not isinstance(listed, list):
        return ()
    return tuple(
        operation
        for operation in listed
        if isinstance(operation, dict)
        and isinstance(operation.get("name"), str)
        and isinstance(operation.get("query"), str)
        and isinstance(operation.get("variables", {}), dict)
    )


def first_page_operations() -> tuple[dict[str, Any], ...]:
    """The documents the build says its first page asks for (name, query, variables, route)."""
    path = Path(settings.WEB_CLIENT_DIST) / FIRST_PAGE_OPERATIONS
    try:
        mtime_ns = path.stat().st_mtime_ns
    except FileNotFoundError:
        return ()
    return _operations(path, mtime_ns)


def client_language() -> str:
    """The request's language in the client's spelling (its i18n codes: zh-Hans, en)."""
    return "en" if (get_language() or "").startswith("en") else "zh-Hans"


def _applies(operation: dict[str, Any], path: str) -> bool:
    route = operation.get("route", "*")
    return route == "*" or route.strip("/") == path.strip("/")


def first_page_answers(request: HttpRequest, path: str) -> dict[str, Any] | None:
    """The signed-in viewer's answers to the first page's queries, as the endpoint would give them.

    Only a session-authenticated viewer gets any (the page is theirs alone: anonymous pages carry
    nothing), only queries run (the request is a GET, which the endpoint refuses mutations on), and an
    operation that fails or answers with errors is left out: the client then asks for it itself."""
    if not request.user.is_authenticated or getattr(request, "bearer_token", None):
        return None
    view = GraphQLWithLocalGraphiQL(graphiql=False)
    answers: dict[str, Any] = {}
    for operation in first_page_operations():
        if not _applies(operation, path):
            continue
        variables = operation.get("variables", {})
        try:
            # The endpoint's own path (size, validation, cost limits, context, loaders), fed only the build's
            # document: never the page's query string, which graphene would otherwise read on a GET.
            result = view.execute_graphql_request(request, {}, operation["query"], variables, operation["name"])
        except Exception:  # the page must still load; the client will ask the endpoint instead
            logger.warning("first page: %s not embedded", operation["name"], exc_info=True)
            continue
        if getattr(request, "database_unavailable", False):
            return None
        if result is None or result.errors or result.data is None:
            continue
        answers[operation["name"]] = {"variables": variables, "result": {"data": result.data}}
    if not answers:
        return None
    return {"language": client_language(), "operations": answers}


def embed(html: str, answers: dict[str, Any]) -> str:
    """The page with the answers as a JSON data block (escaped by json_script: no </script> breaks out)."""
    block = json_script(answers, FIRST_PAGE_ELEMENT)
    marker = "</body>"
    if marker not in html:
        return html + block
    return html.replace(marker, f"{block}\n  {marker}", 1)


@require_GET
@ensure_csrf_cookie
def index(request: HttpRequest, path: str = "") -> HttpResponse:
    """The single page: the client's router handles the path; the CSRF cookie is set for its POSTs."""
    html = built_page("index.html")
    if html is None:
        return _not_built()
    answers = first_page_answers(request, path)
    response = HttpResponse(embed(html, answers) if answers else html, content_type="text/html; charset=utf-8")
    # The page names its hashed assets: always revalidate it so a new build is picked up at once. With a
    # viewer's own answers in it, no shared cache may keep it.
    response["Cache-Control"] = "private, no-cache" if answers else "no-cache"
    return response


class GraphQLWithLocalGraphiQL(CommunityGraphQLView):
    """The GraphQL endpoint whose browser page is the GraphiQL built with the client (no CDN)."""

    @method_decorator(ensure_csrf_cookie)
    def render_graphiql(self, request, **data):
        html = built_page("graphiql.html")
        if html is None:
            return _not_built()
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        return response
