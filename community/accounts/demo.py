"""What the demo's owners set up in their accounts: verified contacts and notification preferences.

Called with one line from `simulation.history.finishing_touches`; everything goes through the services
(the codes are read back from a local SMS/email outbox, as an owner would read their phone).
"""

from __future__ import annotations

import re

from django.core import mail
from django.test.utils import override_settings

from community.accounts import contacts, sms
from community.models import Contact, User
from community.notifications import preferences

DEMO_PHONE = "13800138001"
DEMO_EMAIL = "owner001@example.com"


def _last_code() -> str:
    bodies = [m.body for m in sms.outbox] + [m.body for m in mail.outbox]
    return re.search(r"\b(\d{6})\b", bodies[-1]).group(1)


def seed_accounts(owners: list[User]) -> list[str]:
    if not owners:
        return []
    first = owners[0]
    verified = 0
    with override_settings(
        SMS_BACKEND="community.accounts.sms.LocmemBackend",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        mail.outbox = []
        for value in (DEMO_PHONE, DEMO_EMAIL):
            kind, normalized = contacts.normalize_contact(value)
            if Contact.objects.filter(kind=kind, value=normalized, verified_at__isnull=False).exists():
                continue
            contact = contacts.add_contact(user=first, value=value, ip="demo")
            contacts.verify_contact(user=first, contact_id=contact.pk, code=_last_code())
            verified += 1
        sms.outbox.clear()
    preferences.update_notification_preferences(
        user=first, quiet_start="22:00", quiet_end="07:00", kinds=[{"kind": "LIKED", "push": False}]
    )
    opted_out = owners[1::10]
    for owner in opted_out:
        preferences.update_notification_preferences(user=owner, campaign_opt_out=True)
    return [
        f"账号 accounts: {first.username} 已验证手机 {DEMO_PHONE} 和邮箱 {DEMO_EMAIL} ({verified} new), "
        f"免打扰 22:00-07:00; {len(opted_out)} 位车主退订品牌活动 (campaign opt-out)."
    ]
