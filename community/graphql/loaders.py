"""Per-request batch loaders, so a list never costs a query per row.

They batch synchronously (graphql-sync-dataloaders), so the schema must be executed with
`DeferredExecutionContext` (`community.graphql.execution` extends it), as the HTTP view and the WebSocket consumer do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graphql_sync_dataloaders import SyncDataLoader, SyncFuture


class Loader(SyncDataLoader):
    """Subclasses implement `batch(keys) -> dict[key, value]`; missing keys load `default`."""

    default: Any = None

    def __init__(self, context) -> None:
        super().__init__(self._load)
        self.context = context

    @property
    def viewer(self):
        return self.context.user

    def _load(self, keys: list) -> list:
        found = self.batch(keys)
        return [found.get(key, self.default() if callable(self.default) else self.default) for key in keys]

    def batch(self, keys: list) -> dict:
        raise NotImplementedError


def loader(info, loader_class: type[Loader]) -> Loader:
    store = getattr(info.context, "_loaders", None)
    if store is None:
        store = {}
        info.context._loaders = store
    if loader_class not in store:
        store[loader_class] = loader_class(info.context)
    return store[loader_class]


def then(value, transform):
    """Apply `transform` to a loaded value, now or once its batch has been dispatched."""
    if not isinstance(value, SyncFuture):
        return transform(value)
    if value.done():
        return transform(value.result())
    derived = SyncFuture()
    derived.deferred_callback = value.deferred_callback

    def finish() -> None:
        try:
            derived.set_result(transform(value.result()))
        except Exception as error:
            derived.set_exception(error)

    value.add_done_callback(finish)
    return derived


def group_by(rows: Iterable, key: str) -> dict:
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped
