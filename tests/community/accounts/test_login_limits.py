"""Login limits: failures counted per (username, address) pair and per address, atomically before the
password is checked; the client's address taken from X-Forwarded-For only through trusted proxies; and login
by a cross-site form refused (login CSRF), while the app's bearer-token clients are unaffected."""

from __future__ import annotations

import json
import threading

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import Client, RequestFactory

from community.accounts import services
from community.accounts.middleware import client_ip
from tests.factories import PASSWORD, UserFactory
from tests.helpers import at_once, data_of

LOGIN = """
mutation($input: LoginInput!) { login(input: $input) { token errors { code } } }"""

pytestmark = pytest.mark.django_db


def login(gql, username, password, address="198.51.100.1", **headers) -> list[str]:
    result = gql(LOGIN, {"input": {"username": username, "password": password}}, REMOTE_ADDR=address, **headers)
    return [e["code"] for e in data_of(result, "login")["errors"]]


@pytest.fixture
def limit(settings):
    settings.LOGIN_ATTEMPTS_PER_WINDOW = 5
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 100
    return 5


def test_the_pair_is_refused_one_past_the_limit_and_not_at_it(gql, user, limit):
    for _ in range(limit - 1):
        assert login(gql, user.username, "wrong") == ["UNAUTHENTICATED"]
    assert login(gql, user.username, "wrong") == ["UNAUTHENTICATED"]  # the limit-th is still checked
    assert login(gql, user.username, PASSWORD) == ["RATE_LIMITED"]  # one past it: refused, even when right


def test_a_victim_is_not_locked_out_from_elsewhere(gql, user, limit):
    for _ in range(limit + 3):
        login(gql, user.username, "wrong", address="203.0.113.66")
    assert login(gql, user.username, PASSWORD, address="203.0.113.66") == ["RATE_LIMITED"]
    assert login(gql, user.username, PASSWORD, address="198.51.100.20") == []


def test_one_owner_behind_a_nat_does_not_lock_the_others_out(gql, limit):
    clumsy, neighbour = UserFactory(), UserFactory()
    for _ in range(limit + 1):
        login(gql, clumsy.username, "wrong", address="100.64.0.1")
    assert login(gql, neighbour.username, PASSWORD, address="100.64.0.1") == []


def test_one_address_trying_many_accounts_is_refused_past_the_address_limit(gql, settings, limit):
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 8
    users = [UserFactory() for _ in range(9)]
    for user in users[:8]:
        assert login(gql, user.username, "wrong", address="192.0.2.9") == ["UNAUTHENTICATED"]
    assert login(gql, users[8].username, PASSWORD, address="192.0.2.9") == ["RATE_LIMITED"]
    assert login(gql, users[8].username, PASSWORD, address="192.0.2.10") == []


def test_a_success_resets_the_pair(gql, user, limit):
    for _ in range(limit - 1):
        login(gql, user.username, "wrong")
    assert login(gql, user.username, PASSWORD) == []
    for _ in range(limit):
        assert login(gql, user.username, "wrong") == ["UNAUTHENTICATED"]


