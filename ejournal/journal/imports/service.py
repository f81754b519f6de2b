"""Queue a thematic plan file as a background job: every row checked, all saved or nothing and the bad cells."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile

from ejournal.access.policy import Actor
from ejournal.core.imports.services import import_job_run, import_job_start
from ejournal.core.models import ImportJob
from ejournal.curriculum.models import TeachingAssignment

from ..services.plans import require_planner
from .importers import ThematicPlanImporter
from .kinds import JOURNAL_KINDS


def thematic_plan_file_start(
    *, assignment: TeachingAssignment, upload: UploadedFile, replace: bool = True, actor: Actor
) -> ImportJob:
    """Keep the plan file of `assignment` and queue its import; return the job to watch.

    The planner is checked first (the keeper of the journal or the deputy head planning the school);
    the file itself is read only by the job (`plan_import_run`).
    """
    require_planner(actor, assignment)
    return import_job_start(
        kinds=JOURNAL_KINDS, school_id=assignment.school_id, kind=ThematicPlanImporter.kind, upload=upload,
        actor=actor, target_id=assignment.pk, options={"replace": replace},
    )  # fmt: skip


def plan_import_run(job_id: int) -> None:
    """The background task: check every row, save all or nothing (see `import_job_run`)."""
    import_job_run(job_id, kinds=JOURNAL_KINDS)
