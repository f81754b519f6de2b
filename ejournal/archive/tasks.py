"""Background jobs of the archive: one build (run by `core.runner.task_run`) and the year-end run (Celery beat)."""

from __future__ import annotations

from celery import shared_task


def archive_job_run(job_id: int) -> None:
    """One archive build (see `services.archive_job_run`)."""
    from .services import archive_job_run as run

    run(job_id)


@shared_task(name="archive.year_end", ignore_result=True)
def year_end() -> int:
    """Queue the year archive of each school whose academic year has ended (once per school and year)."""
    from django.utils import timezone

    from .services import archive_year_end

    return archive_year_end(today=timezone.localdate())


@shared_task(name="archive.retention", ignore_result=True)
def retention() -> dict:
    """Delete what has outlived its retention (print journals after 5 years, the rest after 25)."""
    from django.utils import timezone

    from .services import archive_retention_apply

    return archive_retention_apply(today=timezone.localdate())
