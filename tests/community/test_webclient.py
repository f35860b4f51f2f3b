"""The web client's pages: /app/ (any path below) from the build with the CSRF cookie, GraphiQL at
/graphql/ from the same build (no CDN), and a clear answer before the first build."""

from __future__ import annotations

import os

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGE = '<!doctype html><html><head><script type="module" src="/static/app/assets/{}.js"></script></head></html>'
INDEX = PAGE.format("app-abc123")
GRAPHIQL = PAGE.format("graphiql-def456")


@pytest.fixture
def built(settings, tmp_path):
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "graphiql.html").write_text(GRAPHIQL, encoding="utf-8")
    settings.WEB_CLIENT_DIST = tmp_path
    return tmp_path


@pytest.mark.parametrize("path", ["/app/", "/app/events/RXZlbnQ6MQ==", "/app/circles/Q2lyY2xlOjE=/chat?invite=k3J9"])
def test_every_client_path_gets_the_page_and_a_csrf_cookie(built, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response.content.decode() == INDEX
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-cache"
    assert response.cookies["csrftoken"].value


def test_a_new_build_is_served_at_once(built):
    assert Client().get("/app/").content.decode() == INDEX
    newer = INDEX.replace("abc123", "zzz999")
    (built / "index.html").write_text(newer, encoding="utf-8")
    stat = (built / "index.html").stat()
    os.utime(built / "index.html", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert Client().get("/app/").content.decode() == newer


def test_graphiql_is_the_local_build_not_a_cdn(built):
    response = Client().get("/graphql/", HTTP_ACCEPT="text/html")
    page = response.content.decode()
    assert response.status_code == 200
    assert page == GRAPHIQL
    assert "cdn" not in page and "unpkg" not in page and "jsdelivr" not in page
    assert response.cookies["csrftoken"].value


def test_graphql_itself_still_answers_json(built, gql):
    assert gql("{ __typename }")["data"] == {"__typename": "Query"}


def test_before_the_first_build_the_pages_say_how_to_build(settings, tmp_path):
    settings.WEB_CLIENT_DIST = tmp_path / "missing"
    for path, headers in (("/app/", {}), ("/graphql/", {"HTTP_ACCEPT": "text/html"})):
        response = Client().get(path, HTTP_ACCEPT_LANGUAGE="en", **headers)
        assert response.status_code == 503
        assert "make web" in response.content.decode()


def test_the_page_is_read_only(built):
    assert Client().post("/app/").status_code == 405
