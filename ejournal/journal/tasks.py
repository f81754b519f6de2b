"""Celery tasks of the journal (beat schedules them; cron: `manage.py journal_verify --anchor`)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="journal.verify_chains", ignore_result=True)
def verify_chains() -> int:
    """Verify every school's chain and store today's anchors; return the number of schools with a breach."""
    from .verify import anchors_take, schools_verify

    breaches = sum(1 for r in schools_verify() if not r.ok)
    anchors_take()
    return breaches


def school_verify_now(school_id: int) -> None:
    """The deputy head's «Проверить сейчас» (run by `core.runner.task_run`)."""
    from .verify import schools_verify

    schools_verify([school_id])
