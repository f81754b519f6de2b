"""Imports cut off by a restart are failed after IMPORT_JOB_STALE_MINUTES, with a message to upload again."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ejournal.access.roles import Role
from ejournal.core.imports.services import import_jobs_expire
from ejournal.core.models import ImportJob
from ejournal.core.tasks import expire_import_jobs


def _job(world, status, minutes_ago, **extra):
    job = ImportJob.objects.create(
        school_id=world.school.pk, kind="students", created_by=world.coordinator, file_name="s.csv", status=status,
        **extra,
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return job


def test_only_jobs_left_unfinished_too_long_are_failed(world, settings):
    settings.IMPORT_JOB_STALE_MINUTES = 30
    stale_running = _job(world, ImportJob.Status.RUNNING, 31)
    stale_pending = _job(world, ImportJob.Status.PENDING, 90)
    fresh = _job(world, ImportJob.Status.RUNNING, 5)
    done = _job(world, ImportJob.Status.DONE, 120)
    assert import_jobs_expire() == 2
    for job in (stale_running, stale_pending):
        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED and job.finished_at
        assert "загрузите файл ещё раз" in job.report["file_error"]
    for job, status in ((fresh, ImportJob.Status.RUNNING), (done, ImportJob.Status.DONE)):
        job.refresh_from_db()
        assert job.status == status
    assert import_jobs_expire() == 0


def test_the_kept_upload_of_a_stale_job_is_deleted(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored = default_storage.save("imports/x.csv", ContentFile(b"a;b\n"))
    job = _job(world, ImportJob.Status.PENDING, 60, stored_file=stored)
    import_jobs_expire()
    job.refresh_from_db()
    assert job.stored_file == "" and not default_storage.exists(stored)


def test_the_command_and_the_beat_task_run_the_same_sweep(world):
    _job(world, ImportJob.Status.RUNNING, 60)
    out = io.StringIO()
    call_command("import_jobs_expire", stdout=out)
    assert "1" in out.getvalue()
    assert not ImportJob.objects.filter(status=ImportJob.Status.RUNNING).exists()
    _job(world, ImportJob.Status.RUNNING, 60)
    assert expire_import_jobs() == 1


def test_the_beat_schedule_runs_the_sweep(settings):
    assert settings.CELERY_BEAT_SCHEDULE["core-expire-import-jobs"]["task"] == expire_import_jobs.name


def test_the_job_page_shows_a_dead_job_as_failed_without_any_periodic_run(world, login_as):
    job = _job(world, ImportJob.Status.RUNNING, 60, total_rows=10, processed_rows=3)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    page = client.get(reverse("people:import_job", kwargs={"pk": job.pk})).content.decode()
    assert "загрузите файл ещё раз" in page and "every 1s" not in page
