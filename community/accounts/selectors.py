"""Reads about accounts that are more than a lookup."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast

from community.kernel.search import ranks_by_trigrams
from community.models import BRAND_GROUP, Follow, User, Vehicle


def owners() -> QuerySet[User]:
    """The community's members: active users who are not brand staff (the `brand` group) or superusers.
    Leaderboards, segments, cohorts, tie figures and campaign audiences count these only."""
    return User.objects.filter(is_active=True, is_superuser=False).exclude(groups__name=BRAND_GROUP)


def active_user(pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()


def pending_vehicles() -> QuerySet[Vehicle]:
    """Vehicles of active owners that brand staff have not verified yet, with their owner fetched."""
    return Vehicle.objects.filter(verified_at__isnull=True, owner__is_active=True).select_related("owner")


def followers_of(user_id: int) -> QuerySet[Follow]:
    """Follows of `user_id` by active accounts, with the follower fetched (the connection lists them)."""
    return Follow.objects.filter(followee_id=user_id, follower__is_active=True).select_related("follower")


def followed_by(user_id: int) -> QuerySet[Follow]:
    """Follows made by `user_id` of active accounts, with the followed account fetched."""
    return Follow.objects.filter(follower_id=user_id, followee__is_active=True).select_related("followee")


# Exact nickname, then nicknames starting with the query, then the rest; ties by trigram similarity.
USER_SEARCH_ORDERING = ("-rank", "id")


def search_users(query: str) -> QuerySet[User]:
    """Active accounts whose nickname contains `query` (already cleaned), annotated with `rank`."""
    rank = Case(
        When(nickname__iexact=query, then=Value(3000)),
        When(nickname__istartswith=query, then=Value(2000)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if ranks_by_trigrams():
        rank = rank + Cast(TrigramSimilarity("nickname", query) * 1000, IntegerField())
    return User.objects.filter(is_active=True, nickname__icontains=query).annotate(rank=rank)
