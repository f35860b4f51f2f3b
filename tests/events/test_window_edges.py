"""The sign-up and check-in windows at their exact edges: open at the opening instant, closed at the closing one.

Through the services with a fixed clock (the API reads the real one): a window bound written as `>`
where `>=` is meant (or the reverse) fails here.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.kernel.errors import ServiceError
from events import services
from events.models import Event
from tests.events.factories import make_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TICK = timedelta(microseconds=1)


def closed(action) -> str:
    with pytest.raises(ServiceError) as refused:
        action()
    assert refused.value.code == "CLOSED"
    return str(refused.value.errors[0].message)


def windowed_event() -> Event:
    event = make_event(starts_in=timedelta(days=3))
    opens, closes = event.starts_at - timedelta(days=2), event.starts_at - timedelta(hours=6)
    Event.objects.filter(pk=event.pk).update(signup_opens_at=opens, signup_closes_at=closes)
    event.refresh_from_db()
    return event


def test_sign_up_is_accepted_one_tick_before_signup_closes_at():
    event = windowed_event()
    signup = services.sign_up(user=UserFactory(), event_id=event.pk, now=event.signup_closes_at - TICK)
    assert signup.status == "CONFIRMED"


def test_sign_up_is_refused_at_exactly_signup_closes_at():
    event = windowed_event()
    message = closed(lambda: services.sign_up(user=UserFactory(), event_id=event.pk, now=event.signup_closes_at))
    assert message == "该活动报名已截止。"


def test_sign_up_is_accepted_at_exactly_signup_opens_at():
    event = windowed_event()
    assert services.sign_up(user=UserFactory(), event_id=event.pk, now=event.signup_opens_at).status == "CONFIRMED"


def test_sign_up_is_refused_one_tick_before_signup_opens_at():
    event = windowed_event()
    closed(lambda: services.sign_up(user=UserFactory(), event_id=event.pk, now=event.signup_opens_at - TICK))


def test_without_a_closing_time_sign_ups_close_at_exactly_the_start():
    event = make_event(starts_in=timedelta(days=3))
    assert event.signup_closes_at is None
    assert services.sign_up(user=UserFactory(), event_id=event.pk, now=event.starts_at - TICK).status == "CONFIRMED"
    closed(lambda: services.sign_up(user=UserFactory(), event_id=event.pk, now=event.starts_at))


def confirmed_attendee(event: Event):
    person = UserFactory()
    services.sign_up(user=person, event_id=event.pk, now=event.signup_window[0])
    return person


def test_check_in_opens_at_exactly_an_hour_before_the_start():
    event = make_event(starts_in=timedelta(days=3))
    person = confirmed_attendee(event)
    opening = event.starts_at - services.CHECK_IN_OPENS_BEFORE
    message = closed(
        lambda: services.check_in(user=person, event_id=event.pk, code=event.check_in_code, now=opening - TICK)
    )
    assert message.startswith("签到将于")
    signup = services.check_in(user=person, event_id=event.pk, code=event.check_in_code, now=opening)
    assert signup.status == "ATTENDED" and signup.checked_in_at == opening


def test_check_in_is_accepted_at_exactly_the_end_and_refused_one_tick_after():
    event = make_event(starts_in=timedelta(days=3))
    early, late = confirmed_attendee(event), confirmed_attendee(event)
    code = event.check_in_code
    assert services.check_in(user=early, event_id=event.pk, code=code, now=event.ends_at).status == "ATTENDED"
    closed(lambda: services.check_in(user=late, event_id=event.pk, code=code, now=event.ends_at + TICK))
