"""Batch loaders for circle fields on lists: one query per field per request, whatever the page size."""

from __future__ import annotations

from circles.models import Circle, Membership
from community.graphql.loaders import Loader


class CircleHostLoader(Loader):
    """The active host (a User) of each circle."""

    def batch(self, keys):
        hosts = Membership.objects.filter(
            circle_id__in=keys, role=Membership.Role.HOST, status=Membership.Status.ACTIVE
        ).select_related("user")
        return {m.circle_id: m.user for m in hosts if m.user.is_active}


class ViewerMembershipLoader(Loader):
    """The viewer's own membership row of each circle (any status), or None."""

    def batch(self, keys):
        viewer = self.viewer
        if not viewer.is_authenticated:
            return {}
        return {m.circle_id: m for m in Membership.objects.filter(user=viewer, circle_id__in=keys)}


class CircleByIdLoader(Loader):
    def batch(self, keys):
        return Circle.objects.in_bulk(keys)
