"""Reads of gamification that are more than a lookup."""

from __future__ import annotations

from django.db.models import QuerySet

from gamification.models import PointsAccount, PointsTransaction, Reward


def rewards_on_sale() -> QuerySet[Reward]:
    """The points mall: rewards brand staff put on sale, sold-out ones included (shown with stock 0)."""
    return Reward.objects.filter(active=True)


def transactions_of(account: PointsAccount) -> QuerySet[PointsTransaction]:
    if account.pk is None:
        return PointsTransaction.objects.none()
    return PointsTransaction.objects.filter(account_id=account.pk)


def can_see_points(viewer, user_id: int) -> bool:
    """Points are private: the user themself and brand staff only."""
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.pk == user_id or viewer.is_brand_staff
