"""Password rules of our own, beside Django's validators (settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class NotOnlyWhitespaceValidator:
    """Refuses a password made only of spaces (or other whitespace), whatever its length: it passes the
    length rule and is the first thing a guesser tries."""

    def validate(self, password: str, user=None) -> None:
        if password and not password.strip():
            raise ValidationError(_("Your password can't be only spaces."), code="password_only_whitespace")

    def get_help_text(self) -> str:
        return _("Your password can't be only spaces.")
