"""XLSX files of the schedule and the monthly reports; every text cell goes through `safe_cell`."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ejournal.core.spreadsheet import safe_cell, workbook_new

from .models import Stage
from .report_fields import FIELDS
from .selectors import ReportRowView, RolloutRow
from .values import from_json

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(
    sheet_name: str, heading: list[str], header: list[str], rows: list[list[Any]], extra: tuple | None = None
) -> bytes:
    """One sheet: the heading lines (title, territory, date of export), a blank line, the column header, the rows;
    the header and the first two columns stay in view. `extra`: (name, header, rows) of a second, plain sheet."""
    book, sheet = workbook_new()
    sheet.title = sheet_name[:31]
    for line in heading:
        sheet.append([safe_cell(line)])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([])
    sheet.append([safe_cell(h) for h in header])
    header_row = len(heading) + 2
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    sheet.freeze_panes = f"C{header_row + 1}"
    if extra is not None:
        name, extra_header, extra_rows = extra
        second = book.create_sheet(name[:31])
        second.append([safe_cell(h) for h in extra_header])
        for row in extra_rows:
            second.append([safe_cell(v) for v in row])
        for cell in second[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_heading(title: str, territory: str) -> list[str]:
    """The lines above a file's table: what it is, for which territory, when it was exported (local time)."""
    exported = timezone.localtime().strftime("%d.%m.%Y %H:%M")
    return [title, territory, _("Выгружено: %(when)s") % {"when": exported}]


def territory_label(districts: list[str]) -> str:
    """«Округ: X» for one district, «Округа: все (X, Y)» for the city."""
    if len(districts) == 1:
        return _("Округ: %(name)s") % {"name": districts[0]}
    return _("Округа: все (%(names)s)") % {"names": ", ".join(districts)}


def status_labels() -> dict[str, str]:
    return {
        "planned": _("запланировано"),
        "pilot": _("апробация"),
        "in_use": _("используется"),
        "late": _("отставание"),
    }


def rollout_xlsx(rows: list[RolloutRow], *, districts: list[str]) -> bytes:
    header = [_("Округ"), _("Школа"), _("Программный комплекс")]
    for _key, label in Stage.choices:
        header += [_("%(stage)s: план") % {"stage": label}, _("%(stage)s: факт") % {"stage": label}]
    header += [_("Ответственный в школе"), _("Ответственный в округе"), _("Состояние"), _("Комментарий")]
    labels = status_labels()
    out = []
    for r in rows:
        line: list[Any] = [
            r.school.district.name,
            r.school.short_name,
            str(r.rollout.complex) if r.rollout and r.rollout.complex else "",
        ]
        for key in Stage.values:
            stage = r.stages.get(key)
            line += [stage.planned_on if stage else None, stage.actual_on if stage else None]
        line += [
            r.rollout.school_responsible if r.rollout else "",
            r.rollout.district_responsible if r.rollout else "",
            labels[r.status],
            r.rollout.comment if r.rollout else "",
        ]
        out.append(line)
    heading = export_heading(str(_("Сводный график внедрения")), territory_label(districts))
    return _book(str(_("График внедрения")), heading, header, out)


def _cell(field, value) -> Any:
    if field.kind == "stage" and value:
        return str(Stage(value).label)
    value = from_json(field, value)
    return float(value) if field.kind in ("pct", "decimal") and value is not None else value


def report_xlsx(
    sections: list[tuple[str, list[ReportRowView], dict]],
    city_totals: dict | None = None,
    *,
    month_title: str,
    anchors: list | None = None,
) -> bytes:
    """One sheet: the title with the month, the districts and the date of export; per district its school rows
    and its total line, then the city total (if given)."""
    header = [_("Округ"), _("Школа"), _("Источник")] + [str(f.label) for f in FIELDS]
    out = []
    for district, rows, totals in sections:
        for r in rows:
            line = [district, r.row.school.short_name, str(r.row.get_source_display())]
            out.append(line + [_cell(f, r.values.get(f.key)) for f in FIELDS])
        out.append([district, _("Итого по округу"), ""] + [_total(f, totals) for f in FIELDS])
    if city_totals is not None:
        out.append([_("Город"), _("Итого по городу"), ""] + [_total(f, city_totals) for f in FIELDS])
    title = _("Отчёт об итогах апробации и внедрения программных комплексов за %(month)s") % {"month": month_title}
    heading = export_heading(title, territory_label([name for name, _rows, _totals in sections]))
    return _book(str(_("Отчёт")), heading, header, out, extra=_anchor_sheet(anchors) if anchors else None)


def _anchor_sheet(anchors: list) -> tuple:
    """The schools' journal chain anchors at the month's end (decision 0012): what an inspector compares later."""
    header = [_("Школа"), _("Дата"), _("Последняя запись истории"), _("Записей в цепочке"), _("SHA-256")]
    rows = [[a.school, a.day.strftime("%d.%m.%Y"), a.last_id, a.length, a.hash] for a in anchors]
    return str(_("Контрольные суммы")), header, rows


def _total(field, totals: dict) -> Any:
    if field.kind == "url":
        return totals.get("site_url")
    if field.kind in ("int", "pct", "decimal"):
        return _cell(field, totals.get(field.key))
    return None
