"""The reports as XLSX: one sheet, each table under its title; every text cell goes through `safe_cell`."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from ejournal.core.spreadsheet import safe_cell

from .tables import Table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(v):
    if isinstance(v, Decimal):
        return float(v)
    return "—" if v is None else safe_cell(str(v) if not isinstance(v, int | float) else v)


def tables_xlsx(*, title: str, heading: list[str], tables: list[Table]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for line in heading:
        sheet.append([safe_cell(line)])
    sheet["A1"].font = Font(bold=True, size=12)
    for t in tables:
        sheet.append([])
        sheet.append([safe_cell(t.title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([safe_cell(h) for h in t.header])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in t.rows:
            sheet.append([_value(v) for v in row])
        if not t.rows and t.empty:
            sheet.append([safe_cell(t.empty)])
        if t.note:
            sheet.append([safe_cell(t.note)])
    for column in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        sheet.column_dimensions[column].width = 14
    sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
