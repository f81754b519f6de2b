"""Reads of import jobs, scoped to the acting school administration."""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.models import ImportJob

from .base import ENTITY_LABELS
from .kinds import IMPORTERS

RECENT_JOBS = 20


def import_jobs_visible(*, actor: Actor) -> QuerySet[ImportJob]:
    """Jobs of the actor's own school, for its administration; nothing for anybody else."""
    if not policy.check(actor, "can_import_roster"):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(school_id=actor.school_id, kind__in=list(IMPORTERS)).select_related("created_by")


def import_jobs_recent(*, actor: Actor) -> list[ImportJob]:
    return list(import_jobs_visible(actor=actor).order_by("-created_at", "-id")[:RECENT_JOBS])


def import_job_summary(job: ImportJob) -> dict:
    """What the job page shows: progress, counts per entity, errors."""
    report = job.report or {}
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    percent = 100 if finished else (job.processed_rows * 100 // job.total_rows if job.total_rows else 0)
    counts = report.get("counts", {})
    return {
        "job": job,
        "kind_label": IMPORTERS[job.kind].title if job.kind in IMPORTERS else job.kind,
        "finished": finished,
        "ok": job.status == ImportJob.Status.DONE,
        "percent": percent,
        "saving": not finished and job.total_rows and job.processed_rows >= job.total_rows,
        "counts": [{"label": label, **counts[entity]} for entity, label in ENTITY_LABELS.items() if entity in counts],
        "errors": report.get("errors", []),
        "error_count": report.get("error_count", 0),
        "more_errors": report.get("error_count", 0) > len(report.get("errors", [])),
        "file_error": report.get("file_error", ""),
    }
