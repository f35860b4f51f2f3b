"""The web client's pages: /app/ (any path below) from the build with the CSRF cookie, GraphiQL at
/graphql/ from the same build (no CDN), and a clear answer before the first build."""

from __future__ import annotations

import json
import os
import re

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


# ---------------------------------------------------------------- the first page's answers in the page

VIEWER = "query Viewer { me { id nickname __typename } unreadNotificationCount }"
FEED = (
    "query Feed($first: Int!, $after: String) { feed(first: $first, after: $after) "
    "{ edges { node { id body author { nickname __typename } __typename } __typename } __typename } }"
)
FIRST_PAGE = [
    {"name": "Viewer", "query": VIEWER, "variables": {}, "route": "*"},
    {"name": "Feed", "query": FEED, "variables": {"first": 10}, "route": "/"},
]
PAGE_WITH_BODY = (
    '<!doctype html><html><head><script type="module" src="/static/app/assets/app.js"></script></head>'
    '<body><div id="root"></div></body></html>'
)


@pytest.fixture
def first_page(built):
    (built / "index.html").write_text(PAGE_WITH_BODY, encoding="utf-8")
    (built / "first-page.json").write_text(json.dumps(FIRST_PAGE), encoding="utf-8")
    return built


def embedded(response) -> dict | None:
    """The page's JSON data block, parsed (None when the page has none)."""
    match = re.search(
        r'<script id="first-page-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1)) if match else None


def signed_in(user, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_a_signed_in_owner_gets_their_viewer_and_feed_in_the_page(first_page, user, other_user):
    from tests.content.helpers import make_post

    mine = make_post(user, body="我的南山夜景")
    make_post(other_user, body="别人的帖子")  # not followed: not in this owner's feed
    response = signed_in(user).get("/app/")
    answers = embedded(response)
    assert answers["language"] == "zh-Hans"
    viewer = answers["operations"]["Viewer"]
    assert viewer["variables"] == {}
    assert viewer["result"]["data"]["me"]["nickname"] == user.nickname
    assert viewer["result"]["data"]["unreadNotificationCount"] == 0
    feed = answers["operations"]["Feed"]
    assert feed["variables"] == {"first": 10}
    bodies = [edge["node"]["body"] for edge in feed["result"]["data"]["feed"]["edges"]]
    assert bodies == [mine.body]
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in response["Vary"]


def test_the_answers_are_those_of_the_endpoint(first_page, user, gql):
    from tests.content.helpers import make_post

    make_post(user, body="同一个答案")
    client = signed_in(user)
    page = embedded(client.get("/app/"))["operations"]["Feed"]["result"]
    api = client.post("/graphql/", {"query": FEED, "variables": {"first": 10}}, content_type="application/json").json()
    assert page == api


def test_other_pages_carry_the_viewer_only_and_english_is_said(first_page, user):
    answers = embedded(signed_in(user, "en").get("/app/events"))
    assert answers["language"] == "en"
    assert set(answers["operations"]) == {"Viewer"}


def test_anonymous_pages_carry_nothing(first_page):
    response = Client().get("/app/")
    assert embedded(response) is None
    assert response.content.decode() == PAGE_WITH_BODY
    assert response["Cache-Control"] == "no-cache"


def test_a_page_carries_its_own_viewer_only(first_page, user, other_user):
    from tests.content.helpers import make_post

    make_post(user, body="只属于第一个人")
    other_page = signed_in(other_user).get("/app/")
    answers = embedded(other_page)
    assert answers["operations"]["Viewer"]["result"]["data"]["me"]["nickname"] == other_user.nickname
    text = other_page.content.decode()
    assert user.nickname not in text and "只属于第一个人" not in text


def test_only_the_builds_queries_run_never_the_query_string_nor_a_mutation(first_page, user):
    listed = [
        *FIRST_PAGE,
        {
            "name": "Logout",
            "query": "mutation Logout { logout(input: {allDevices: false}) { revoked } }",
            "variables": {},
        },
    ]
    (first_page / "first-page.json").write_text(json.dumps(listed), encoding="utf-8")
    client = signed_in(user)
    answers = embedded(client.get("/app/", {"query": "{ __typename }", "operationName": "x"}))
    assert set(answers["operations"]) == {"Viewer", "Feed"}
    assert answers["operations"]["Viewer"]["result"]["data"]["me"]["nickname"] == user.nickname
    # The mutation did not run: the session is still signed in.
    assert embedded(client.get("/app/"))["operations"]["Viewer"]["result"]["data"]["me"] is not None


def test_an_operation_that_fails_is_left_for_the_client(first_page, user):
    broken = [{"name": "Viewer", "query": "query Viewer { nope }", "variables": {}}, FIRST_PAGE[1]]
    (first_page / "first-page.json").write_text(json.dumps(broken), encoding="utf-8")
    assert set(embedded(signed_in(user).get("/app/"))["operations"]) == {"Feed"}


def test_a_build_without_the_list_embeds_nothing(built, user):
    response = signed_in(user).get("/app/")
    assert response.content.decode() == INDEX
    assert response["Cache-Control"] == "no-cache"


def test_the_answers_cannot_close_the_data_block(first_page, user):
    from tests.content.helpers import make_post

    make_post(user, body='</script><script>alert("x")</script>')
    text = signed_in(user).get("/app/").content.decode()
    block = text[text.index('id="first-page-data"') :]
    assert block.count("</script>") == 1  # the block's own end tag only
    assert '</script><script>alert("x")' not in text
    answers = embedded(signed_in(user).get("/app/"))
    assert answers["operations"]["Feed"]["result"]["data"]["feed"]["edges"][0]["node"]["body"].startswith("</script>")


def test_the_csp_still_holds_no_inline_script_runs(first_page, user, settings):
    from community.settings import DEFAULT_CONTENT_SECURITY_POLICY

    settings.CONTENT_SECURITY_POLICY = DEFAULT_CONTENT_SECURITY_POLICY
    response = signed_in(user).get("/app/")
    assert response["Content-Security-Policy"] == DEFAULT_CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>", response.content.decode())
    assert scripts and embedded(response)
    # Every script is a file from our origin or a JSON data block, which the browser never executes.
    assert all('src="/static/' in attributes or 'type="application/json"' in attributes for attributes in scripts)
