"""XLSX of the class teacher's overview; every text cell goes through `safe_cell`."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ejournal.core.spreadsheet import safe_cell, workbook_new

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FAILING = PatternFill("solid", fgColor="F8D7DA")


def class_overview_xlsx(*, cls, term, overview, rows, codes, **_context: Any) -> bytes:
    """The overview as a sheet: a title row (school, class, term, time of export), the header, one row a student."""
    book, sheet = workbook_new()
    sheet.title = str(_("Сводка класса"))[:31]
    exported = date_format(timezone.localtime(), "d.m.Y H:i")
    title = _("%(school)s. %(cls)s, %(term)s: успеваемость и посещаемость. Выгружено %(at)s.") % {
        "school": cls.school.short_name, "cls": cls, "term": term, "at": exported,
    }  # fmt: skip
    sheet.append([safe_cell(title)])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([safe_cell(_("В клетке предмета: средневзвешенный балл, число отметок, отметка за период."))])
    header = [_("№"), _("Ученик")]
    for subject in overview.subjects:
        header += [f"{subject.name}: {_('ср. балл')}", f"{subject.name}: {_('отметок')}",
                   f"{subject.name}: {_('за период')}"]  # fmt: skip
    header += [*codes, _("Пропущено уроков")]
    sheet.append([safe_cell(str(h)) for h in header])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        line: list[Any] = [row.number, safe_cell(row.student.student.full_name)]
        failing_cols = []
        for view in row.cells:
            cell = view.cell
            if view.failing:
                failing_cols.append(len(line) + 1)
            if cell:
                line += [float(cell.average) if cell.average is not None else None, cell.count,
                         safe_cell(cell.period_mark)]  # fmt: skip
            else:
                line += [None, None, ""]
        line += [*(row.absences[code] or None for code in codes), row.missed]
        sheet.append(line)
        for col in failing_cols:
            for offset in range(3):
                sheet.cell(row=sheet.max_row, column=col + offset).fill = FAILING
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 32
    for index in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    sheet.freeze_panes = "C4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
