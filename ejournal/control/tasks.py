"""Background jobs of the control (run by `core.runner.task_run`)."""

from __future__ import annotations


def note_job_run(job_id: int) -> None:
    """The справка's second part for a whole school (see `services.note_job_run`)."""
    from .services import note_job_run as run

    run(job_id)
