"""Reads about accounts that are more than a lookup."""

from __future__ import annotations

from django.db.models import QuerySet

from community.models import BRAND_GROUP, User


def owners() -> QuerySet[User]:
    """The community's members: active users who are not brand staff (the `brand` group) or superusers.
    Leaderboards, segments, cohorts, tie figures and campaign audiences count these only."""
    return User.objects.filter(is_active=True, is_superuser=False).exclude(groups__name=BRAND_GROUP)


def active_user(pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()
