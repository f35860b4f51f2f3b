"""Notification texts, rendered in the reader's language when read rather than when written."""

from django.utils.translation import gettext as _

from community.kernel.verbs import NotificationVerb
from community.models import Notification

V = NotificationVerb


def _templates() -> dict[str, str]:
    return {
        V.LIKED: _("%(actor)s liked your post"),
        V.COMMENTED: _("%(actor)s commented on your post"),
        V.REPLIED: _("%(actor)s replied to your comment"),
        V.MENTIONED: _("%(actor)s mentioned you"),
        V.FOLLOWED: _("%(actor)s started following you"),
        V.JOIN_REQUESTED: _("%(actor)s asked to join your circle"),
        V.JOIN_APPROVED: _("You have joined the circle"),
        V.ROLE_CHANGED: _("Your role in the circle has changed"),
        V.EVENT_PUBLISHED: _("A new event has been published"),
        V.EVENT_REMINDER: _("An event you signed up for starts soon"),
        V.EVENT_CANCELLED: _("An event you signed up for was cancelled"),
        V.WAITLIST_PROMOTED: _("You have a seat: you moved up from the waitlist"),
        V.POINTS_AWARDED: _("You earned points"),
        V.BADGE_AWARDED: _("You earned a badge"),
        V.MODERATION: _("The community team reviewed your content"),
        V.CAMPAIGN: _("A message from the brand team"),
        V.TIE_MILESTONE: _("%(actor)s and you have grown closer"),
        V.DATA_EXPORT_READY: _("Your data export is ready to download"),
        V.DIRECT_MESSAGE: _("%(actor)s sent you a private message"),
    }


# Apps add texts that name what a notification is about (a circle, a role...) from its data:
# `function(verb, data) -> template or None`, which may put translated parameters into `data`.
_detailed: list = []


def detailed_texts(function):
    if function not in _detailed:
        _detailed.append(function)
    return function


def render(notification: Notification) -> str:
    data = dict(notification.data or {})
    if data.get("text"):
        return str(data["text"])
    actor = notification.actor.nickname if notification.actor_id and notification.actor else _("Someone")
    data.setdefault("actor", actor)
    template = None
    for detailed in _detailed:
        template = detailed(notification.verb, data)
        if template:
            break
    template = template or _templates().get(notification.verb, "%(actor)s")
    try:
        return template % data
    except (KeyError, ValueError, TypeError):
        return template.replace("%(actor)s", actor)
