"""Cells written to files people open in Excel or LibreOffice."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

# A cell starting with one of these is read as a formula by spreadsheet programs
# (CSV/formula injection): `=HYPERLINK(...)`, `+cmd|...`, `-2+3`, `@SUM(...)`.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return `value` so that a spreadsheet shows it as text and never evaluates it.

    Strings that look like a formula get a leading apostrophe (Excel's own
    "this is text" marker); numbers, dates and None pass through unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def workbook_new() -> tuple[Workbook, Worksheet]:
    """A new workbook and the worksheet openpyxl opens it with (typed: `Workbook.active` may be None)."""
    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise TypeError("a new workbook opens on a worksheet")
    return book, sheet
