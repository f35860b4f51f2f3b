"""The demo's account data, made through the services (and safe to run twice)."""

import pytest

from community.accounts import demo
from community.models import Contact, NotificationPreference
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)  # autocommit, as seed_demo runs: each code is sent at once
def test_seed_accounts_verifies_contacts_and_sets_preferences_and_can_run_twice():
    owners = [UserFactory() for _ in range(12)]
    lines = demo.seed_accounts(owners)
    assert lines and "13800138001" in lines[0]
    assert set(Contact.objects.filter(user=owners[0], verified_at__isnull=False).values_list("value", flat=True)) == {
        "+8613800138001",
        "owner001@example.com",
    }
    prefs = NotificationPreference.objects.get(user=owners[0])
    assert prefs.quiet_start.hour == 22 and "LIKED" in prefs.push_off
    assert NotificationPreference.objects.filter(campaign_opt_out=True).count() == 2
    demo.seed_accounts(owners)
    assert Contact.objects.count() == 2
