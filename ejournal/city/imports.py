"""Upload of the rows of schools on other vendors' systems: the core framework's reader, headers, rows and report,
run at once (a district has a few dozen schools) and saved all together or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.access.policy import Actor
from ejournal.core.imports.base import Importer, Row
from ejournal.core.imports.fields import CellError, Column, match_headers, name_key
from ejournal.core.imports.readers import ImportFileError, read_table

from . import services
from .models import MonthlyReportRow, MonthlyRolloutReport
from .report_fields import FIELDS
from .values import parse_cell

# File headers are Russian whatever the interface language: the district's files are Russian.
SCHOOL = Column("school", "Школа", synonyms=("ОУ", "Учреждение", "Код школы", "Номер школы"), required=True)


def _columns() -> tuple[Column, ...]:
    with translation.override("ru"):
        return (SCHOOL, *(Column(f.key, str(f.label), synonyms=f.synonyms) for f in FIELDS))


class ReportRowsImporter(Importer):
    kind = "monthly_report_rows"
    title = gettext_lazy("Строки ежемесячного отчёта")
    columns = _columns()
    examples = (
        {
            "school": "СОШ № 2",
            "stage": "Апробация начата",
            "stage_on": "01.09.2026",
            "classes_in_system": "22",
            "students_in_system": "640",
            "teachers_with_accounts": "41",
            "teachers_active": "38",
            "guardians_with_access": "520",
            "guardians_logged_in": "310",
            "lessons_total": "2400",
            "lessons_topic_on_time_pct": "92,5",
            "lessons_homework_on_time_pct": "88",
            "lessons_attendance_pct": "97",
            "marks_per_student": "6,4",
            "density_norm_met_pct": "81",
            "marks_late_pct": "4,2",
            "applications_received": "12",
            "applications_granted": "11",
            "applications_refused": "1",
            "applications_avg_days": "6",
            "site_url": "https://school2.example.ru/usluga",
            "support_filed": "1",
            "support_closed": "1",
            "support_open": "0",
            "problems": "",
        },
    )

    def __init__(self, ctx: MonthlyRolloutReport):
        super().__init__(ctx)
        self.rows = {r.school_id: r for r in ctx.rows.select_related("school")}
        self.values: dict[int, dict[str, Any]] = {}

    def _school(self, raw: str) -> MonthlyReportRow:
        key = name_key(raw)
        for row in self.rows.values():
            school = row.school
            if key in (name_key(school.short_name), name_key(school.full_name), school.code) or (
                raw.isdigit() and school.number == int(raw)
            ):
                return row
        raise CellError(_("Школа «%(value)s» не найдена в округе этого отчёта.") % {"value": raw})

    def check(self, row: Row) -> None:
        report_row = row.value("school", self._school, required=True)
        if report_row is None:
            return
        if report_row.source != MonthlyReportRow.Source.MANUAL:
            row.error("school", _("Школа работает в данной системе: её строка рассчитывается автоматически."))
            return
        if report_row.school_id in self.values:
            row.error("school", _("Школа уже есть в файле выше."))
            return
        values = {f.key: row.value(f.key, lambda raw, f=f: parse_cell(f, raw)) for f in FIELDS}
        if row.ok:
            self.values[report_row.school_id] = values
            self.count("rows", "updated")

    def save(self, *, actor: Actor) -> None:
        services.report_rows_save(report=self.ctx, rows=self.values, actor=actor)


@dataclass
class UploadResult:
    ok: bool
    file_error: str = ""
    errors: list[dict] = field(default_factory=list)
    saved: int = 0


def report_rows_upload(*, report: MonthlyRolloutReport, upload: UploadedFile, actor: Actor) -> UploadResult:
    """Check every row of the file; save them all when none has an error, else nothing and the errors."""
    services.report_rows_editable(report=report, actor=actor)
    try:
        table = read_table(upload.read(), upload.name)
        if not table.rows:
            raise ImportFileError(_("В файле нет ни одной строки с данными под заголовком."))
        importer = ReportRowsImporter(report)
        positions = match_headers(importer.columns, table.headers)
    except ImportFileError as exc:
        return UploadResult(ok=False, file_error=str(exc))
    errors: list[dict] = []
    for number, cells in table.rows:
        importer.check(Row(number, cells, positions, table.headers, errors))
    if errors:
        return UploadResult(ok=False, errors=errors)
    importer.save(actor=actor)
    return UploadResult(ok=True, saved=len(importer.values))