def test_a_forged_forwarded_for_cannot_pick_the_limited_address(gql, user, settings, limit):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    for attempt in range(limit):
        forged = f"10.9.8.{attempt}, 203.0.113.5"  # the client wrote the first entry, nginx appended the second
        assert login(gql, user.username, "wrong", address="127.0.0.1", HTTP_X_FORWARDED_FOR=forged) == [
            "UNAUTHENTICATED"
        ]
    refused = login(gql, user.username, PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert refused == ["RATE_LIMITED"]


# ---------------------------------------------------------------- the client's address


def address_of(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().post("/graphql/", **extra))


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "client"),
    [
        ([], "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # no trusted proxy: the header is ignored
        (["127.0.0.1"], "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # not from the proxy: ignored
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the rightmost, never the first
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # two proxies
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", None, "127.0.0.1"),  # nothing forwarded: the proxy itself
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, not-an-ip", "127.0.0.1"),  # garbage: the last address vouched for
        (["::1"], "::1", "2001:db8::7", "2001:db8::7"),
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5:4711", "203.0.113.5"),  # with a port
    ],
)
def test_the_client_address_comes_through_trusted_proxies_only(settings, trusted, remote, forwarded, client):
    settings.TRUSTED_PROXIES = trusted
    assert address_of(remote, forwarded) == client


# ---------------------------------------------------------------- login CSRF


def post(browser: Client, body: dict, **extra):
    return browser.post("/graphql/", json.dumps(body), content_type="application/json", **extra)


def login_body(user, password=PASSWORD) -> dict:
    return {"query": LOGIN, "variables": {"input": {"username": user.username, "password": password}}}


def test_a_cross_site_form_cannot_log_a_browser_in(user):
    browser = Client(enforce_csrf_checks=True)
    form = {
        "query": f'mutation {{ login(input: {{username: "{user.username}", password: "{PASSWORD}"}}) {{ token }} }}'
    }
    refused = browser.post("/graphql/", form, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "sessionid" not in browser.cookies
    # the same form without an Origin header (an older browser) is refused for its content type alone
    assert browser.post("/graphql/", form).status_code == 403
    plain = browser.post("/graphql/", json.dumps(login_body(user)), content_type="text/plain")
    assert plain.status_code == 403 and "sessionid" not in browser.cookies


def test_a_cross_site_json_post_is_refused_too(user):
    browser = Client(enforce_csrf_checks=True)
    refused = post(browser, login_body(user), HTTP_ORIGIN="https://evil.example", HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403 and "sessionid" not in browser.cookies


def test_the_web_client_logs_in_with_its_csrf_token(user):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/graphql/", HTTP_ACCEPT="text/html")  # the page sets the CSRF cookie (built or not)
    token = browser.cookies["csrftoken"].value if "csrftoken" in browser.cookies else None
    if token is None:  # the client is not built here: take the cookie the way any of our pages gives it
        from django.middleware.csrf import _get_new_csrf_string

        token = _get_new_csrf_string()
        browser.cookies["csrftoken"] = token
    response = post(browser, login_body(user), HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200 and response.json()["data"]["login"]["errors"] == []
    assert "sessionid" in browser.cookies


def test_the_app_logs_in_without_cookies_or_csrf(user):
    app = Client(enforce_csrf_checks=True)
    response = post(app, login_body(user))
    assert response.status_code == 200 and response.json()["data"]["login"]["token"]


def test_bearer_token_clients_are_unaffected(user):
    token = services.issue_token(user)
    app = Client(enforce_csrf_checks=True)
    response = post(
        app, {"query": "{ me { nickname } }"}, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ORIGIN="https://x.example"
    )
    assert response.status_code == 200 and response.json()["data"]["me"]["nickname"] == user.nickname


# ---------------------------------------------------------------- under concurrency


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_wrong_passwords_check_at_most_the_limit(settings):
    """On PostgreSQL and Redis: 20 threads at once, each with a wrong password for the same account from the
    same address. The counter is taken before the password is checked, so at most the limit are checked."""
    settings.LOGIN_ATTEMPTS_PER_WINDOW = 5
    user = UserFactory()
    checked: list[str] = []
    lock = threading.Lock()

    def failed(sender, credentials, **kwargs):
        with lock:
            checked.append(credentials.get("username"))

    user_login_failed.connect(failed)
    try:
        attempts = at_once(
            [lambda: services.login(username=user.username, password="wrong", ip="198.51.100.77")] * 20, join=30
        )
    finally:
        user_login_failed.disconnect(failed)
    assert attempts.crashes == []
    outcomes = attempts.codes + ["OK"] * len(attempts.results)
    assert len(checked) <= 5
    assert sorted(outcomes) == sorted(["UNAUTHENTICATED"] * len(checked) + ["RATE_LIMITED"] * (20 - len(checked)))
    assert len(checked) == 5


def test_an_app_with_a_cookie_jar_logs_in_again_when_its_session_has_ended(user):
    """Logging in also starts a session (for the web client): an app that keeps cookies sends them back,
    without a CSRF token. A cross-site JSON POST needs a preflight we never grant, so that is no risk."""
    app = Client(enforce_csrf_checks=True)
    assert post(app, login_body(user)).json()["data"]["login"]["token"]
    assert "sessionid" in app.cookies and "csrftoken" in app.cookies
    app.cookies["sessionid"] = "ended"  # expired or flushed: only anonymous cookies are left
    again = post(app, login_body(user))
    assert again.status_code == 200 and again.json()["data"]["login"]["token"]
