"""Graphene hands enum arguments to resolvers as enum members; services take the plain values."""

from __future__ import annotations

import enum

import graphene


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


def _plain_attribute(attribute: str):
    def resolve(root, info):
        return plain(getattr(root, attribute))

    return resolve


def enum_field(enum_type, attribute: str, **arguments):
    """A field of `enum_type` read from the model's `attribute` (a TextChoices value), as its plain value."""
    return graphene.Field(enum_type, resolver=_plain_attribute(attribute), **arguments)
