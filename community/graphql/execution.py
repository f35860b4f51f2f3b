"""How documents run, over HTTP and the WebSocket alike."""

from __future__ import annotations

from graphql_sync_dataloaders import DeferredExecutionContext


class CommunityExecutionContext(DeferredExecutionContext):
    """Batch loaders resolved together (graphql-sync-dataloaders); variables that do not fit their
    declared types refused as BAD_USER_INPUT, like any other bad argument."""

    @classmethod
    def build(cls, *args, **kwargs):
        built = super().build(*args, **kwargs)
        if isinstance(built, list):  # the variables could not be coerced: nothing runs
            for error in built:
                error.extensions = {"code": "BAD_USER_INPUT", **(error.extensions or {})}
        return built
