"""Batch loaders for the gamification fields of users, so a list of users costs no query per row."""

from __future__ import annotations

from community.graphql.loaders import Loader, group_by
from gamification.models import BadgeAward, PointsAccount, Tie, UserActivityProfile


class PointsAccountByUserLoader(Loader):
    """The user's points account, or None for a user who never earned (level 1, nothing else)."""

    def batch(self, keys):
        return {account.user_id: account for account in PointsAccount.objects.filter(user_id__in=keys)}


class BadgesByUserLoader(Loader):
    default = list

    def batch(self, keys):
        awards = BadgeAward.objects.filter(user_id__in=keys).select_related("badge").order_by("awarded_at", "id")
        return group_by(awards, "user_id")


class TieWithViewerLoader(Loader):
    """The viewer's tie with each user (keys: the other users' ids); None when there is none."""

    def batch(self, keys):
        from django.db.models import Q

        viewer = self.viewer
        if viewer is None or not viewer.is_authenticated:
            return {}
        ties = Tie.objects.filter(
            Q(user_low_id=viewer.pk, user_high_id__in=keys) | Q(user_high_id=viewer.pk, user_low_id__in=keys)
        ).select_related("user_low", "user_high")
        return {tie.other_id(viewer.pk): tie for tie in ties}


class ActivityProfileByUserLoader(Loader):
    def batch(self, keys):
        return {p.user_id: p for p in UserActivityProfile.objects.filter(user_id__in=keys)}
