"""Writes a client may retry: the same idempotency key (per user and operation) does the work once.

A request cut by a restart or a timeout may have committed although its client saw an error. The
client sends a key it generated for the write (a UUID) and sends the same key again when it
retries; `run_once` does the write the first time and, every later time, returns the first
result without writing anything. A key reused with a different input is refused (CONFLICT).

The key is claimed in the transaction of the write itself: of two concurrent requests with the
same key, the second's insert waits on the unique constraint until the first commits, then finds
the first's row and answers with its result, so exactly one write happens. A write that is
refused (a `ServiceError`) rolls its claim back, so a retry runs again and may succeed.

This module knows nothing of GraphQL; `community.graphql.mutations.ServiceMutation` uses it for
every mutation that declares `idempotent_result`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, ServiceError
from community.kernel.models import IdempotencyKey

KEY_FIELD = "idempotencyKey"
KEY_MAX_LENGTH = 100
KEEP_KEYS_FOR = timedelta(days=2)  # far longer than any client retries a write

Result = TypeVar("Result")


def clean_key(key: str | None) -> str | None:
    """The key as stored, None when no key was given; INVALID when empty or too long."""
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ServiceError(
            ErrorCode.INVALID,
            _("An idempotency key has 1 to %(max)d characters.") % {"max": KEY_MAX_LENGTH},
            KEY_FIELD,
        )
    return key


def fingerprint(values: Mapping[str, Any]) -> str:
    """A digest of a request's input (uploads by their content), equal for equal inputs."""
    return hashlib.sha256(json.dumps(_canonical(values), sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "read") and hasattr(value, "seek"):  # an upload: its name and content
        digest = hashlib.sha256()
        value.seek(0)
        for chunk in iter(lambda: value.read(65536), b""):
            digest.update(chunk if isinstance(chunk, bytes) else chunk.encode())
        value.seek(0)
        return {"file": getattr(value, "name", ""), "sha256": digest.hexdigest()}
    return str(value)


def run_once(
    *,
    user,
    operation: str,
    key: str,
    fingerprint: str,
    perform: Callable[[], Result],
    result_of: Callable[[Result], models.Model | None],
    replay: Callable[[models.Model], Result],
) -> Result:
    """`perform()` the first time `user` sends `key` for `operation`; `replay(first result)` after.

    `result_of(result)` is the object the write produced (stored by type and id); `replay` builds
    the answer from it. Raises CONFLICT when the key was used for a different input, and NOT_FOUND
    when the first result no longer exists.
    """
    earlier = _earlier(user, operation, key)
    if earlier is not None:
        return _replayed(earlier, fingerprint, replay)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotencyKey.objects.create(
                        user=user, operation=operation, key=key, fingerprint=fingerprint
                    )
            except IntegrityError:
                raise _ClaimedMeanwhile from None
            result = perform()
            produced = result_of(result)
            if produced is not None:
                claim.result_type = ContentType.objects.get_for_model(produced, for_concrete_model=False)
                claim.result_id = produced.pk
                claim.save(update_fields=["result_type", "result_id"])
    except _ClaimedMeanwhile:
        earlier = _earlier(user, operation, key)
        if earlier is None:  # committed, then forgotten (`forget_old_keys`) in between: never in practice
            raise ServiceError(ErrorCode.CONFLICT, _("This idempotency key is in use; try again."), KEY_FIELD) from None
        return _replayed(earlier, fingerprint, replay)
    return result


class _ClaimedMeanwhile(Exception):
    """Another request with the same key committed its claim while this one was claiming."""


def _earlier(user, operation: str, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=user, operation=operation, key=key).select_related("result_type").first()


def _replayed(earlier: IdempotencyKey, fingerprint: str, replay: Callable[[models.Model], Result]) -> Result:
    if earlier.fingerprint != fingerprint:
        raise ServiceError(
            ErrorCode.CONFLICT,
            _("This idempotency key was already used for a different request."),
            KEY_FIELD,
        )
    produced = None
    if earlier.result_type is not None:
        model = earlier.result_type.model_class()
        produced = model._base_manager.filter(pk=earlier.result_id).first() if model is not None else None
    if produced is None:
        raise ServiceError(ErrorCode.NOT_FOUND, _("What this request created no longer exists."), KEY_FIELD)
    return replay(produced)


def forget_old_keys(now=None) -> int:
    """Delete keys older than KEEP_KEYS_FOR (a client no longer retries those writes)."""
    cutoff = (now or timezone.now()) - KEEP_KEYS_FOR
    deleted, _per_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
