"""Reads of import jobs: one school's jobs of an app's kinds, and what a job's page shows."""

from __future__ import annotations

from django.db.models import QuerySet

from ejournal.core.models import ImportJob

from .kinds import ImportKinds

RECENT_JOBS = 20


def import_jobs_of_school(*, kinds: ImportKinds, school_id: int | None) -> QuerySet[ImportJob]:
    """Jobs of these kinds at one school; the caller has checked who may see them."""
    return ImportJob.objects.filter(school_id=school_id, kind__in=list(kinds.importers)).select_related("created_by")


def import_jobs_recent(jobs: QuerySet[ImportJob]) -> list[ImportJob]:
    return list(jobs.order_by("-created_at", "-id")[:RECENT_JOBS])


def import_job_summary(job: ImportJob, *, kinds: ImportKinds) -> dict:
    """What the job page shows: progress, counts per entity, errors."""
    report = job.report or {}
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    percent = 100 if finished else (job.processed_rows * 100 // job.total_rows if job.total_rows else 0)
    counts = report.get("counts", {})
    zero = {"created": 0, "updated": 0, "unchanged": 0}
    return {
        "job": job,
        "kind_label": kinds.title(job.kind),
        "finished": finished,
        "ok": job.status == ImportJob.Status.DONE,
        "percent": percent,
        "saving": not finished and job.total_rows and job.processed_rows >= job.total_rows,
        "counts": [
            {"label": label, **zero, **counts[entity]}
            for entity, label in kinds.entity_labels.items()
            if entity in counts
        ],
        "repeated_rows": report.get("repeated_rows", 0),
        "errors": report.get("errors", []),
        "error_count": report.get("error_count", 0),
        "more_errors": report.get("error_count", 0) > len(report.get("errors", [])),
        "file_error": report.get("file_error", ""),
    }
