"""The web client that Vite builds from frontend/ into frontend/dist: its index page at /app/ (any path
below it, for the client's router) and GraphiQL at /graphql/, both with their assets served by
staticfiles at /static/app/ (WhiteNoise when DEBUG is off), so neither needs the internet."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from community.graphql.view import CommunityGraphQLView


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


@require_GET
@ensure_csrf_cookie
def index(request: HttpRequest, path: str = "") -> HttpResponse:
    """The single page: the client's router handles the path; the CSRF cookie is set for its POSTs."""
    html = built_page("index.html")
    if html is None:
        return _not_built()
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # The page names its hashed assets: always revalidate it so a new build is picked up at once.
    response["Cache-Control"] = "no-cache"
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
