"""Celery tasks of core: the periodic run that fails imports cut off by a restart.

Celery finds an app's `tasks` module. Queuing a job is `ejournal.core.runner.task_run`,
which the services import; this module imports the services, never the other way.
"""

from __future__ import annotations

from celery import shared_task

from ejournal.core.imports.services import import_jobs_expire


@shared_task(name="core.expire_import_jobs", ignore_result=True)
def expire_import_jobs() -> int:
    """Celery beat's periodic run of `import_jobs_expire` (cron: `manage.py import_jobs_expire`)."""
    return import_jobs_expire()
