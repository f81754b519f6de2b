"""Run an upload: store the file, then (in the background) check every row and save all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access.generation import access_changed
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.core.models import ImportJob
from ejournal.core.runner import task_run

from .base import Importer, Row
from .kinds import ImportKinds
from .readers import ImportFileError, file_extension, read_table, too_big_message

logger = logging.getLogger(__name__)

# Only so many errors are kept in the report; the count says how many there were.
MAX_REPORTED_ERRORS = 500
PROGRESS_STEPS = 50


def import_job_start(
    *,
    kinds: ImportKinds,
    school_id: int | None,
    kind: str,
    upload: UploadedFile,
    actor: Actor,
    target_id: int | None = None,
    options: dict | None = None,
) -> ImportJob:
    """Keep the uploaded file under MEDIA_ROOT/imports/ and queue its import; return the job to watch.

    Nothing of the file is read here: every parse runs in the background job. `target_id` and
    `options` are for kinds that load into one object (see `ImportKinds.job_context`).
    """
    name = upload.name or ""
    stored = default_storage.save(f"imports/{uuid.uuid4().hex}{file_extension(name)}", upload)
    with transaction.atomic():
        job = ImportJob.objects.create(
            school_id=school_id,
            kind=kind,
            created_by_id=actor.user_id_required,
            created_role=actor.role or "",
            created_scope=actor_scope(actor),
            target_id=target_id,
            options=options or {},
            file_name=Path(name).name[:255],
            stored_file=stored,
        )
        audit_record(actor=actor, action=f"{kinds.name}_import_queued", obj=job, changes={"kind": [None, kind]})
        task_run(kinds.run_task, job.pk)
    return job


def import_job_run(job_id: int, *, kinds: ImportKinds) -> None:
    """Check every row of the job's file; save everything in one transaction, or nothing and the errors."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportJob.Status.PENDING or job.kind not in kinds.importers:
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        if default_storage.size(job.stored_file) > settings.IMPORT_MAX_BYTES:
            raise ImportFileError(too_big_message())
        importer = _check_rows(job, kinds, default_storage.open(job.stored_file).read())
        if job.report.get("errors"):
            _finish(job, ImportJob.Status.FAILED)
        else:
            _save(job, kinds, importer)
    except kinds.refusals as exc:
        job.report = {"file_error": " ".join(getattr(exc, "messages", [str(exc)]))}
        _finish(job, ImportJob.Status.FAILED)
    except Exception:  # nobody waits on a background job: record the failure for the job page
        logger.exception("Import %s (%s) failed", job.pk, job.kind)
        job.report = {"file_error": _("Внутренняя ошибка при загрузке. Ничего не сохранено; сообщите в поддержку.")}
        _finish(job, ImportJob.Status.FAILED)
    finally:
        default_storage.delete(job.stored_file)
        ImportJob.objects.filter(pk=job.pk).update(stored_file="")


def _check_rows(job: ImportJob, kinds: ImportKinds, data: bytes) -> Importer:
    table = read_table(data, job.file_name)
    if not table.rows:
        raise ImportFileError(_("В файле нет ни одной строки с данными под заголовком."))
    importer = kinds.importers[job.kind](kinds.context_of(job))
    positions = importer.match_headers(table.headers)
    importer.check_headers(positions)
    job.total_rows = len(table.rows)
    step = max(1, job.total_rows // PROGRESS_STEPS)
    errors: list[dict] = []
    for done, (number, cells) in enumerate(table.rows, start=1):
        importer.check(Row(number, cells, positions, table.headers, errors))
        if done % step == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=job.total_rows)
    job.processed_rows = job.total_rows
    job.report = {"errors": errors[:MAX_REPORTED_ERRORS], "error_count": len(errors)} if errors else {}
    return importer


def actor_scope(actor: Actor) -> dict:
    """The Actor's ids as JSON, for a background run to act in the role and reach of the upload."""
    scope = {f.name: getattr(actor, f.name) for f in dataclasses.fields(Actor)}  # the request's actor is lazy
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in scope.items()}


def job_actor(job: ImportJob) -> Actor:
    """The Actor of the upload; a job queued before scopes were kept acts with its user, role and school."""
    if not job.created_scope:
        return Actor(user_id=job.created_by_id, role=job.created_role, school_id=job.school_id)
    sets = {f.name for f in dataclasses.fields(Actor) if f.default_factory is frozenset}
    scope: dict[str, Any] = {k: frozenset(v) if k in sets else v for k, v in job.created_scope.items()}
    return Actor(**scope)


def _save(job: ImportJob, kinds: ImportKinds, importer: Importer) -> None:
    actor = job_actor(job)
    with transaction.atomic():
        importer.save(actor=actor)
        counts = importer.report_counts()
        job.report = {"counts": counts, "repeated_rows": importer.repeated_rows}
        _finish(job, ImportJob.Status.DONE)
        audit_record(
            actor=actor, action=f"{kinds.name}_imported", obj=job, changes={"counts": counts}, reason=job.file_name
        )
        # Rosters, staff, classes, assignments: whose access changed is not worth working out row by row.
        if kinds.changes_access:
            access_changed()


def _finish(job: ImportJob, status: str) -> None:
    job.status = status
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "report", "total_rows", "processed_rows"])


def stale_message() -> str:
    return _("Загрузка прервана: сервер перезапускался. Ничего не сохранено — загрузите файл ещё раз.")


def import_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Fail the jobs still queued or running IMPORT_JOB_STALE_MINUTES after the upload; return how many.

    A restart of the server (or of the worker) cuts a background run off and
    nothing would ever finish its job: the page would show it "running"
    forever. Such a job saved nothing (the save is one transaction), so the
    user is told to upload the file again. Run periodically (Celery beat,
    `manage.py import_jobs_expire` from cron) and before the import pages
    are shown, so that the pages are right even without either.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.IMPORT_JOB_STALE_MINUTES)
    unfinished = [ImportJob.Status.PENDING, ImportJob.Status.RUNNING]
    stale = dict(
        ImportJob.objects.filter(status__in=unfinished, created_at__lt=cutoff).values_list("pk", "stored_file")
    )
    if not stale:
        return 0
    count = ImportJob.objects.filter(pk__in=stale, status__in=unfinished).update(
        status=ImportJob.Status.FAILED, finished_at=now, report={"file_error": stale_message()}, stored_file=""
    )
    for name in filter(None, stale.values()):
        default_storage.delete(name)
    return count
