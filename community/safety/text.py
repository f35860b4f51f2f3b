"""How the word filter sees text: normalised once, the same way for the words and for what is checked."""

import unicodedata
from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    return _t2s().convert(unicodedata.normalize("NFKC", text)).casefold()


def compact(normalized: str) -> str:
    """Letters, digits and CJK only: separators put between characters don't hide a word."""
    return "".join(ch for ch in normalized if ch.isalnum())
