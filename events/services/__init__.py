"""Every write of the events app: one module per use-case family, one function per use case, atomic,
recording its activity.

Seats are never oversold, whatever the concurrency: every service that changes seats first locks the
event's row (`select_for_update`; on SQLite the IMMEDIATE transaction locks the database), reads the
counters under that lock, writes the sign-up rows and the counters, and commits. So concurrent
sign-ups and cancellations of one event run one after another, each seeing what the previous one
committed, and sign-up ids are taken in arrival order (the waitlist's order). The database backs it
up: a CHECK constraint refuses `confirmed_seats > capacity`, and a partial unique index allows one live
sign-up per user and event. Every seat change is published on `eventSeats` after commit.
"""

from events.services.attendance import (
    ATTENDANCE_FIX_AFTER_END,
    CHECK_IN_ATTEMPTS_PER_10_MINUTES,
    CHECK_IN_OPENS_BEFORE,
    check_in,
    mark_attendance,
)
from events.services.lifecycle import (
    ADDRESS_MAX_LENGTH,
    CITY_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_DAYS_AHEAD,
    MAX_DURATION,
    PERIOD_ORDER_MESSAGE,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    cancel_event,
    create_event,
    finish_ended_events,
    finish_event,
    publish_event,
    set_event_cover,
    update_event,
)
from events.services.lifecycle import (
    EDITABLE_FIELDS as EDITABLE_EVENT_FIELDS,
)
from events.services.reminders import REMINDERS, send_due_reminders
from events.services.signups import cancel_signup, sign_up

__all__ = [
    "ADDRESS_MAX_LENGTH",
    "ATTENDANCE_FIX_AFTER_END",
    "CHECK_IN_ATTEMPTS_PER_10_MINUTES",
    "CHECK_IN_OPENS_BEFORE",
    "CITY_MAX_LENGTH",
    "DESCRIPTION_MAX_LENGTH",
    "EDITABLE_EVENT_FIELDS",
    "MAX_DAYS_AHEAD",
    "MAX_DURATION",
    "PERIOD_ORDER_MESSAGE",
    "REASON_MAX_LENGTH",
    "REMINDERS",
    "TITLE_MAX_LENGTH",
    "TITLE_MIN_LENGTH",
    "cancel_event",
    "cancel_signup",
    "check_in",
    "create_event",
    "finish_ended_events",
    "finish_event",
    "mark_attendance",
    "publish_event",
    "send_due_reminders",
    "set_event_cover",
    "sign_up",
    "update_event",
]
