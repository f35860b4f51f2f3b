"""Which rows a node type lets a viewer reach: its `get_queryset`, which `node(id:)`, loaders and
lists all go through, declared once per type from the rule that decides it."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet


def visible_through(selector: Callable[..., QuerySet]) -> classmethod:
    """A `get_queryset` keeping only the rows `selector(viewer)` returns (the app's visibility rule)."""

    def get_queryset(cls, queryset: QuerySet, info) -> QuerySet:
        return queryset.all() & selector(info.context.user)

    return classmethod(get_queryset)


def brand_staff_only() -> classmethod:
    """A `get_queryset` for what only brand staff see (the moderation tables): nothing for anyone else."""

    def get_queryset(cls, queryset: QuerySet, info) -> QuerySet:
        user = info.context.user
        return queryset if user.is_authenticated and user.is_brand_staff else queryset.none()

    return classmethod(get_queryset)
