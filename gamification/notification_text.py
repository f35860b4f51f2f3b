"""Texts of the notifications gamification sends, naming the points and the badge: rendered when read,
in the reader's language (rule and badge names are as brand staff wrote them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from community.kernel.verbs import NotificationVerb
from community.notifications.texts import detailed_texts

V = NotificationVerb


@detailed_texts
def points_texts(verb: str, data: dict) -> str | None:
    if verb == V.POINTS_AWARDED and {"points", "reason", "level"} <= data.keys():
        if data.get("levelUp"):
            return _("You earned %(points)d points (%(reason)s) and reached level %(level)d")
        return _("You earned %(points)d points: %(reason)s")
    if verb == V.BADGE_AWARDED and "name" in data:
        return _("You earned the badge “%(name)s”")
    if verb == V.TIE_MILESTONE:
        if data.get("level") == "STRONG":
            return _("You and %(actor)s now have a strong tie")
        return _("You and %(actor)s are now friends")
    return None
