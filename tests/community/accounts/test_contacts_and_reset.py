"""Contacts verified by a code, and a password reset by a code sent to one, through the GraphQL API."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.accounts import services, sms
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.models import Contact, ContactCode
from tests.factories import PASSWORD, UserFactory
from tests.helpers import codes, data_of, unauthorized

ADD = """
mutation($input: AddContactInput!) {
  addContact(input: $input) { contact { id kind value verified } errors { field code message } }
}"""
VERIFY = """
mutation($input: VerifyContactInput!) {
  verifyContact(input: $input) { contact { id verified } errors { field code message } }
}"""
REMOVE = "mutation($input: ContactIdInput!) { removeContact(input: $input) { errors { field code } } }"
MINE = "{ myContacts { id kind value verified } }"
REQUEST = """
mutation($input: RequestPasswordResetInput!) {
  requestPasswordReset(input: $input) { sent errors { field code message } }
}"""
RESET = """
mutation($input: ResetPasswordInput!) {
  resetPassword(input: $input) { token user { nickname } errors { field code message } }
}"""
NODE = "query($id: ID!) { node(id: $id) { ... on Contact { value } } }"
ME = "{ me { nickname } }"
NEW = "Battery-Swap-2026"
PHONE = "138 0013 8000"


def last_code() -> str:
    bodies = [m.body for m in sms.outbox] + [m.body for m in mail.outbox]
    return re.search(r"\b(\d{6})\b", bodies[-1]).group(1)


def add(gql, user, value=PHONE):
    return data_of(gql(ADD, {"input": {"value": value}}, user=user), "addContact")


def verify(gql, user, contact_gid, code):
    return data_of(gql(VERIFY, {"input": {"contactId": contact_gid, "code": code}}, user=user), "verifyContact")


def verified_phone(gql, user, value=PHONE):
    contact = add(gql, user, value)["contact"]
    assert verify(gql, user, contact["id"], last_code())["errors"] == []
    return contact


def test_add_contact_normalises_the_number_and_texts_a_code_stored_only_hashed(gql, user):
    payload = add(gql, user, "+86 138-0013-8000")
    assert payload["errors"] == []
    assert payload["contact"]["kind"] == "PHONE"
    assert payload["contact"]["value"] == "+8613800138000"
    assert payload["contact"]["verified"] is False
    assert [m.to for m in sms.outbox] == ["+8613800138000"]
    code = last_code()
    stored = ContactCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64


def test_verify_contact_with_the_code_and_it_is_single_use(gql, user):
    contact = add(gql, user)["contact"]
    code = last_code()
    payload = verify(gql, user, contact["id"], code)
    assert payload == {"contact": {"id": contact["id"], "verified": True}, "errors": []}
    assert Activity.objects.filter(actor=user, verb=Verb.CONTACT_VERIFIED).count() == 1
    assert data_of(gql(MINE, user=user), "myContacts")[0]["verified"] is True
    # Used: it opens nothing else (a reset needs a code of its own).
    assert ContactCode.objects.get().used_at is not None


def test_an_email_contact_gets_its_code_by_email(gql, user):
    payload = add(gql, user, " Owner@Example.COM ")
    assert payload["contact"]["value"] == "owner@example.com"
    assert mail.outbox[-1].to == ["owner@example.com"]
    assert verify(gql, user, payload["contact"]["id"], last_code())["contact"]["verified"] is True


def test_with_the_file_email_backend_the_code_lands_in_email_file_path(gql, user, settings, tmp_path):
    """How the end-to-end tests read codes (frontend/e2e/server.sh): one file per message, no endpoint."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    contact = add(gql, user, "Owner@Example.com")["contact"]
    (written,) = (tmp_path / "mail").iterdir()
    text = written.read_text()
    assert "To: owner@example.com" in text
    code = re.search(r"\b(\d{6})\b", text.split("\n\n", 1)[1]).group(1)
    assert verify(gql, user, contact["id"], code)["contact"]["verified"] is True


def test_verify_contact_refuses_a_wrong_code_and_the_code_dies_after_too_many(gql, user, settings):
    settings.CONTACT_CODE_MAX_ATTEMPTS = 2
    contact = add(gql, user)["contact"]
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    first = verify(gql, user, contact["id"], wrong)
    assert first["errors"] == [{"field": "code", "code": "INVALID", "message": "验证码错误或已过期。"}]
    assert codes(verify(gql, user, contact["id"], wrong)) == ["INVALID"]
    # Two misses killed it: even the right code fails now.
    assert codes(verify(gql, user, contact["id"], code)) == ["INVALID"]
    assert Contact.objects.get().verified_at is None


def test_verify_contact_refuses_an_expired_code(gql, user):
    contact = add(gql, user)["contact"]
    ContactCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert codes(verify(gql, user, contact["id"], last_code())) == ["INVALID"]


def test_contacts_are_their_owners_only(gql, user, other_user):
    contact = add(gql, user)["contact"]
    assert codes(verify(gql, other_user, contact["id"], last_code())) == ["NOT_FOUND"]
    assert data_of(gql(NODE, {"id": contact["id"]}, user=other_user), "node") is None
    assert data_of(gql(NODE, {"id": contact["id"]}, user=user), "node") == {"value": "+8613800138000"}
    assert data_of(gql(MINE, user=other_user), "myContacts") == []
    assert codes(data_of(gql(REMOVE, {"input": {"contactId": contact["id"]}}, user=other_user), "removeContact")) == [
        "NOT_FOUND"
    ]
    assert data_of(gql(REMOVE, {"input": {"contactId": contact["id"]}}, user=user), "removeContact")["errors"] == []
    assert Contact.objects.count() == 0


