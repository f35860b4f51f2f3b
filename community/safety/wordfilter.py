"""The sensitive-word filter: one Aho-Corasick automaton over every word, rebuilt when the list changes.

Text and words are normalised the same way before matching: NFKC folds full-width forms into
half-width ones (ｗｅｃｈａｔ → wechat), OpenCC turns traditional characters into simplified ones
(車 → 车), and case is folded. Matching also runs on a compact form without spaces and
punctuation, so "微 信" and "微-信" are caught like "微信". A check costs one pass over the text
whatever the size of the list.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import ahocorasick
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from community.kernel.errors import ErrorCode, ServiceError
from community.models import SensitiveWord
from community.safety.text import compact, normalize

logger = logging.getLogger(__name__)

VERSION_KEY = "wordfilter:version"


@dataclass(frozen=True)
class Verdict:
    action: str | None  # None (clean), "HOLD" or "BLOCK"
    words: tuple[str, ...] = ()

    @property
    def blocked(self) -> bool:
        return self.action == "BLOCK"

    @property
    def held(self) -> bool:
        return self.action == "HOLD"


class Matcher:
    def __init__(self, words: list[tuple[str, str]]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.size = 0
        for normalized, action in words:
            key = compact(normalized) or normalized
            existing = self.automaton.get(key, None)
            # BLOCK wins over HOLD when two words normalise to the same key.
            if existing is None or (existing[1] == "HOLD" and action == "BLOCK"):
                self.automaton.add_word(key, (normalized, action))
            self.size += 1
        if self.size:
            self.automaton.make_automaton()

    def check(self, text: str) -> Verdict:
        if not self.size or not text:
            return Verdict(None)
        found: dict[str, str] = {}
        normalized = normalize(text)
        for haystack in {normalized, compact(normalized)}:
            for _end, (word, action) in self.automaton.iter(haystack):
                found[word] = action
        if not found:
            return Verdict(None)
        action = "BLOCK" if "BLOCK" in found.values() else "HOLD"
        return Verdict(action, tuple(sorted(found)))


_lock = threading.Lock()
_state: dict = {"version": None, "matcher": None}


def _current_version():
    try:
        return cache.get(VERSION_KEY, 0)
    except Exception:
        logger.warning("word filter: cache unavailable, using the list loaded last", exc_info=True)
        return _state["version"]


def matcher() -> Matcher:
    """The automaton for the current list; rebuilt in this process when any process changed it."""
    version = _current_version()
    current = _state["matcher"]
    if current is not None and _state["version"] == version:
        return current
    with _lock:
        if _state["matcher"] is None or _state["version"] != version:
            words = list(SensitiveWord.objects.values_list("normalized", "action"))
            _state["matcher"] = Matcher(words)
            _state["version"] = version
        return _state["matcher"]


def check(*texts: str | None) -> Verdict:
    """The strongest verdict over all the given texts (title, body, ...)."""
    current = matcher()
    verdicts = [current.check(text) for text in texts if text]
    words = tuple(sorted({w for v in verdicts for w in v.words}))
    if any(v.blocked for v in verdicts):
        return Verdict("BLOCK", words)
    if any(v.held for v in verdicts):
        return Verdict("HOLD", words)
    return Verdict(None)


def invalidate() -> None:
    """Called when the list changes: every process rebuilds its automaton on its next check."""
    _state["matcher"] = None
    try:
        cache.add(VERSION_KEY, 0, None)
        cache.incr(VERSION_KEY)
    except Exception:
        logger.warning("word filter: could not bump the version in the cache", exc_info=True)


def ensure_unflagged(text: str | None, *, field: str) -> None:
    """INVALID on `field` when `text` contains any listed word, blocked or held: for what is shown at once
    and never goes through review (nicknames, bios, vehicle models)."""
    if text and check(text).action is not None:
        raise ServiceError(ErrorCode.INVALID, _("This contains words that are not allowed."), field)


def ensure_allowed(text: str | None, *, field: str) -> None:
    """INVALID on `field` when `text` contains a blocked word (held words are the caller's business)."""
    if text and check(text).blocked:
        raise ServiceError(ErrorCode.INVALID, _("This contains words that are not allowed."), field)
