"""Background work of the events app: reminders and finishing events. Both are idempotent (beat may run
them twice, or two workers at once): a reminder is claimed by a unique row, and finishing an event
re-checks its state under the event's row lock."""

import logging

from celery import shared_task

from events import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_event_reminders() -> int:
    sent = services.send_due_reminders()
    if sent:
        logger.info("sent %d event reminders", sent)
    return sent


@shared_task(acks_late=True)
def finish_ended_events() -> int:
    finished = services.finish_ended_events()
    if finished:
        logger.info("finished %d events", finished)
    return finished
