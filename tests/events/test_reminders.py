"""Reminders 24 hours and 2 hours before the start: once per sign-up and kind, even when the task runs twice
or two workers run it at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.kernel.verbs import NotificationVerb
from community.models import Notification
from community.notifications.texts import render
from events import services
from events.models import Reminder
from events.tasks import send_event_reminders
from tests.events.factories import make_event, move
from tests.factories import UserFactory
from tests.helpers import at_once


def signed_up_event(people: int, *, starts_in: timedelta, capacity: int = 10):
    event = make_event(capacity=capacity, max_guests=0)
    users = [UserFactory() for _ in range(people)]
    for user in users:
        services.sign_up(user=user, event_id=event.pk)
    return move(event, starts_in=starts_in), users


@pytest.mark.django_db
def test_each_confirmed_sign_up_is_reminded_once_a_day_before_and_once_two_hours_before(on_commit):
    event, users = signed_up_event(4, starts_in=timedelta(hours=20), capacity=3)  # one is waitlisted
    far, _ = signed_up_event(2, starts_in=timedelta(days=3))
    with on_commit():
        assert send_event_reminders.delay().get() == 3
        assert send_event_reminders.delay().get() == 0  # the task ran again: nothing new
    reminders = Notification.objects.filter(verb=NotificationVerb.EVENT_REMINDER)
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted(u.pk for u in users[:3])
    when = timezone.localtime(event.starts_at).strftime("%m-%d %H:%M")
    assert render(reminders.first()) == f"活动提醒：{event.title} 将于明天 {when} 开始"
    move(event, starts_in=timedelta(minutes=90))
    with on_commit():
        assert services.send_due_reminders() == 3
        assert services.send_due_reminders() == 0
    assert Reminder.objects.filter(kind="H2").count() == 3 and Reminder.objects.filter(kind="H24").count() == 3
    assert reminders.count() == 6
    assert not Reminder.objects.filter(signup__event=far).exists()


@pytest.mark.django_db
def test_an_event_that_starts_soon_gets_only_the_two_hour_reminder_and_cancelled_ones_none():
    signed_up_event(2, starts_in=timedelta(minutes=30))
    called_off, _ = signed_up_event(2, starts_in=timedelta(hours=10))
    services.cancel_event(user=called_off.organizer, event_id=called_off.pk)
    assert services.send_due_reminders() == 2
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"H2"}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_task_at_once_send_one_reminder_per_sign_up():
    event, users = signed_up_event(12, starts_in=timedelta(hours=1), capacity=20)
    outcomes = at_once([services.send_due_reminders, services.send_due_reminders], wait=10, join=60)
    assert not outcomes.crashes, outcomes.crashes
    sent = outcomes.results
    assert sum(sent) == 12
    assert Reminder.objects.filter(signup__event=event).count() == 12
    reminded = Notification.objects.filter(verb=NotificationVerb.EVENT_REMINDER).values_list("recipient_id", flat=True)
    assert sorted(reminded) == sorted(u.pk for u in users)
