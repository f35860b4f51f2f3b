"""The new-user sandbox: young or inactive accounts get tighter limits, answered with when to retry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.kernel.errors import ServiceError
from community.kernel.models import Activity
from community.kernel.verbs import Verb
from community.safety import trust
from tests.factories import UserFactory


def veteran():
    user = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    Activity.objects.bulk_create([Activity(actor=user, verb=Verb.PROFILE_UPDATED) for _ in range(10)])
    return user


def test_new_accounts_are_sandboxed_until_old_and_active_enough(db, brand_staff):
    assert trust.is_sandboxed(UserFactory())
    old_but_idle = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    assert trust.is_sandboxed(old_but_idle)
    assert not trust.is_sandboxed(veteran())
    assert not trust.is_sandboxed(brand_staff)


def test_sandboxed_accounts_hit_their_limit_sooner_with_a_retry_time(db):
    newcomer, regular = UserFactory(), veteran()
    for _attempt in range(3):
        trust.spend(newcomer, "post")
    with pytest.raises(ServiceError) as refused:
        trust.spend(newcomer, "post")
    assert refused.value.code == "RATE_LIMITED"
    assert 0 < refused.value.retry_after <= 3600
    assert "新账号" in str(refused.value.errors[0].message)
    for _attempt in range(10):
        trust.spend(regular, "post")


def test_spending_several_at_once_counts_each(db):
    newcomer = UserFactory()
    trust.spend(newcomer, "image", 9)
    with pytest.raises(ServiceError):
        trust.spend(newcomer, "image")
