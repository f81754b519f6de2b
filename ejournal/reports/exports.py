"""The reports as XLSX: one sheet, each table under its title; every text cell goes through `safe_cell`."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from ejournal.core.spreadsheet import safe_cell

from .tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(v):
    if isinstance(v, Decimal):
        return float(v)
    return "—" if v is None else safe_cell(str(v) if not isinstance(v, int | float) else v)


def tables_xlsx(*, title: str, heading: list[str], tables: list[Table]) -> bytes:
    """The workbook written row by row (openpyxl's write-only sheet: a school's whole report is ~10^4 rows, and a
    workbook kept in memory sorted and searched its cells again for every table)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for column in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        sheet.column_dimensions[column].width = 14
    sheet.column_dimensions["A"].width = 28

    def bold(value, size: int | None = None) -> Cell:
        cell = WriteOnlyCell(sheet, value=safe_cell(value))
        cell.font = Font(bold=True, size=size) if size else Font(bold=True)
        return cell

    for n, line in enumerate(heading):
        sheet.append([bold(line, 12) if n == 0 else safe_cell(line)])
    for t in tables:
        sheet.append([])
        sheet.append([bold(t.title)])
        sheet.append([bold(h) for h in t.header])
        for row in t.rows:
            sheet.append([_value(v) for v in row])
        if not t.rows and t.empty:
            sheet.append([safe_cell(t.empty)])
        if t.note:
            sheet.append([safe_cell(t.note)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
