"""Batch loaders for users and what hangs off them (vehicles, brand staff, follows)."""

from __future__ import annotations

from community.graphql.loaders import Loader, group_by
from community.models import BRAND_GROUP, Block, Follow, User, Vehicle


class UserByIdLoader(Loader):
    def batch(self, keys):
        return User.objects.in_bulk(keys)


class VehiclesByOwnerLoader(Loader):
    default = list

    def batch(self, keys):
        return group_by(Vehicle.objects.filter(owner_id__in=keys).order_by("created_at", "id"), "owner_id")


class BrandStaffLoader(Loader):
    default = False

    def batch(self, keys):
        staff = User.objects.filter(pk__in=keys, is_active=True)
        ids = set(staff.filter(is_superuser=True).values_list("pk", flat=True))
        ids |= set(staff.filter(groups__name=BRAND_GROUP).values_list("pk", flat=True))
        return {key: key in ids for key in keys}


class FollowedByViewerLoader(Loader):
    default = False

    def batch(self, keys):
        viewer = self.viewer
        if not viewer.is_authenticated:
            return {}
        followed = set(
            Follow.objects.filter(follower=viewer, followee_id__in=keys).values_list("followee_id", flat=True)
        )
        return {key: key in followed for key in keys}


class BlockedByViewerLoader(Loader):
    """Whether the viewer blocked each person (their page offers "unblock" then)."""

    default = False

    def batch(self, keys):
        viewer = self.viewer
        if not viewer.is_authenticated:
            return {}
        blocked = set(Block.objects.filter(blocker=viewer, blocked_id__in=keys).values_list("blocked_id", flat=True))
        return {key: key in blocked for key in keys}
