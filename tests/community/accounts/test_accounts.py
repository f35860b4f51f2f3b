"""Registering, logging in and out, tokens and sessions, through the GraphQL API."""

import pytest

from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import AuthToken, User
from tests.factories import PASSWORD, UserFactory
from tests.helpers import data_of, unauthorized

REGISTER = """
mutation($input: RegisterInput!) {
  register(input: $input) { token user { id nickname city isVerifiedOwner } errors { field code message } }
}"""
LOGIN = """
mutation($input: LoginInput!) { login(input: $input) { token user { nickname } errors { field code message } } }"""
ME = "{ me { id nickname joinedAt isBrandStaff } }"
LOGOUT = "mutation($input: LogoutInput) { logout(input: $input) { revoked errors { code } } }"


def register(gql, **overrides):
    payload = {"username": "xiaoming", "password": PASSWORD, "nickname": "小明", "city": "重庆", **overrides}
    return data_of(gql(REGISTER, {"input": payload}), "register")


def test_register_returns_a_working_token_and_records_the_activity(gql):
    result = register(gql)
    assert result["errors"] == []
    assert result["user"]["nickname"] == "小明"
    assert result["user"]["isVerifiedOwner"] is False
    me = data_of(gql(ME, token=result["token"]), "me")
    assert me["nickname"] == "小明"
    user = User.objects.get(username="xiaoming")
    assert Activity.objects.filter(actor=user, verb=Verb.REGISTERED).count() == 1


def test_register_refuses_a_taken_username_case_insensitively(gql, user):
    result = register(gql, username=user.username.upper())
    assert result["token"] is None
    assert result["errors"] == [{"field": "username", "code": "CONFLICT", "message": "该用户名已被占用。"}]


def test_register_validates_every_field_at_once_and_writes_nothing(gql):
    result = register(gql, username="a", password="123", nickname="  ")
    fields = {(e["field"], e["code"]) for e in result["errors"]}
    assert ("username", "INVALID") in fields
    assert ("nickname", "INVALID") in fields
    assert ("password", "INVALID") in fields
    assert User.objects.count() == 0


def test_password_validators_apply_and_speak_english_when_asked(gql):
    result = data_of(
        gql(REGISTER, {"input": {"username": "xiaohong", "password": "password", "nickname": "小红"}}, language="en"),
        "register",
    )
    messages = [e["message"] for e in result["errors"] if e["field"] == "password"]
    assert "This password is too common." in messages


def test_register_with_an_invite_code_that_does_not_exist_is_refused(gql):
    result = register(gql, inviteCode="NOPE1234")
    assert result["errors"] == [{"field": "inviteCode", "code": "INVALID", "message": "邀请码无效。"}]
    assert not User.objects.exists()


def test_register_with_a_valid_invite_code_joins_its_circle(gql):
    from circles.models import Membership
    from circles.services import create_invite
    from tests.circles.factories import make_circle

    circle = make_circle(join_policy="INVITE_ONLY")
    code = create_invite(user=circle.created_by, circle_id=circle.pk).code
    result = register(gql, inviteCode=code)
    assert result["errors"] == []
    joined = Membership.objects.get(user__username="xiaoming")
    assert (joined.circle, joined.status, joined.invited_by) == (circle, "ACTIVE", circle.created_by)


def test_register_is_rate_limited_per_address(gql, settings):
    settings.REGISTRATIONS_PER_IP_PER_HOUR = 2
    register(gql, username="first1")
    register(gql, username="second2")
    result = register(gql, username="third3")
    assert result["errors"][0]["code"] == "RATE_LIMITED"
    assert User.objects.count() == 2


def test_login_with_the_right_password_gives_a_token(gql, user):
    result = data_of(gql(LOGIN, {"input": {"username": user.username, "password": PASSWORD}}), "login")
    assert result["errors"] == [] and result["token"]
    assert AuthToken.objects.filter(user=user).count() == 1
    assert data_of(gql(ME, token=result["token"]), "me")["nickname"] == user.nickname


