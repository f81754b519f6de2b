"""Access expectations for curriculum, assignment and planning import URLs."""

import datetime as dt
from decimal import Decimal

from ejournal.access.roles import Role
from ejournal.core.models import ImportJob
from ejournal.curriculum.models import Subject, TeachingAssignment

PLANNERS = {Role.DIRECTOR, Role.DEPUTY_HEAD}
READERS = PLANNERS | {Role.JOURNAL_COORDINATOR}
TEACHERS = {Role.TEACHER, Role.CLASS_TEACHER}


def _subject(school):
    return {"pk": Subject.objects.get_or_create(school=school, name="Шахматы", defaults={"short_name": "Шахм."})[0].pk}


def _assignment(world, cls, teacher):
    a = TeachingAssignment.objects.create(
        school=cls.school,
        year=world.year,
        teacher=teacher,
        school_class=cls,
        subject=Subject.objects.get(name="Математика", school=None),
        hours_per_week=Decimal("5"),
        starts_on=dt.date(2026, 9, 1),
    )
    return {"pk": a.pk}


def _job(school, user):
    job = ImportJob.objects.create(
        school_id=school.pk, kind="curriculum", created_by=user, file_name="plan.xlsx", status=ImportJob.Status.DONE
    )
    return {"pk": job.pk}


AUTHZ = {
    "curriculum:grid": {"allowed": READERS},
    "curriculum:grade_edit": {"allowed": PLANNERS, "kwargs": lambda w: {"grade": 5}},
    "curriculum:study_week": {"allowed": PLANNERS},
    "curriculum:subjects": {"allowed": READERS},
    "curriculum:subject_create": {"allowed": PLANNERS},
    "curriculum:subject_edit": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _subject(w.school),
        "foreign_kwargs": lambda w: _subject(w.other_school),
    },
    "curriculum:subject_toggle": {
        "allowed": PLANNERS,
        "post_only": True,
        "kwargs": lambda w: _subject(w.school),
    },
    "curriculum:assignments": {"allowed": READERS},
    "curriculum:assignment_create": {"allowed": PLANNERS},
    "curriculum:assignment_reassign": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _assignment(w, w.cls, w.teacher),
        "foreign_kwargs": lambda w: _assignment(w, w.foreign_cls, w.foreign_teacher),
    },
    "curriculum:assignment_end": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _assignment(w, w.cls, w.teacher),
        "foreign_kwargs": lambda w: _assignment(w, w.foreign_cls, w.foreign_teacher),
    },
    "curriculum:my_assignments": {"allowed": TEACHERS},
    "curriculum:import_list": {"allowed": PLANNERS},
    "curriculum:import_template": {"allowed": PLANNERS, "kwargs": lambda w: {"kind": "assignments", "fmt": "xlsx"}},
    "curriculum:import_job": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _job(w.school, w.deputy_head),
        "foreign_kwargs": lambda w: _job(w.other_school, w.foreign_director),
    },
    "curriculum:import_job_progress": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _job(w.school, w.deputy_head),
        "foreign_kwargs": lambda w: _job(w.other_school, w.foreign_director),
    },
}
