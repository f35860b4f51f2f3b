"""CSV files brand staff and hosts open in a spreadsheet: no cell may be read as a formula.

Owners choose their nicknames, cities and bios, so a cell such as `=HYPERLINK("http://…")` or
`@SUM(…)` would run in whoever opens the export. As OWASP advises (CSV injection), a text cell
starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, which
spreadsheets show as text, and every cell is quoted (embedded quotes doubled by the csv module).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral_cell(value: Any) -> Any:
    """The value as a cell no spreadsheet evaluates; numbers and empty cells stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """A csv.writer whose every row is neutralised and every cell quoted."""

    def __init__(self, stream) -> None:
        self.writer = csv.writer(stream, quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> None:
        self.writer.writerow([neutral_cell(value) for value in row])