def test_login_with_a_wrong_password_is_refused_in_the_users_language(gql, user):
    result = data_of(gql(LOGIN, {"input": {"username": user.username, "password": "nope"}}), "login")
    assert result["token"] is None
    assert result["errors"] == [{"field": None, "code": "UNAUTHENTICATED", "message": "用户名或密码错误。"}]
    english = data_of(gql(LOGIN, {"input": {"username": user.username, "password": "nope"}}, language="en"), "login")
    assert english["errors"][0]["message"] == "Wrong username or password."


def test_login_attempts_are_rate_limited_even_with_the_right_password(gql, user, settings):
    settings.LOGIN_ATTEMPTS_PER_WINDOW = 3
    for _ in range(3):
        gql(LOGIN, {"input": {"username": user.username, "password": "wrong"}})
    result = data_of(gql(LOGIN, {"input": {"username": user.username, "password": PASSWORD}}), "login")
    assert result["token"] is None
    assert result["errors"][0]["code"] == "RATE_LIMITED"
    assert "秒" in result["errors"][0]["message"]


def test_inactive_users_cannot_log_in(gql):
    inactive = UserFactory(is_active=False)
    result = data_of(gql(LOGIN, {"input": {"username": inactive.username, "password": PASSWORD}}), "login")
    assert result["errors"][0]["code"] == "UNAUTHENTICATED"


def test_logout_revokes_only_the_token_in_use(gql, user):
    first = gql.token_for(user)
    second = data_of(gql(LOGIN, {"input": {"username": user.username, "password": PASSWORD}}), "login")["token"]
    assert data_of(gql(LOGOUT, token=first), "logout")["revoked"] == 1
    assert unauthorized(gql(ME, token=first, status=401))
    assert data_of(gql(ME, token=second), "me")["nickname"] == user.nickname


def test_logout_everywhere_revokes_every_token(gql, user):
    first = gql.token_for(user)
    second = data_of(gql(LOGIN, {"input": {"username": user.username, "password": PASSWORD}}), "login")["token"]
    assert data_of(gql(LOGOUT, {"input": {"allDevices": True}}, token=first), "logout")["revoked"] == 2
    assert unauthorized(gql(ME, token=second, status=401))


def test_logout_needs_a_user(gql):
    assert data_of(gql(LOGOUT), "logout")["errors"] == [{"code": "UNAUTHENTICATED"}]


def test_a_garbage_or_expired_token_is_refused_with_401_not_taken_as_anonymous(gql, user):
    from datetime import timedelta

    from django.utils import timezone

    assert unauthorized(gql(ME, token="not-a-token", status=401))
    token = gql.token_for(user)
    AuthToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert unauthorized(gql(ME, token=token, status=401))


def test_session_login_works_for_the_web_client_with_csrf(db, user, django_capture_on_commit_callbacks):
    """The web client logs in with the mutation, then rides the session cookie and the CSRF header."""
    import json

    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.get("/graphql/", HTTP_ACCEPT="application/json")  # sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    body = json.dumps({"query": LOGIN, "variables": {"input": {"username": user.username, "password": PASSWORD}}})
    response = browser.post("/graphql/", body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert response.json()["data"]["login"]["errors"] == []
    csrf = browser.cookies["csrftoken"].value  # rotated at login
    me = browser.post("/graphql/", json.dumps({"query": ME}), content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert me.json()["data"]["me"]["nickname"] == user.nickname
    forged = browser.post("/graphql/", json.dumps({"query": ME}), content_type="application/json")
    assert forged.status_code == 403
    assert forged.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_superusers_are_brand_staff(gql):
    admin = User.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    assert data_of(gql(ME, user=admin), "me")["isBrandStaff"] is True


def test_brand_group_members_are_brand_staff_and_others_are_not(gql, brand_staff, user):
    assert data_of(gql(ME, user=brand_staff), "me")["isBrandStaff"] is True
    assert data_of(gql(ME, user=user), "me")["isBrandStaff"] is False


@pytest.mark.parametrize("query", ["{ me { id } }"])
def test_anonymous_me_is_null(gql, query):
    assert data_of(gql(query), "me") is None