def test_a_verified_contact_belongs_to_one_account(gql, user, other_user):
    verified_phone(gql, user)
    payload = add(gql, other_user)
    assert codes(payload) == ["CONFLICT"]
    assert codes(add(gql, user)) == ["CONFLICT"]  # already verified


def test_contact_mutations_refuse_anonymous_and_bad_input(gql, user):
    assert codes(data_of(gql(ADD, {"input": {"value": PHONE}}), "addContact")) == ["UNAUTHENTICATED"]
    assert "errors" in gql(MINE)
    payload = add(gql, user, "not a number")
    assert payload["errors"][0]["field"] == "value" and codes(payload) == ["INVALID"]
    assert Contact.objects.count() == 0 and sms.outbox == []


def test_codes_are_rate_limited_per_contact_and_per_address(gql, user, other_user, settings):
    settings.CONTACT_CODES_PER_CONTACT_PER_HOUR = 2
    settings.CONTACT_CODES_PER_IP_PER_HOUR = 3
    assert add(gql, user)["errors"] == []
    assert add(gql, user)["errors"] == []
    assert codes(add(gql, user)) == ["RATE_LIMITED"]
    assert len(sms.outbox) == 2
    # Same IP address, another number: the third of the hour is still allowed, the fourth is not.
    assert add(gql, other_user, "13900139000")["errors"] == []
    assert codes(add(gql, other_user, "13700137000")) == ["RATE_LIMITED"]


# ---------------------------------------------------------------- password reset


def request_reset(gql, contact):
    return data_of(gql(REQUEST, {"input": {"contact": contact}}), "requestPasswordReset")


def reset(gql, contact, code, new=NEW, **kw):
    variables = {"input": {"contact": contact, "code": code, "newPassword": new}}
    return data_of(gql(RESET, variables, **kw), "resetPassword")


def test_password_reset_by_a_code_sent_to_a_verified_phone(gql, user):
    verified_phone(gql, user)
    old_token = services.issue_token(user)
    sms.outbox.clear()
    assert request_reset(gql, "+8613800138000") == {"sent": True, "errors": []}
    assert [m.to for m in sms.outbox] == ["+8613800138000"]
    payload = reset(gql, PHONE, last_code())
    assert payload["errors"] == [] and payload["user"]["nickname"] == user.nickname
    assert data_of(gql(ME, token=payload["token"]), "me") == {"nickname": user.nickname}
    assert unauthorized(gql(ME, token=old_token, status=401))  # every earlier token is revoked
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert Activity.objects.filter(actor=user, verb=Verb.PASSWORD_RESET).count() == 1


def test_a_reset_code_is_single_use(gql, user):
    verified_phone(gql, user)
    request_reset(gql, PHONE)
    code = last_code()
    assert reset(gql, PHONE, code)["errors"] == []
    assert codes(reset(gql, PHONE, code, new="Another-Strong-99")) == ["INVALID"]
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_the_reset_request_never_says_whether_an_account_exists(gql, user):
    verified_phone(gql, user)
    unverified = UserFactory()
    add(gql, unverified, "13900139000")
    sms.outbox.clear()
    known = request_reset(gql, PHONE)
    unknown = request_reset(gql, "13700137000")
    not_verified = request_reset(gql, "13900139000")
    assert known == unknown == not_verified == {"sent": True, "errors": []}
    assert [m.to for m in sms.outbox] == ["+8613800138000"]
    # A reset against an unknown contact fails exactly like a wrong code.
    assert reset(gql, "13700137000", "123456")["errors"] == reset(gql, PHONE, "abcdef")["errors"]


def test_a_weak_new_password_does_not_spend_the_code(gql, user):
    verified_phone(gql, user)
    request_reset(gql, PHONE)
    code = last_code()
    payload = reset(gql, PHONE, code, new="password", language="en")
    assert payload["token"] is None and {e["field"] for e in payload["errors"]} == {"newPassword"}
    assert reset(gql, PHONE, code)["errors"] == []


def test_reset_requests_are_rate_limited_even_for_unknown_contacts(gql, settings):
    settings.CONTACT_CODES_PER_CONTACT_PER_HOUR = 1
    assert request_reset(gql, "13700137000")["errors"] == []
    assert codes(request_reset(gql, "13700137000")) == ["RATE_LIMITED"]


def test_reset_refuses_a_deactivated_account(gql, user):
    verified_phone(gql, user)
    request_reset(gql, PHONE)
    code = last_code()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert codes(reset(gql, PHONE, code)) == ["INVALID"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_console_sms_backend_prints_like_the_console_email_backend(settings):
    stream = io.StringIO()
    sent = sms.ConsoleBackend(stream=stream).send_messages([sms.SmsMessage(to="+8613800138000", body="hello")])
    assert sent == 1
    assert "SMS to +8613800138000" in stream.getvalue() and "hello" in stream.getvalue()


@pytest.mark.parametrize("value", ["13800138000", "+8613800138000", "86 138 0013 8000", "+4915112345678"])
def test_phone_numbers_written_any_usual_way_are_accepted(gql, user, value):
    assert add(gql, user, value)["errors"] == []
