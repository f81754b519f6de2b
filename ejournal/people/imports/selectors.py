"""Reads of roster import jobs, scoped to the acting school administration."""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.imports.selectors import import_jobs_of_school
from ejournal.core.models import ImportJob

from .kinds import ROSTER_KINDS


def import_jobs_visible(*, actor: Actor) -> QuerySet[ImportJob]:
    """Roster jobs of the actor's own school, for its administration; nothing for anybody else."""
    if not policy.check(actor, "can_import_roster"):
        return ImportJob.objects.none()
    return import_jobs_of_school(kinds=ROSTER_KINDS, school_id=actor.school_id)
