"""Timetable uploads through the core import framework: every row checked, then all classes saved or nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from ejournal.access.policy import Actor
from ejournal.core.imports.services import import_job_run, import_job_start
from ejournal.core.models import ImportJob

from .importer import TimetableImporter
from .kinds import TIMETABLE_KINDS


def timetable_import_start(*, school_id: int, upload: UploadedFile, actor: Actor) -> ImportJob:
    """Keep the file and queue its import; return the job to watch."""
    kind = TimetableImporter.kind
    return import_job_start(kinds=TIMETABLE_KINDS, school_id=school_id, kind=kind, upload=upload, actor=actor)


def timetable_import_run(job_id: int) -> None:
    """The background task: check every row, replace the classes' timetables or change nothing."""
    import_job_run(job_id, kinds=TIMETABLE_KINDS)
