"""Roster uploads through the core import framework, with the roster's table of kinds."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from ejournal.access.policy import Actor
from ejournal.core.imports.services import import_job_run, import_job_start
from ejournal.core.models import ImportJob

from .kinds import ROSTER_KINDS


def roster_import_start(*, school_id: int, kind: str, upload: UploadedFile, actor: Actor) -> ImportJob:
    """Keep the uploaded file and queue its import; return the job to watch."""
    return import_job_start(kinds=ROSTER_KINDS, school_id=school_id, kind=kind, upload=upload, actor=actor)


def roster_import_run(job_id: int) -> None:
    """The background task: check every row, save all or nothing (see `import_job_run`)."""
    import_job_run(job_id, kinds=ROSTER_KINDS)
