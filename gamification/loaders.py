"""Batch loaders for the gamification fields of users, so a list of users costs no query per row."""

from __future__ import annotations

from community.graphql.loaders import Loader, group_by
from gamification.models import BadgeAward, PointsAccount


class PointsAccountByUserLoader(Loader):
    """The user's points account, or None for a user who never earned (level 1, nothing else)."""

    def batch(self, keys):
        return {account.user_id: account for account in PointsAccount.objects.filter(user_id__in=keys)}


class BadgesByUserLoader(Loader):
    default = list

    def batch(self, keys):
        awards = BadgeAward.objects.filter(user_id__in=keys).select_related("badge").order_by("awarded_at", "id")
        return group_by(awards, "user_id")
