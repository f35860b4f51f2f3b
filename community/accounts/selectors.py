"""Reads about accounts that are more than a lookup."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from community.kernel.search import ranks_by_trigrams
from community.models import BRAND_GROUP, Block, Contact, DataExport, Follow, User, Vehicle


def owners() -> QuerySet[User]:
    """The community's members: active users who are not brand staff (the `brand` group) or superusers.
    Leaderboards, segments, cohorts, tie figures and campaign audiences count these only."""
    return User.objects.filter(is_active=True, is_superuser=False).exclude(groups__name=BRAND_GROUP)


def active_user(pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()


# ---------------------------------------------------------------- blocking: the one home of the rule


def is_blocked_between(a_id: int | None, b_id: int | None) -> bool:
    """Whether either of the two blocked the other (one indexed lookup)."""
    if a_id is None or b_id is None or a_id == b_id:
        return False
    return Block.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


def blocked_ids(user_id: int) -> set[int]:
    """Everyone `user_id` blocked or was blocked by, in one query (for checks over a handful of people)."""
    return blocked_ids_of([user_id])[user_id]


def blocked_ids_of(user_ids: list[int]) -> dict[int, set[int]]:
    """`blocked_ids` for several people at once, in one query."""
    found: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    pairs = Block.objects.filter(Q(blocker_id__in=user_ids) | Q(blocked_id__in=user_ids))
    for blocker, blocked in pairs.values_list("blocker_id", "blocked_id"):
        if blocker in found:
            found[blocker].add(blocked)
        if blocked in found:
            found[blocked].add(blocker)
    return found


def without_blocked(queryset: QuerySet, viewer, field: str = "author_id") -> QuerySet:
    """`queryset` without the rows whose `field` (a user id) is someone blocked either way with `viewer`.

    Two subqueries inside the same SQL statement: a list costs no query more with blocking applied."""
    if viewer is None or not viewer.is_authenticated:
        return queryset
    blocked_by_viewer = Block.objects.filter(blocker_id=viewer.pk).values("blocked_id")
    blocking_viewer = Block.objects.filter(blocked_id=viewer.pk).values("blocker_id")
    return queryset.exclude(**{f"{field}__in": blocked_by_viewer}).exclude(**{f"{field}__in": blocking_viewer})


def blocks_made_by(user_id: int) -> QuerySet[Block]:
    """The blocks `user_id` made, with the blocked account fetched (`blockedUsers` lists them)."""
    return Block.objects.filter(blocker_id=user_id).select_related("blocked")


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


def search_users(query: str, viewer=None) -> QuerySet[User]:
    """Active accounts whose nickname contains `query` (already cleaned), annotated with `rank`; people
    blocked either way with `viewer` are not found."""
    rank = Case(
        When(nickname__iexact=query, then=Value(3000)),
        When(nickname__istartswith=query, then=Value(2000)),
        default=Value(0),
        output_field=IntegerField(),
    )
    if ranks_by_trigrams():
        rank = rank + Cast(TrigramSimilarity("nickname", query) * 1000, IntegerField())
    found = User.objects.filter(is_active=True, nickname__icontains=query).annotate(rank=rank)
    return without_blocked(found, viewer, "id")


def contacts_of(user) -> list[Contact]:
    return list(Contact.objects.filter(user=user).order_by("created_at", "id"))


def data_exports_of(user) -> list[DataExport]:
    return list(DataExport.objects.filter(user=user).order_by("-created_at", "-id")[:20])
