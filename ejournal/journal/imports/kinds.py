"""The journal's table of import kinds: the thematic plan of one assignment, and the name of what it counts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy

from ejournal.core.imports.kinds import ImportKinds
from ejournal.core.imports.readers import ImportFileError
from ejournal.core.models import ImportJob
from ejournal.curriculum.models import TeachingAssignment

from .importers import PlanContext, ThematicPlanImporter


def plan_context(job: ImportJob) -> PlanContext:
    """The assignment the job loads into (its `target_id`) and whether the file replaces its topics."""
    if job.target_id is None:
        raise TeachingAssignment.DoesNotExist("a plan's import names its assignment")
    assignment = TeachingAssignment.objects.select_related("school").get(pk=job.target_id)
    return PlanContext(assignment=assignment, replace=bool(job.options.get("replace", True)))


JOURNAL_KINDS = ImportKinds(
    name="journal",
    importers={ThematicPlanImporter.kind: ThematicPlanImporter},
    entity_labels={"topics": gettext_lazy("Темы планирования")},
    context=None,
    job_context=plan_context,
    run_task="ejournal.journal.imports.service.plan_import_run",
    # The planner is checked again when the job saves: a teacher who lost the assignment meanwhile is refused.
    refusals=(ImportFileError, ValidationError, PermissionDenied),
    changes_access=False,
)
