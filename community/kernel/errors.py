"""Expected failures raised by services; the API turns them into payload `errors`.

Services know nothing of GraphQL: they raise `ServiceError` with a stable code and a message that
is translated lazily, so it reads in the language of whoever asked.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ErrorCode(enum.StrEnum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    RATE_LIMITED = "RATE_LIMITED"
    CLOSED = "CLOSED"
    INSUFFICIENT_POINTS = "INSUFFICIENT_POINTS"
    OUT_OF_STOCK = "OUT_OF_STOCK"
    # The actor is muted (by brand staff everywhere, or by a circle's hosts in that circle) for a while.
    MUTED = "MUTED"


@dataclass(frozen=True)
class FieldError:
    code: ErrorCode
    message: str
    field: str | None = None


class ServiceError(Exception):
    """One or more expected failures; nothing the service started is left written."""

    def __init__(self, code: ErrorCode, message, field: str | None = None, *, retry_after: int | None = None) -> None:
        super().__init__(str(message))
        self.errors: list[FieldError] = [FieldError(code, message, field)]
        self.retry_after = retry_after

    @classmethod
    def many(cls, errors: list[FieldError]) -> ServiceError:
        error = cls(errors[0].code, errors[0].message, errors[0].field)
        error.errors = list(errors)
        return error

    @property
    def code(self) -> ErrorCode:
        return self.errors[0].code
