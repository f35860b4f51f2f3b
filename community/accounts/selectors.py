"""Reads about accounts that are more than a lookup."""

from __future__ import annotations

from community.models import User


def active_user(pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True).first()
