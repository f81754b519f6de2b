"""Run a timetable upload as a background job: every row checked, then all classes saved or nothing."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.core.models import ImportJob
from ejournal.core.tasks import task_run
from ejournal.people.imports.base import Row, SchoolContext
from ejournal.people.imports.fields import match_headers
from ejournal.people.imports.readers import ImportFileError, read_table, too_big_message
from ejournal.people.imports.service import MAX_REPORTED_ERRORS

from ..models import Room
from ..services import timetable_cells_set
from ..services.entries import entries_at
from .importer import TimetableImporter

logger = logging.getLogger(__name__)
KIND = TimetableImporter.kind
RUN_TASK = "ejournal.timetable.imports.service.timetable_import_run"


def timetable_import_start(*, school_id: int, upload: UploadedFile, actor: Actor) -> ImportJob:
    """Keep the file under MEDIA_ROOT/imports/ and queue its import; return the job to watch."""
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}", upload)
    with transaction.atomic():
        job = ImportJob.objects.create(
            school_id=school_id, kind=KIND, created_by_id=actor.user_id, created_role=actor.role or "",
            file_name=Path(upload.name).name[:255], stored_file=stored,
        )  # fmt: skip
        audit_record(actor=actor, action="timetable_import_queued", obj=job)
        task_run(RUN_TASK, job.pk)
    return job


def timetable_import_run(job_id: int) -> None:
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.PENDING or job.kind != KIND:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        if default_storage.size(job.stored_file) > settings.IMPORT_MAX_BYTES:
            raise ImportFileError(too_big_message())
        importer, errors = _check(job, default_storage.open(job.stored_file).read())
        if errors:
            job.report = {"errors": errors[:MAX_REPORTED_ERRORS], "error_count": len(errors)}
            _finish(job, ImportJob.Status.FAILED)
        else:
            _save(job, importer)
    except (ImportFileError, ValidationError) as exc:
        job.report = {"file_error": " ".join(getattr(exc, "messages", [str(exc)]))}
        _finish(job, ImportJob.Status.FAILED)
    except Exception:  # nobody waits on a background job: record the failure for the job page
        logger.exception("Timetable import %s failed", job.pk)
        job.report = {"file_error": _("Внутренняя ошибка при загрузке. Ничего не сохранено; сообщите в поддержку.")}
        _finish(job, ImportJob.Status.FAILED)
    finally:
        default_storage.delete(job.stored_file)
        ImportJob.objects.filter(pk=job.pk).update(stored_file="")


def _check(job: ImportJob, data: bytes) -> tuple[TimetableImporter, list[dict]]:
    table = read_table(data, job.file_name)
    if not table.rows:
        raise ImportFileError(_("В файле нет ни одной строки с данными под заголовком."))
    importer = TimetableImporter(SchoolContext(job.school_id))
    positions = match_headers(importer.columns, table.headers)
    errors: list[dict] = []
    for number, cells in table.rows:
        importer.check(Row(number, cells, positions, table.headers, errors))
    job.total_rows = job.processed_rows = len(table.rows)
    return importer, errors


def _save(job: ImportJob, importer: TimetableImporter) -> None:
    """Replace each named class's timetable from the start date; cells that already match stay as they are."""
    actor = Actor(user_id=job.created_by_id, role=job.created_role, school_id=job.school_id)
    counts = {"lessons": {"created": 0, "updated": 0, "unchanged": 0}, "rooms": {"created": len(importer.new_rooms)}}
    with transaction.atomic():
        Room.objects.bulk_create(importer.new_rooms.values())
        for class_id, cells in importer.cells.items():
            cls = importer.classes[class_id]
            current = entries_at(school_class=cls, day=importer.valid_from)
            plan = {cell: [] for cell in current} | cells
            for cell, items in plan.items():
                same = _same(items, current.get(cell, []))
                counts["lessons"]["unchanged" if same else ("updated" if cell in current else "created")] += len(items)
            timetable_cells_set(
                school_class=cls, cells=plan, valid_from=importer.valid_from, confirmed=True, actor=actor
            )
        job.report = {"counts": counts}
        _finish(job, ImportJob.Status.DONE)
        audit_record(
            actor=actor, action="timetable_imported", obj=job, changes={"counts": counts}, reason=job.file_name
        )


def _same(items, entries) -> bool:
    def key(i):
        return (i.assignment.pk, getattr(i.room, "name", None), i.week_parity)

    return sorted(map(key, items)) == sorted(map(key, entries))


def _finish(job: ImportJob, status: str) -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "report", "total_rows", "processed_rows"])
