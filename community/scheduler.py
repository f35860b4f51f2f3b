"""The periodic work in the embedded default: beat's schedule run in a thread of the server process.

`make run` has no worker and no beat process (Celery is eager, the broker in memory), so daphne starts
this scheduler when EMBEDDED_SCHEDULER=1: every entry of CELERY_BEAT_SCHEDULE (redispatching stale
activities, reminders, finishing events and no-shows, tie decay, the nightly scores) runs on its
schedule, in this thread, exactly as the task a worker would run. The production topology uses
Celery beat instead and leaves this off.
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from celery.schedules import schedule as Schedule
from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass
class Entry:
    name: str
    task: str
    schedule: Schedule
    last_run_at: datetime


class EmbeddedScheduler:
    def __init__(self, beat_schedule: dict, *, now: datetime | None = None) -> None:
        from community.celery import app

        self.app = app
        start = now or timezone.now()
        self.entries = [
            Entry(name, spec["task"], self._schedule(spec["schedule"]), start) for name, spec in beat_schedule.items()
        ]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _schedule(self, value) -> Schedule:
        if isinstance(value, int | float):
            return Schedule(run_every=value, app=self.app)
        value.app = self.app
        return value

    def tick(self, now: datetime | None = None) -> tuple[list[str], float]:
        """Run every entry that is due; returns their names and the seconds until the next one is."""
        ran, wait = [], 60.0
        for entry in self.entries:
            due, next_in = entry.schedule.is_due(entry.last_run_at)
            if due:
                entry.last_run_at = now or timezone.now()
                self._run(entry)
                ran.append(entry.name)
                due, next_in = entry.schedule.is_due(entry.last_run_at)
            wait = min(wait, max(1.0, next_in))
        return ran, wait

    def _run(self, entry: Entry) -> None:
        try:
            if entry.task not in self.app.tasks:  # tasks register when their module is imported
                importlib.import_module(entry.task.rsplit(".", 1)[0])
            self.app.tasks[entry.task].apply(throw=True)
        except Exception:
            logger.exception("scheduled task %s failed; it runs again at its next time", entry.task)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="embedded-scheduler", daemon=True)
        self._thread.start()
        logger.info("embedded scheduler: %d periodic tasks", len(self.entries))

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            _ran, wait = self.tick()
            close_old_connections()  # this thread's connection, as a request's would be after it ends
            self._stop.wait(wait)


def start_if_enabled() -> EmbeddedScheduler | None:
    if not settings.EMBEDDED_SCHEDULER:
        return None
    scheduler = EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE)
    scheduler.start()
    return scheduler
