"""An activity whose consumers fail every attempt goes to the dead-letter list; brand staff see it and retry it."""

from __future__ import annotations

import pytest
from django.test import Client

from community.kernel import activity as stream
from community.kernel.models import Activity, DeadLetter
from community.kernel.verbs import Verb
from tests.factories import UserFactory

VERB = Verb.FOLLOWED


class Flaky:
    """A consumer that fails until told to work."""

    def __init__(self) -> None:
        self.broken = True
        self.seen: list[int] = []

    def __call__(self, activity: Activity) -> None:
        if self.broken:
            raise RuntimeError("the scores database is read-only")
        self.seen.append(activity.pk)


@pytest.fixture
def flaky():
    consumer = Flaky()
    stream.on_activity(VERB)(consumer)
    yield consumer
    stream.off_activity(consumer, VERB)


def recorded() -> Activity:
    actor, target = UserFactory(), UserFactory()
    return Activity.objects.create(actor=actor, verb=VERB, target_type=None, target_id=target.pk)


def test_an_activity_failing_its_last_attempt_is_dead_lettered_and_no_longer_redispatched(db, flaky):
    activity = recorded()
    for attempt in range(1, stream.MAX_DISPATCH_ATTEMPTS):
        assert stream.dispatch_many([activity.pk]) == 1
        assert not DeadLetter.objects.exists(), f"dead-lettered after {attempt} attempts, before the last"
    assert stream.dispatch_many([activity.pk]) == 1  # the last attempt
    letter = DeadLetter.objects.get()
    assert letter.activity_id == activity.pk and letter.attempts == stream.MAX_DISPATCH_ATTEMPTS
    assert letter.consumers == [f"{Flaky.__module__}.{Flaky.__qualname__}"]
    assert "the scores database is read-only" in letter.error and letter.resolved_at is None
    assert activity.pk not in stream.stale_undispatched(older_than=stream.timedelta(0))


def test_an_activity_that_recovers_before_its_last_attempt_is_not_dead_lettered(db, flaky):
    activity = recorded()
    for _ in range(stream.MAX_DISPATCH_ATTEMPTS - 1):
        stream.dispatch_many([activity.pk])
    flaky.broken = False
    assert stream.dispatch_many([activity.pk]) == 0
    assert not DeadLetter.objects.exists() and flaky.seen == [activity.pk]


def dead_letter(flaky) -> DeadLetter:
    activity = recorded()
    for _ in range(stream.MAX_DISPATCH_ATTEMPTS):
        stream.dispatch_many([activity.pk])
    return DeadLetter.objects.get(activity=activity)


def retry(browser: Client, letter: DeadLetter):
    return browser.post(
        "/admin/community/deadletter/", {"action": "retry", "_selected_action": [letter.pk]}, follow=True
    )


def test_brand_staff_see_dead_letters_and_retry_them_once_the_cause_is_fixed(db, flaky, brand_staff):
    letter = dead_letter(flaky)
    browser = Client()
    browser.force_login(brand_staff)
    listing = browser.get("/admin/community/deadletter/")
    assert listing.status_code == 200 and "the scores database" not in listing.content.decode()  # not in the list
    assert browser.get(f"/admin/community/deadletter/{letter.pk}/change/").status_code == 200

    response = retry(browser, letter)  # still broken: it fails again, and beat takes it from here
    assert response.status_code == 200 and "1 条活动再次失败" in response.content.decode()
    letter.refresh_from_db()
    assert letter.resolved_at is None and letter.retried_at is not None
    assert Activity.objects.get(pk=letter.activity_id).dispatch_attempts == 1
    assert letter.activity_id in stream.stale_undispatched(older_than=stream.timedelta(0))

    flaky.broken = False
    response = retry(browser, letter)
    assert "已处理 1 条活动" in response.content.decode()
    letter.refresh_from_db()
    assert letter.resolved_at is not None and flaky.seen == [letter.activity_id]
    assert Activity.objects.get(pk=letter.activity_id).dispatched_at is not None


def test_owners_cannot_see_or_retry_dead_letters(db, flaky):
    letter = dead_letter(flaky)
    owner = UserFactory()
    browser = Client()
    browser.force_login(owner)
    assert browser.get("/admin/community/deadletter/").status_code == 302  # to the admin's login
    retry(browser, letter)
    letter.refresh_from_db()
    assert letter.retried_at is None and flaky.seen == []
