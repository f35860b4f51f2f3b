"""Services for contacts and password reset: phone numbers and email addresses verified by a code,
and a password reset by a code sent to a verified one.

Codes are six digits, stored as a keyed hash (HMAC with the secret key, so a database leak does not
let anyone brute-force them offline), expire after `CONTACT_CODE_TTL_SECONDS`, are single use, die
after `CONTACT_CODE_MAX_ATTEMPTS` wrong tries, and are rate limited per contact and per IP address.
`request_password_reset` answers the same whether an account exists or not.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from community.accounts import sms
from community.accounts.services import _revoke_tokens, _validated_new_password
from community.kernel.access import require_user
from community.kernel.activity import record_activity
from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.verbs import Verb
from community.models import Contact, ContactCode, User
from community.safety import ratelimit

CN_MOBILE_RE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")


def normalize_contact(value: str | None, *, field: str = "value") -> tuple[str, str]:
    """(kind, value) of a phone number or email address written any usual way; INVALID otherwise."""
    raw = (value or "").strip()
    if "@" in raw:
        email = raw.lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ServiceError(ErrorCode.INVALID, _("Enter a valid email address."), field) from None
        return Contact.Kind.EMAIL.value, email
    digits = re.sub(r"[\s()-]", "", raw)
    match = CN_MOBILE_RE.match(digits)
    if match:
        return Contact.Kind.PHONE.value, f"+86{match.group(1)}"
    if E164_RE.match(digits):
        return Contact.Kind.PHONE.value, digits
    raise ServiceError(ErrorCode.INVALID, _("Enter a mobile number or an email address."), field)


def _code_hash(contact_id: int, purpose: str, code: str) -> str:
    return salted_hmac("community.contact-code", f"{contact_id}:{purpose}:{code}", algorithm="sha256").hexdigest()


def _spend_sending_allowance(value: str, ip: str) -> None:
    for key, limit_count in (
        (f"contact-code:to:{value}", settings.CONTACT_CODES_PER_CONTACT_PER_HOUR),
        (f"contact-code:ip:{ip}", settings.CONTACT_CODES_PER_IP_PER_HOUR),
    ):
        limit = ratelimit.hit(key, limit_count, 3600)
        if not limit.allowed:
            raise ratelimit.refused(limit.retry_after)


def _issue_code(contact: Contact, purpose: str) -> str:
    """A fresh code for `contact` (earlier unused ones of the same purpose stop working), sent after commit."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    ContactCode.objects.filter(contact=contact, purpose=purpose, used_at__isnull=True).delete()
    ContactCode.objects.create(
        contact=contact,
        purpose=purpose,
        code_hash=_code_hash(contact.pk, purpose, code),
        expires_at=now + timedelta(seconds=settings.CONTACT_CODE_TTL_SECONDS),
    )
    minutes = max(1, settings.CONTACT_CODE_TTL_SECONDS // 60)
    if purpose == ContactCode.Purpose.RESET:
        text = gettext_now("Your password reset code is %(code)s. It expires in %(minutes)d minutes.")
    else:
        text = gettext_now("Your verification code is %(code)s. It expires in %(minutes)d minutes.")
    body = text % {"code": code, "minutes": minutes}
    kind, value = contact.kind, contact.value
    transaction.on_commit(lambda: deliver(kind, value, body), robust=True)
    return code


def deliver(kind: str, value: str, body: str) -> None:
    """Send `body` by text message or email, through the configured backend."""
    if kind == Contact.Kind.PHONE:
        sms.send_sms(value, body)
    else:
        send_mail(gettext_now("Your code"), body, None, [value])


def _check_code(contact: Contact, purpose: str, code: str | None) -> ContactCode | None:
    """The live code of `contact` matching `code` (locked and marked used), or None (the caller counts the miss)."""
    now = timezone.now()
    live = (
        ContactCode.objects.select_for_update()
        .filter(contact=contact, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )
    if live is None or live.attempts >= settings.CONTACT_CODE_MAX_ATTEMPTS:
        return None
    if not constant_time_compare(live.code_hash, _code_hash(contact.pk, purpose, (code or "").strip())):
        return None
    live.used_at = now
    live.save(update_fields=["used_at"])
    return live


WRONG_CODE = _("The code is wrong or has expired.")


# ---------------------------------------------------------------- contacts


def add_contact(*, user, value: str, ip: str = "") -> Contact:
    """Add a phone number or email address to the account and send it a code to verify it."""
    require_user(user)
    kind, value = normalize_contact(value)
    if Contact.objects.filter(kind=kind, value=value, verified_at__isnull=False).exclude(user=user).exists():
        raise ServiceError(ErrorCode.CONFLICT, _("This contact belongs to another account."), "value")
    existing = Contact.objects.filter(user=user, kind=kind, value=value).first()
    if existing is not None and existing.verified:
        raise ServiceError(ErrorCode.CONFLICT, _("This contact is already verified."), "value")
    if existing is None and user.contacts.count() >= 5:
        raise ServiceError(ErrorCode.INVALID, _("You can add at most 5 contacts."), "value")
    _spend_sending_allowance(value, ip)
    with transaction.atomic():
        contact, _created = Contact.objects.get_or_create(user=user, kind=kind, value=value)
        _issue_code(contact, ContactCode.Purpose.VERIFY)
    return contact


def verify_contact(*, user, contact_id: int, code: str) -> Contact:
    require_user(user)
    try:
        with transaction.atomic():
            contact = Contact.objects.select_for_update().filter(pk=contact_id, user=user).first()
            if contact is None:
                raise ServiceError(ErrorCode.NOT_FOUND, _("Contact not found."), "contactId")
            if contact.verified:
                return contact
            if _check_code(contact, ContactCode.Purpose.VERIFY, code) is None:
                raise _WrongCode
            contact.verified_at = timezone.now()
            contact.save(update_fields=["verified_at"])
            record_activity(actor=user, verb=Verb.CONTACT_VERIFIED, target=contact, data={"kind": contact.kind})
    except _WrongCode:
        # The attempt counted above is committed on its own: a rollback must not give tries back.
        _count_miss(contact.pk, ContactCode.Purpose.VERIFY)
        raise ServiceError(ErrorCode.INVALID, WRONG_CODE, "code") from None
    except IntegrityError:
        raise ServiceError(ErrorCode.CONFLICT, _("This contact belongs to another account."), "value") from None
    return contact


def remove_contact(*, user, contact_id: int) -> None:
    require_user(user)
    deleted, _details = Contact.objects.filter(pk=contact_id, user=user).delete()
    if not deleted:
        raise ServiceError(ErrorCode.NOT_FOUND, _("Contact not found."), "contactId")


class _WrongCode(Exception):
    pass


def _count_miss(contact_id: int, purpose: str) -> None:
    """Count a wrong try on the live code (outside the refused transaction)."""
    live = (
        ContactCode.objects.filter(
            contact_id=contact_id, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if live is not None:
        ContactCode.objects.filter(pk=live.pk).update(attempts=F("attempts") + 1)


# ---------------------------------------------------------------- password reset


def _reset_contact(value: str) -> Contact | None:
    kind, value = normalize_contact(value, field="contact")
    return (
        Contact.objects.select_related("user")
        .filter(kind=kind, value=value, verified_at__isnull=False, user__is_active=True)
        .first()
    )


def request_password_reset(*, contact: str, ip: str = "") -> None:
    """Send a reset code if `contact` is a verified contact of an active account; say nothing either way."""
    _kind, value = normalize_contact(contact, field="contact")
    _spend_sending_allowance(value, ip)
    found = _reset_contact(value)
    if found is None:
        return
    with transaction.atomic():
        _issue_code(found, ContactCode.Purpose.RESET)


def reset_password(*, contact: str, code: str, new_password: str, ip: str = "") -> User:
    """Set a new password with a reset code; every token of the account is revoked."""
    limit = ratelimit.hit(f"reset:ip:{ip}", settings.CONTACT_CODES_PER_IP_PER_HOUR * 3, 3600)
    if not limit.allowed:
        raise ratelimit.refused(limit.retry_after)
    found = _reset_contact(contact)
    if found is None:
        raise ServiceError(ErrorCode.INVALID, WRONG_CODE, "code")
    try:
        with transaction.atomic():
            if _check_code(found, ContactCode.Purpose.RESET, code) is None:
                raise _WrongCode
            # Checked after the code (so it says nothing to someone without one); a weak password rolls
            # back and does not spend the code.
            user = User.objects.select_for_update().get(pk=found.user_id)
            new_password = _validated_new_password(user, new_password)
            user.set_password(new_password)
            user.save(update_fields=["password"])
            revoked = _revoke_tokens(user)
            record_activity(actor=user, verb=Verb.PASSWORD_RESET, target=user, data={"revoked": revoked})
    except _WrongCode:
        _count_miss(found.pk, ContactCode.Purpose.RESET)
        raise ServiceError(ErrorCode.INVALID, WRONG_CODE, "code") from None
    return user
