"""Start and run archive builds: on demand (the coordinator, for a closed term or an ended year) and at year end."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.core.runner import task_run
from ejournal.diary.pdf import PdfUnavailable
from ejournal.schools.models import AcademicYear, School, Term

from .build import Period, archive_build, archive_zip, archive_zip_without_journals, retention_until
from .models import ArchiveJob
from .storage import archive_file

logger = logging.getLogger(__name__)
ACTIVE = (ArchiveJob.Status.PENDING, ArchiveJob.Status.RUNNING)


def archive_job_start(
    *, school: School, year: AcademicYear, term: Term | None, actor: Actor | None, queue: bool = True
) -> ArchiveJob:
    """Queue a build of the period's archive; the same period asked again while queued or building is reused.

    `queue=False`: only create the job (the year-end run builds its jobs one after another itself).
    """
    with transaction.atomic():
        School.objects.select_for_update().filter(pk=school.pk).first()  # one start per school at a time
        job = ArchiveJob.objects.filter(school=school, year=year, term=term, status__in=ACTIVE).first()
        if job is None:
            job = ArchiveJob.objects.create(school=school, year=year, term=term,
                                            created_by_id=actor.user_id if actor else None)  # fmt: skip
            if actor is not None:
                audit_record(actor=actor, action="archive_build", obj=job, school_id=school.pk,
                             changes={"period": [None, str(term or year.name)]})  # fmt: skip
            if queue:
                task_run("ejournal.archive.tasks.archive_job_run", job.pk)
    return job


def archive_job_run(job_id: int) -> None:
    """Build the job's archive into a temporary directory, zip it under ARCHIVE_ROOT, keep the file list."""
    job = ArchiveJob.objects.select_related("school", "year", "term").get(pk=job_id)
    # Claimed by one conditional update: a task delivered twice (a Celery retry, a second worker) builds once.
    claimed = ArchiveJob.objects.filter(pk=job.pk, status=ArchiveJob.Status.PENDING).update(
        status=ArchiveJob.Status.RUNNING
    )
    if not claimed:
        return
    period = Period(school=job.school, year=job.year, term=job.term)
    root = Path(settings.ARCHIVE_ROOT)
    relative = f"{job.school.code}/{job.school.code}-{period.key}-{job.pk}.zip"
    (root / "tmp").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"archive-{job.pk}-", dir=root / "tmp"))
    try:
        built = archive_build(period, work / "archive", progress=lambda done, total: ArchiveJob.objects.filter(
            pk=job.pk).update(done=done, total=total))  # fmt: skip
        digest, size = archive_zip(work / "archive", root / relative)
    except PdfUnavailable:
        _failed(job, _("PDF сейчас недоступен на сервере: архив не собран. Сообщите администратору."))
        return
    except Exception:
        _failed(job, _("Не удалось собрать архив. Попробуйте ещё раз или сообщите администратору."))
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    files = [{**f, "until": retention_until(period, f["kind"]).isoformat()} for f in built.files]
    ArchiveJob.objects.filter(pk=job.pk).update(
        status=ArchiveJob.Status.DONE, path=relative, size=size, sha256=digest, files=files,
        finished_at=timezone.now(),
    )  # fmt: skip


