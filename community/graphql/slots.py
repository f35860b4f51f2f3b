"""Fields a type declares but an app above its own answers, filled in by the root schema.

`Circle` has `posts` and `events` in the contract, yet circles sits below content and events in the
dependency order. The circles schema declares those fields as slots (`slot_field`); the root schema,
which alone sees every app, fills each slot with the answering app's type and resolver (`fill`)
before it builds the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphene

_filled: dict[str, tuple[Any, Callable]] = {}


def fill(name: str, graphene_type: Any, resolver: Callable) -> None:
    _filled[name] = (graphene_type, resolver)


def slot_field(name: str, **arguments) -> graphene.Field:
    """A field named `name` ("Type.field") whose type and resolver come from `fill(name, ...)`."""

    def resolve(root, info, **values):
        return _filled[name][1](root, info, **values)

    return graphene.Field(lambda: _filled[name][0], resolver=resolve, **arguments)
