"""Graphene hands enum arguments to resolvers as enum members; services take the plain values."""

from __future__ import annotations

import enum


def plain(value):
    """`value` with every enum member in it (also inside input objects and lists) replaced by its value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        for key, item in list(value.items()):
            unwrapped = plain(item)
            if unwrapped is not item:
                value[key] = unwrapped
                if hasattr(value, key):
                    setattr(value, key, unwrapped)
        return value
    return value
