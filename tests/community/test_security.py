"""Security settings and refusals: an all-space password, a server without a real SECRET_KEY, a bad bearer
token (401, not silently anonymous), and HSTS with a Content-Security-Policy on the web pages."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from community.accounts import services
from community.models import User
from tests.factories import PASSWORD
from tests.helpers import data_of

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db

REGISTER = """
mutation($input: RegisterInput!) { register(input: $input) { token errors { field code message } } }"""


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize("password", [" " * 12, " " * 40, "\t \u3000 " * 4])
def test_a_password_of_only_spaces_is_refused(gql, password):
    result = data_of(
        gql(REGISTER, {"input": {"username": "kongge", "password": password, "nickname": "空格"}}), "register"
    )
    assert result["token"] is None
    assert ("password", "INVALID", "密码不能全是空格。") in [
        (e["field"], e["code"], e["message"]) for e in result["errors"]
    ]
    assert not User.objects.filter(username="kongge").exists()


def test_spaces_inside_a_real_password_are_fine(gql):
    result = data_of(
        gql(REGISTER, {"input": {"username": "kongge", "password": " correct horse 42 ", "nickname": "空格"}}),
        "register",
    )
    assert result["errors"] == [] and result["token"]


# ---------------------------------------------------------------- SECRET_KEY


def start(code: str, **env: str) -> subprocess.CompletedProcess:
    """A fresh Python process loading the settings the way a server does (not pytest, not manage.py)."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    environment.update(PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="community.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


SETUP = "import django; django.setup(); from django.conf import settings; print(len(settings.SECRET_KEY))"


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "django-insecure-development-key-do-not-use-in-production",
        "change-me-to-a-long-random-string-change-me-to-a-long-random",  # the deploy example's placeholder
        "short-but-random-Zx81",
        "a" * 80,
    ],
)
def test_with_debug_off_a_server_refuses_to_start_without_a_real_key(key):
    env = {"DEBUG": "0"} if key is None else {"DEBUG": "0", "SECRET_KEY": key}
    started = start(SETUP, **env)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr and "SECRET_KEY" in started.stderr


def test_the_asgi_application_refuses_too():
    started = start("import community.asgi", DEBUG="0")
    assert started.returncode != 0 and "SECRET_KEY must be set" in started.stderr


def test_with_a_real_key_or_debug_on_it_starts():
    key = secrets.token_urlsafe(50)
    assert start(SETUP, DEBUG="0", SECRET_KEY=key).stdout.strip() == str(len(key))
    assert start(SETUP, DEBUG="1").returncode == 0


def test_management_commands_still_run_without_a_key():
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL")}
    checked = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stderr


# ---------------------------------------------------------------- bearer tokens


ME = '{"query": "{ me { nickname } }"}'


def test_an_unknown_token_gets_401_unauthenticated():
    response = Client().post("/graphql/", ME, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED" and "重新登录" in error["message"]
    assert "data" not in response.json()


def test_a_revoked_or_expired_token_gets_401(user):
    from datetime import timedelta

    from django.utils import timezone

    from community.models import AuthToken

    revoked = services.issue_token(user)
    services.logout(user=user, token=revoked)
    expired = services.issue_token(user)
    AuthToken.objects.filter(key_hash=AuthToken.hash_key(expired)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    for token in (revoked, expired):
        response = Client().post("/graphql/", ME, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    english = Client().post(
        "/graphql/",
        ME,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {revoked}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["errors"][0]["message"].startswith("Your sign-in has expired")


def test_a_deactivated_users_token_gets_401(user):
    token = services.issue_token(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = Client().post("/graphql/", ME, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_a_good_token_and_no_token_work_as_before(user):
    token = services.issue_token(user)
    signed_in = Client().post("/graphql/", ME, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert signed_in.status_code == 200 and signed_in.json()["data"]["me"]["nickname"] == user.nickname
    anonymous = Client().post("/graphql/", ME, content_type="application/json")
    assert anonymous.status_code == 200 and anonymous.json()["data"]["me"] is None
    login = f'mutation {{ login(input: {{username: "{user.username}", password: "{PASSWORD}"}}) {{ token }} }}'
    relogin = Client().post("/graphql/", json.dumps({"query": login}), content_type="application/json")
    assert relogin.json()["data"]["login"]["token"]


# ---------------------------------------------------------------- HSTS and the Content-Security-Policy


def test_production_settings_send_hsts_on_https(settings):
    assert not settings.DEBUG and settings.SECURE_HSTS_SECONDS >= 31536000
    response = Client().get("/admin/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    behind_nginx = Client().get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" in behind_nginx
    assert "Strict-Transport-Security" not in Client().get("/admin/login/")  # never on plain HTTP


def policy_of(response) -> dict[str, list[str]]:
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_the_web_pages_get_a_content_security_policy(settings, tmp_path):
    page = '<!doctype html><html><head><script type="module" src="/static/app/assets/app.js"></script></head></html>'
    for name in ("index.html", "graphiql.html"):
        (tmp_path / name).write_text(page, encoding="utf-8")
    settings.WEB_CLIENT_DIST = tmp_path
    for path, headers in (("/app/", {}), ("/graphql/", {"HTTP_ACCEPT": "text/html"}), ("/admin/login/", {})):
        response = Client().get(path, **headers)
        assert response.status_code == 200, path
        policy = policy_of(response)
        assert policy["script-src"] == ["'self'"], path  # no inline script, no eval
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "'self'" in policy["connect-src"]  # the API and the WebSocket on our origin


def test_the_api_answers_need_no_policy():
    response = Client().post("/graphql/", ME, content_type="application/json")
    assert "Content-Security-Policy" not in response


def test_the_policy_can_be_turned_off_or_replaced(settings):
    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy" not in Client().get("/admin/login/")
    settings.CONTENT_SECURITY_POLICY = "default-src 'self' https://cdn.example.com"
    assert Client().get("/admin/login/")["Content-Security-Policy"] == "default-src 'self' https://cdn.example.com"


def test_the_admin_pages_have_no_inline_script_the_policy_would_block(brand_staff):
    browser = Client()
    browser.force_login(brand_staff)
    for path in (
        "/admin/",
        "/admin/community/user/",
        f"/admin/community/user/{brand_staff.pk}/change/",
        "/admin/events/event/add/",
    ):
        page = browser.get(path).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=\"", page), path  # no inline event handlers either
