"""Reads of plan upload jobs."""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.core.models import ImportJob
from ejournal.curriculum.models import TeachingAssignment

from .importers import ThematicPlanImporter


def plan_import_jobs(*, assignment: TeachingAssignment) -> QuerySet[ImportJob]:
    """The plan uploads of an assignment the caller has fetched in the actor's scope (`assignment_get`)."""
    jobs = ImportJob.objects.filter(kind=ThematicPlanImporter.kind, target_id=assignment.pk)
    return jobs.select_related("created_by")
