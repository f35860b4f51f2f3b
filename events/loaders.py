"""Batch loaders for event fields on lists: one query per field per request, whatever the page size."""

from __future__ import annotations

from community.graphql.loaders import Loader
from events import selectors
from events.models import Event, Signup


class ViewerSignupLoader(Loader):
    """The viewer's latest sign-up of each event (the live one when there is one), or None."""

    def batch(self, keys):
        viewer = self.viewer
        if not viewer.is_authenticated:
            return {}
        found: dict[int, Signup] = {}
        for signup in Signup.objects.filter(user=viewer, event_id__in=keys).order_by("event_id", "-id"):
            found.setdefault(signup.event_id, signup)
        return found


class WaitlistPositionLoader(Loader):
    """Keys are sign-up ids; WAITLISTED ones get their 1-based place, others None."""

    def batch(self, keys):
        return selectors.waitlist_positions(keys)


class VisibleEventLoader(Loader):
    """Events by id, as far as the viewer may see them (a post's recap link, a sign-up's event)."""

    def batch(self, keys):
        return selectors.visible_events(self.viewer).in_bulk(keys)


class EventByIdLoader(Loader):
    def batch(self, keys):
        return Event.objects.in_bulk(keys)
