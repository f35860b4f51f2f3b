"""Texts of the notifications events send, naming the event (and when it starts): rendered when read,
in the reader's language and time zone. Notifications without event data keep the generic texts."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from community.kernel.verbs import NotificationVerb
from community.notifications.texts import detailed_texts

V = NotificationVerb


def _when(data: dict) -> str | None:
    try:
        moment = datetime.fromisoformat(str(data["starts_at"]))
    except (KeyError, ValueError):
        return None
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


@detailed_texts
def event_texts(verb: str, data: dict) -> str | None:
    if "event_title" not in data:
        return None
    when = _when(data)
    if when:
        data["when"] = when
    if verb == V.EVENT_PUBLISHED:
        return _("%(actor)s published a new event: %(event_title)s (%(when)s)") if when else None
    if verb == V.EVENT_REMINDER and when:
        if data.get("hours") == 24:
            return _("Reminder: %(event_title)s starts tomorrow, %(when)s")
        return _("Reminder: %(event_title)s starts soon, at %(when)s")
    if verb == V.EVENT_CHANGED and when:
        return _("%(event_title)s has a new time or place: %(when)s, %(place)s")
    if verb == V.EVENT_CANCELLED:
        if data.get("reason"):
            return _("%(event_title)s has been cancelled: %(reason)s")
        return _("%(event_title)s has been cancelled")
    if verb == V.WAITLIST_PROMOTED:
        return _("You have a seat at %(event_title)s: you moved up from the waitlist")
    return None
