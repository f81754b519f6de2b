"""Access expectations for the journal archive (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role

ARCHIVE = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}

AUTHZ = {
    "archive:index": {"allowed": ARCHIVE},
    "archive:build": {"allowed": set(), "post_only": True},
    "archive:job": {
        "allowed": ARCHIVE,
        "kwargs": lambda w: _job(w, w.school),
        "foreign_kwargs": lambda w: _job(w, w.other_school),
    },
    "archive:progress": {
        "allowed": ARCHIVE,
        "kwargs": lambda w: _job(w, w.school),
        "foreign_kwargs": lambda w: _job(w, w.other_school),
    },
    "archive:download": {
        "allowed": ARCHIVE,
        "kwargs": lambda w: _job(w, w.school),
        "foreign_kwargs": lambda w: _job(w, w.other_school),
    },
}


def _job(w, school) -> dict:
    """A finished archive of `school` with its zip on disk (the other school's is foreign)."""
    from pathlib import Path

    from django.conf import settings

    from ejournal.archive.models import ArchiveJob

    relative = f"{school.code}/authz-{school.pk}.zip"
    path = Path(settings.ARCHIVE_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    job = ArchiveJob.objects.create(school=school, year=w.year, created_by=w.coordinator, status=ArchiveJob.Status.DONE,
                                    path=relative, size=22, sha256="0" * 64, files=[])  # fmt: skip
    return {"pk": job.pk}
