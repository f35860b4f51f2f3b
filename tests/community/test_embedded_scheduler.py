"""make run's embedded scheduler runs beat's schedule in the server process: each entry when it is due
(intervals and crontabs), as the task a worker would run, and a failing task does not stop the others."""

from datetime import timedelta

from celery.schedules import crontab
from django.utils import timezone

from community.scheduler import EmbeddedScheduler
from events.models import Event, Signup
from tests.events.factories import make_event, move
from tests.factories import UserFactory


def test_due_entries_run_as_their_tasks_and_others_wait(db, settings):
    owner = UserFactory()
    event = make_event(brand=True)
    Signup.objects.create(event=event, user=owner, status="CONFIRMED")
    move(event, starts_in=-timedelta(hours=5))  # ended two hours ago, not finished yet
    schedule = {
        "finish-ended-events": {"task": "events.tasks.finish_ended_events", "schedule": 300.0},
        "decay-ties": {"task": "gamification.tasks.decay_ties", "schedule": crontab(hour=3, minute=0)},
        "broken": {"task": "no.such.task", "schedule": 60.0},
    }
    scheduler = EmbeddedScheduler(schedule, now=timezone.now() - timedelta(days=2))
    ran, wait = scheduler.tick()
    assert ran == ["finish-ended-events", "decay-ties", "broken"]
    assert Event.objects.get(pk=event.pk).status == "FINISHED"
    assert Signup.objects.get(event=event).status == "NO_SHOW"
    assert 1 <= wait <= 60
    again, _wait = scheduler.tick()
    assert again == []  # nothing is due a moment later


def test_off_unless_asked(settings):
    from community.scheduler import start_if_enabled

    settings.EMBEDDED_SCHEDULER = False
    assert start_if_enabled() is None