def _failed(job: ArchiveJob, message: str) -> None:
    ArchiveJob.objects.filter(pk=job.pk).update(
        status=ArchiveJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


def archive_year_end(*, today: dt.date) -> int:
    """Build the year archive of every school whose academic year ended and that has none yet; return how many.

    The jobs are created first (a second run meanwhile finds them and skips those schools), then built one
    after another in this process: a city's year end is a night's work for one worker, not 120 threads.
    """
    jobs = []
    years = AcademicYear.objects.filter(ends_on__lt=today, ends_on__gte=today - dt.timedelta(days=366))
    for year in years.order_by("pk"):
        had = ArchiveJob.objects.filter(year=year, term__isnull=True).exclude(status=ArchiveJob.Status.FAILED)
        schools = School.objects.filter(classes__year=year).exclude(pk__in=had.values("school_id")).distinct()
        jobs += [
            archive_job_start(school=s, year=year, term=None, actor=None, queue=False) for s in schools.order_by("pk")
        ]
    for job in jobs:
        try:
            archive_job_run(job.pk)
        except Exception:  # kept as failed on its job; the other schools still get theirs
            logger.exception("Year-end archive of school %s failed", job.school_id)
    return len(jobs)


def archive_retention_due(*, today: dt.date) -> list[tuple[ArchiveJob, str]]:
    """The archives whose retention has ended by `today`: ("all", job) past the summary sheets' period (and the
    machine copy's), ("journals", job) past the print journals' period while the rest is kept. Never one still
    within its period: a period runs to its last day inclusive."""
    due = []
    for job in ArchiveJob.objects.filter(status=ArchiveJob.Status.DONE).select_related("year", "term").order_by("pk"):
        if job.summary_until < today:
            due.append((job, "all"))
        elif job.journal_until < today and job.journals_deleted_on is None:
            due.append((job, "journals"))
    return due


def archive_retention_apply(*, today: dt.date) -> dict[str, int]:
    """Delete what has outlived its retention (`archive_retention_due`); the rows stay, marked, and audited.

    Each job under its row lock (a second run meanwhile skips it); the new zip replaces the old one only after
    its row is updated, so a failure leaves the old, complete zip in place.
    """
    done = {"all": 0, "journals": 0}
    for job, what in archive_retention_due(today=today):
        with transaction.atomic():
            locked = ArchiveJob.objects.select_for_update(skip_locked=True).filter(
                pk=job.pk, status=ArchiveJob.Status.DONE
            )
            if not locked.exists():
                continue
            finish = _retention_delete(job, today) if what == "all" else _retention_journals(job, today)
        if finish is not None:  # the files change only once the row says so
            finish()
            done[what] += 1
    return done


def _retention_delete(job: ArchiveJob, today: dt.date) -> Callable[[], None]:
    path = archive_file(job)
    files = [{**f, "removed_on": f.get("removed_on") or today.isoformat()} for f in job.files]
    ArchiveJob.objects.filter(pk=job.pk).update(status=ArchiveJob.Status.DELETED, deleted_on=today, path="",
                                                files=files)  # fmt: skip
    audit_record(actor=None, action="archive_retention_delete", obj=job, school_id=job.school_id,
                 changes={"path": [job.path, ""], "deleted_on": [None, today.isoformat()]},
                 reason=_("Срок хранения истёк %(date)s.") % {"date": job.summary_until.strftime("%d.%m.%Y")})  # fmt: skip
    return lambda: path.unlink(missing_ok=True) if path is not None else None


def _retention_journals(job: ArchiveJob, today: dt.date) -> Callable[[], None] | None:
    source = archive_file(job)
    if source is None:
        logger.error("Archive %s: its zip %s is missing; its journals cannot be removed", job.pk, job.path)
        return None
    target = source.with_name(source.name + ".retention")
    try:
        digest, size, removed = archive_zip_without_journals(source, target, today)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    gone = set(removed)
    files = [{**f, "removed_on": today.isoformat()} if f["path"] in gone else f for f in job.files]
    ArchiveJob.objects.filter(pk=job.pk).update(journals_deleted_on=today, sha256=digest, size=size, files=files)
    audit_record(actor=None, action="archive_retention_journals", obj=job, school_id=job.school_id,
                 changes={"sha256": [job.sha256, digest], "journals_deleted_on": [None, today.isoformat()]},
                 reason=_("Срок хранения журналов истёк %(date)s; удалено журналов: %(n)s.")
                 % {"date": job.journal_until.strftime("%d.%m.%Y"), "n": len(removed)})  # fmt: skip
    return lambda: os.replace(target, source)
