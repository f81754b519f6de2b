"""Where a built archive's zip lies: under settings.ARCHIVE_ROOT, at the job's relative path."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .models import ArchiveJob


def archive_file(job: ArchiveJob) -> Path | None:
    """The job's zip, or None when it is not there (never a path outside ARCHIVE_ROOT)."""
    if not job.path:
        return None
    root = Path(settings.ARCHIVE_ROOT).resolve()
    path = (root / job.path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path
