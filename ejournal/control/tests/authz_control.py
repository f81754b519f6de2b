"""Access expectations for the filling control (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role

CONTROL = {Role.DIRECTOR, Role.DEPUTY_HEAD}

AUTHZ = {
    "control:dashboard": {"allowed": CONTROL},
    "control:findings": {"allowed": CONTROL},
    "control:note": {"allowed": CONTROL},
    # The PDF answers 503 where WeasyPrint's system libraries are missing; the walk checks the refusals.
    "control:note_pdf": {"allowed": CONTROL},
    "control:remind": {"allowed": set(), "post_only": True},
    "control:verify": {"allowed": set(), "post_only": True},
    "control:note_job_start": {"allowed": set(), "post_only": True},
    "control:note_job": {
        "allowed": CONTROL,
        "kwargs": lambda w: _job(w, w.school),
        "foreign_kwargs": lambda w: _job(w, w.other_school),
    },
    "control:note_job_progress": {
        "allowed": CONTROL,
        "kwargs": lambda w: _job(w, w.school),
        "foreign_kwargs": lambda w: _job(w, w.other_school),
    },
    "control:note_job_pdf": {
        "allowed": CONTROL,
        "kwargs": lambda w: _job(w, w.school),
        "foreign_kwargs": lambda w: _job(w, w.other_school),
    },
}


def _job(w, school) -> dict:
    """A finished background справка of `school` (the other school's is foreign)."""
    import datetime as dt

    from ejournal.control.models import NoteJob

    job = NoteJob.objects.create(school=school, created_by=w.deputy_head, first=dt.date(2026, 9, 1),
                                 last=dt.date(2026, 9, 30), status=NoteJob.Status.DONE, pdf=b"%PDF-1.7")  # fmt: skip
    return {"pk": job.pk}
