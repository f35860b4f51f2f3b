"""Changing the password: the current one is required, other devices are signed out, this one is kept."""

from community.accounts import services
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import AuthToken
from tests.factories import PASSWORD
from tests.helpers import codes, data_of, unauthorized

CHANGE = """
mutation($input: ChangePasswordInput!) { changePassword(input: $input) { revoked errors { field code message } } }"""
ME = "{ me { nickname } }"
NEW = "Battery-Swap-2026"


def change(gql, token, current=PASSWORD, new=NEW, **kw):
    variables = {"input": {"currentPassword": current, "newPassword": new}}
    return data_of(gql(CHANGE, variables, token=token, **kw), "changePassword")


def test_change_password_revokes_other_devices_and_keeps_this_one(gql, user):
    this_device = services.issue_token(user)
    other_device = services.issue_token(user)
    payload = change(gql, this_device)
    assert payload == {"revoked": 1, "errors": []}
    assert data_of(gql(ME, token=this_device), "me") == {"nickname": user.nickname}
    assert unauthorized(gql(ME, token=other_device, status=401))
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert Activity.objects.filter(actor=user, verb=Verb.PASSWORD_CHANGED).count() == 1


def test_change_password_refuses_a_wrong_current_password_and_changes_nothing(gql, user):
    token = services.issue_token(user)
    other = services.issue_token(user)
    payload = change(gql, token, current="not-it")
    assert payload["errors"] == [{"field": "currentPassword", "code": "INVALID", "message": "密码不正确。"}]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert AuthToken.objects.get(key_hash=AuthToken.hash_key(other)).revoked_at is None


def test_change_password_applies_the_password_validators(gql, user):
    token = services.issue_token(user)
    payload = change(gql, token, new="password", language="en")
    assert codes(payload) and {e["field"] for e in payload["errors"]} == {"newPassword"}
    assert "This password is too common." in [e["message"] for e in payload["errors"]]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_change_password_refuses_anonymous(gql):
    result = gql(CHANGE, {"input": {"currentPassword": PASSWORD, "newPassword": NEW}})
    assert codes(data_of(result, "changePassword")) == ["UNAUTHENTICATED"]


def test_wrong_current_passwords_are_rate_limited(gql, user, settings):
    settings.LOGIN_ATTEMPTS_PER_WINDOW = 2
    token = services.issue_token(user)
    assert codes(change(gql, token, current="x1")) == ["INVALID"]
    assert codes(change(gql, token, current="x2")) == ["INVALID"]
    assert codes(change(gql, token)) == ["RATE_LIMITED"]
