"""Checks of plain input values that every app's services share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, FieldError, ServiceError

T = TypeVar("T")


def clean_text(value: str | None, *, field: str, max_length: int, min_length: int = 0, required: bool = False) -> str:
    """The stripped text, or INVALID on `field` when it is missing, too short or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(ErrorCode.INVALID, _("This field is required."), field)
    if value and len(value) < min_length:
        raise ServiceError(ErrorCode.INVALID, _("At least %(min)d characters.") % {"min": min_length}, field)
    if len(value) > max_length:
        raise ServiceError(ErrorCode.INVALID, _("At most %(max)d characters.") % {"max": max_length}, field)
    return value


def collect(errors: list[FieldError], function: Callable[..., T], *args, **kwargs) -> T | None:
    """Run one check, adding its field errors to `errors` instead of raising: a form reports them all at once."""
    try:
        return function(*args, **kwargs)
    except ServiceError as error:
        errors.extend(error.errors)
        return None


def clean_choice(value: str | None, choices: type[models.TextChoices], *, field: str) -> str:
    """`value` if it is one of `choices`, else INVALID on `field`."""
    if value not in choices.values:
        raise ServiceError(ErrorCode.INVALID, _("This value is not one of the choices."), field)
    return value
