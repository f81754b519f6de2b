"""Upload of the rows of schools on other vendors' systems on the core import framework: a background job
(the job's `target_id` is the report) checks every row and saves them all together or not at all."""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.access.policy import Actor
from ejournal.core.imports.base import Importer, Row
from ejournal.core.imports.fields import CellError, Column, name_key
from ejournal.core.imports.kinds import ImportKinds
from ejournal.core.imports.readers import ImportFileError
from ejournal.core.imports.services import import_job_run, import_job_start
from ejournal.core.models import ImportJob

from . import services
from .models import MonthlyReportRow, MonthlyRolloutReport
from .report_fields import FIELDS
from .values import parse_cell, row_conflicts, to_json

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
        values = {f.key: row.value(f.key, functools.partial(parse_cell, f)) for f in FIELDS}
        if row.ok:
            # Figures that contradict each other (more decisions than applications…): an error of this row.
            data = {f.key: to_json(f, values.get(f.key)) for f in FIELDS}
            for problem in row_conflicts(data, year=self.ctx.year, month=self.ctx.month):
                row.error("school", problem)
        if row.ok:
            self.values[report_row.school_id] = values
            self.count("rows", "updated")

    def save(self, *, actor: Actor) -> None:
        services.report_rows_save(report=self.ctx, rows=self.values, actor=actor)


def report_context(job: ImportJob) -> MonthlyRolloutReport:
    if job.target_id is None:
        raise MonthlyRolloutReport.DoesNotExist("an import of a report names its report")
    return MonthlyRolloutReport.objects.get(pk=job.target_id)


REPORT_ROWS_KINDS = ImportKinds(
    name="monthly_report",
    importers={ReportRowsImporter.kind: ReportRowsImporter},
    entity_labels={"rows": gettext_lazy("Строки школ")},
    context=None,
    job_context=report_context,
    run_task="ejournal.city.imports.report_rows_import_run",
    # The report is checked again when the job saves: one sent meanwhile is not changed.
    refusals=(ImportFileError, ValidationError, PermissionDenied),
    changes_access=False,
)


def report_rows_upload_start(*, report: MonthlyRolloutReport, upload: UploadedFile, actor: Actor) -> ImportJob:
    """Keep the file and queue the check and save of its rows; return the job to watch (the file is read there)."""
    services.report_rows_editable(report=report, actor=actor)
    return import_job_start(
        kinds=REPORT_ROWS_KINDS, school_id=None, kind=ReportRowsImporter.kind, upload=upload, actor=actor,
        target_id=report.pk,
    )  # fmt: skip


def report_rows_import_run(job_id: int) -> None:
    """The background task: check every row, save all or nothing (see `import_job_run`)."""
    import_job_run(job_id, kinds=REPORT_ROWS_KINDS)


def report_upload_jobs(*, report: MonthlyRolloutReport) -> QuerySet[ImportJob]:
    """The uploads into a report the caller has fetched in the actor's scope."""
    return ImportJob.objects.filter(kind=ReportRowsImporter.kind, target_id=report.pk).select_related("created_by")
