"""Check a thematic plan file row by row and save all of it, or nothing and a report of every bad cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.core.imports.base import Row
from ejournal.core.imports.readers import ImportFileError, read_table, too_big_message
from ejournal.curriculum.models import TeachingAssignment

from ..services.plans import require_planner
from .importers import PlanContext, ThematicPlanImporter, match_headers_numbered
from .kinds import JOURNAL_KINDS

MAX_REPORTED_ERRORS = 200


@dataclass
class PlanImportReport:
    """The outcome shown on the plan page: the topics loaded, or the file's refusal, or the bad cells."""

    saved: int = 0
    file_error: str = ""
    errors: list[dict] = field(default_factory=list)  # {"row", "column", "message"}, as the core report
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count


def thematic_plan_file_import(
    *, assignment: TeachingAssignment, upload: UploadedFile, replace: bool = True, actor: Actor
) -> PlanImportReport:
    """Load the plan of `assignment` from an XLSX/CSV file: every row valid, or nothing saved and the errors.

    The planner is checked first (the keeper of the journal or the deputy head planning the school).
    """
    require_planner(actor, assignment)
    importer = ThematicPlanImporter(PlanContext(assignment=assignment, replace=replace))
    errors: list[dict] = []
    try:
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ImportFileError(too_big_message())
        table = read_table(upload.read(), upload.name or "")
        if not table.rows:
            raise ImportFileError(_("В файле нет ни одной строки с данными под заголовком."))
        positions = match_headers_numbered(importer.columns, table.headers)
        for number, cells in table.rows:
            importer.check(Row(number, cells, positions, table.headers, errors))
    except ImportFileError as exc:
        return PlanImportReport(file_error=str(exc))
    if errors:
        return PlanImportReport(errors=errors[:MAX_REPORTED_ERRORS], error_count=len(errors))
    with transaction.atomic():
        importer.save(actor=actor)
        counts = importer.report_counts()
        audit_record(
            actor=actor, action=f"{JOURNAL_KINDS.name}_imported", obj=assignment, changes={"counts": counts},
            reason=upload.name or "",
        )  # fmt: skip
    return PlanImportReport(saved=counts["topics"]["created"])
