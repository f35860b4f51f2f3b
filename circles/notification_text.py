"""Texts of the notifications circles send, naming the circle (and the role): rendered when read, in
the reader's language. Notifications without circle data keep the generic texts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from community.kernel.verbs import NotificationVerb
from community.notifications.texts import detailed_texts

V = NotificationVerb


def _role_names() -> dict[str, str]:
    return {"HOST": _("the host"), "CO_HOST": _("a co-host"), "MEMBER": _("a member")}


@detailed_texts
def circle_texts(verb: str, data: dict) -> str | None:
    if "circle" not in data:
        return None
    event = data.get("event")
    if event == "host_changed" and "host" in data:
        return _("%(host)s is now the host of %(circle)s")
    if event == "circle_approved":
        return _("Your circle %(circle)s has been approved")
    if event == "circle_rejected":
        return _("Your circle %(circle)s was not approved")
    if verb == V.JOIN_REQUESTED:
        return _("%(actor)s asked to join %(circle)s")
    if verb == V.JOIN_APPROVED:
        return _("You are now a member of %(circle)s")
    if verb == V.ROLE_CHANGED and data.get("role") in _role_names():
        data["role"] = _role_names()[data["role"]]
        return _("You are now %(role)s of %(circle)s")
    return None
