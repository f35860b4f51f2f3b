"""Every write about the word list brand staff keep (single words are edited in admin)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, ServiceError
from community.models import SensitiveWord
from community.safety import wordfilter
from community.safety.text import normalize


def import_sensitive_words(lines: list[str], *, action: str, user=None) -> int:
    """Add many words at once (brand staff paste a list in admin); returns how many were new."""

    if action not in SensitiveWord.Action.values:
        raise ServiceError(ErrorCode.INVALID, _("Unknown action."), "action")
    seen: dict[str, str] = {}
    for line in lines:
        word = line.strip()
        if word and len(word) <= 100:
            seen.setdefault(normalize(word), word)
    with transaction.atomic():
        existing = set(SensitiveWord.objects.filter(normalized__in=list(seen)).values_list("normalized", flat=True))
        new = [
            SensitiveWord(word=word, normalized=normalized, action=action, created_by=user)
            for normalized, word in seen.items()
            if normalized not in existing
        ]
        SensitiveWord.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        transaction.on_commit(wordfilter.invalidate, robust=True)
    return len(new)
