"""Run a planning upload: the roster import's steps with this package's table of kinds.

`ejournal.people.imports.service` binds its runner to the roster kinds; this
one takes the same steps (store, check every row, save all or nothing in one
transaction, report) for the curriculum and assignment kinds.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.core.models import ImportJob
from ejournal.core.tasks import task_run
from ejournal.people.imports.base import Importer, Row, SchoolContext
from ejournal.people.imports.fields import match_headers
from ejournal.people.imports.readers import ImportFileError, file_extension, read_table, too_big_message
from ejournal.people.imports.service import MAX_REPORTED_ERRORS, _finish

from .importers import IMPORTERS

logger = logging.getLogger(__name__)
RUN_TASK = "ejournal.curriculum.imports.service.plan_import_run"


def plan_import_start(*, school_id: int, kind: str, upload: UploadedFile, actor: Actor) -> ImportJob:
    """Keep the uploaded file and queue its import; return the job to watch."""
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}{file_extension(upload.name)}", upload)
    with transaction.atomic():
        job = ImportJob.objects.create(
            school_id=school_id,
            kind=kind,
            created_by_id=actor.user_id,
            created_role=actor.role or "",
            file_name=Path(upload.name).name[:255],
            stored_file=stored,
        )
        audit_record(actor=actor, action="plan_import_queued", obj=job, changes={"kind": [None, kind]})
        task_run(RUN_TASK, job.pk)
    return job


def plan_import_run(job_id: int) -> None:
    """Check every row; save everything in one transaction, or nothing and the errors."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.PENDING or job.kind not in IMPORTERS:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        if default_storage.size(job.stored_file) > settings.IMPORT_MAX_BYTES:
            raise ImportFileError(too_big_message())
        importer = _checked(job, default_storage.open(job.stored_file).read())
        if job.report.get("errors"):
            _finish(job, ImportJob.Status.FAILED)
        else:
            actor = Actor(user_id=job.created_by_id, role=job.created_role, school_id=job.school_id)
            counts = {entity: dict(c) for entity, c in importer.counts.items()}
            with transaction.atomic():
                importer.save()
                job.report = {"counts": counts}
                _finish(job, ImportJob.Status.DONE)
                audit_record(
                    actor=actor, action="plan_imported", obj=job, changes={"counts": counts}, reason=job.file_name
                )
    except ImportFileError as exc:
        job.report = {"file_error": str(exc)}
        _finish(job, ImportJob.Status.FAILED)
    except Exception:  # nobody waits on a background job: record the failure for the job page
        logger.exception("Planning import %s failed", job.pk)
        job.report = {"file_error": _("Внутренняя ошибка при загрузке. Ничего не сохранено; сообщите в поддержку.")}
        _finish(job, ImportJob.Status.FAILED)
    finally:
        default_storage.delete(job.stored_file)
        ImportJob.objects.filter(pk=job.pk).update(stored_file="")


def _checked(job: ImportJob, data: bytes) -> Importer:
    table = read_table(data, job.file_name)
    if not table.rows:
        raise ImportFileError(_("В файле нет ни одной строки с данными под заголовком."))
    importer = IMPORTERS[job.kind](SchoolContext(job.school_id))
    positions = match_headers(importer.columns, table.headers)
    importer.check_headers(positions)
    errors: list[dict] = []
    for number, cells in table.rows:
        importer.check(Row(number, cells, positions, table.headers, errors))
    job.total_rows = job.processed_rows = len(table.rows)
    job.report = {"errors": errors[:MAX_REPORTED_ERRORS], "error_count": len(errors)} if errors else {}
    return importer
