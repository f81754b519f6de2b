"""Downloadable blank files for a kind of import: the header row and example rows."""

from __future__ import annotations

import csv
import io

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ejournal.core.spreadsheet import safe_cell, workbook_new

from .base import Importer

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def template_rows(importer: type[Importer]) -> list[list[str]]:
    header = [c.label for c in importer.columns]
    examples = [[example.get(c.key, "") for c in importer.columns] for example in importer.examples]
    return [header, *examples]


def template_build(*, importer: type[Importer], fmt: str) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) of the blank file of `importer`'s kind in `fmt`.

    Every cell goes through `safe_cell`, so an example never runs as a formula.
    """
    rows = [[safe_cell(v) for v in row] for row in template_rows(importer)]
    file_name = f"{importer.kind}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        # Semicolons and a BOM: what Russian Excel writes and opens without asking.
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("utf-8-sig"), FORMATS[fmt], file_name
    book, sheet = workbook_new()
    sheet.title = str(importer.title)[:31]
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, label in enumerate(rows[0], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(label) + 4)
    xlsx = io.BytesIO()
    book.save(xlsx)
    return xlsx.getvalue(), FORMATS[fmt], file_name
