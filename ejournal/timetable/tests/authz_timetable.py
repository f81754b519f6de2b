"""Access expectations for timetable URLs (see ejournal/tests/test_authorization.py)."""

import datetime as dt

from ejournal.access.roles import Role
from ejournal.core.models import ImportJob

from ..models import BellSchedule, Lesson, Room
from .helpers import assignment

ADMIN = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}
PLANNERS = {Role.DIRECTOR, Role.DEPUTY_HEAD}
STAFF = ADMIN | {Role.TEACHER, Role.CLASS_TEACHER}
TEACHERS = {Role.TEACHER, Role.CLASS_TEACHER}


def _room(school, name="101"):
    return Room.objects.get_or_create(school=school, name=name)[0]


def _lesson(world, cls, teacher):
    a = assignment(world, cls=cls, teacher=teacher)
    return Lesson.objects.create(
        school=cls.school, assignment=a, school_class=cls, subject=a.subject, teacher=teacher,
        date=dt.date(2026, 9, 7), lesson_number=1,
    )  # fmt: skip


def _job(school, user):
    job = ImportJob.objects.create(
        school_id=school.pk, kind="timetable", created_by=user, file_name="t.xlsx", status=ImportJob.Status.DONE
    )
    return {"pk": job.pk}


def _cell(cls):
    return {"class_id": cls.pk, "weekday": 1, "number": 1}


AUTHZ = {
    "timetable:home": {"allowed": STAFF},
    "timetable:today": {"allowed": TEACHERS},
    "timetable:class_week": {
        "allowed": ADMIN | {Role.CLASS_TEACHER},
        "kwargs": lambda w: {"class_id": w.cls.pk},
        "foreign_kwargs": lambda w: {"class_id": w.foreign_cls.pk},
    },
    "timetable:teacher_week": {
        "allowed": ADMIN | {Role.CLASS_TEACHER},
        "kwargs": lambda w: {"teacher_id": w.teacher.pk},
        "foreign_kwargs": lambda w: {"teacher_id": w.foreign_teacher.pk},
    },
    "timetable:room_week": {
        "allowed": ADMIN,
        "kwargs": lambda w: {"room_id": _room(w.school).pk},
        "foreign_kwargs": lambda w: {"room_id": _room(w.other_school).pk},
    },
    "timetable:editor": {
        "allowed": PLANNERS,
        "kwargs": lambda w: {"class_id": w.cls.pk},
        "foreign_kwargs": lambda w: {"class_id": w.foreign_cls.pk},
    },
    "timetable:cell": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _cell(w.cls),
        "foreign_kwargs": lambda w: _cell(w.foreign_cls),
    },
    "timetable:cell_clear": {"allowed": PLANNERS, "post_only": True, "kwargs": lambda w: _cell(w.cls)},
    "timetable:copy_day": {"allowed": PLANNERS, "post_only": True, "kwargs": lambda w: {"class_id": w.cls.pk}},
    "timetable:extra_lesson": {
        "allowed": PLANNERS,
        "kwargs": lambda w: {"class_id": w.cls.pk},
        "foreign_kwargs": lambda w: {"class_id": w.foreign_cls.pk},
    },
    "timetable:rooms": {"allowed": PLANNERS},
    "timetable:room_edit": {
        "allowed": PLANNERS,
        "kwargs": lambda w: {"pk": _room(w.school).pk},
        "foreign_kwargs": lambda w: {"pk": _room(w.other_school).pk},
    },
    "timetable:bells": {"allowed": PLANNERS},
    "timetable:bell_schedule_new": {"allowed": PLANNERS},
    "timetable:bell_schedule_edit": {
        "allowed": PLANNERS,
        "kwargs": lambda w: {"pk": BellSchedule.objects.create(school=w.school, name="1 смена").pk},
        "foreign_kwargs": lambda w: {"pk": BellSchedule.objects.create(school=w.other_school, name="1 смена").pk},
    },
    "timetable:lesson": {
        "allowed": PLANNERS,
        "kwargs": lambda w: {"pk": _lesson(w, w.cls, w.teacher).pk},
        "foreign_kwargs": lambda w: {"pk": _lesson(w, w.foreign_cls, w.foreign_teacher).pk},
    },
    **{
        f"timetable:lesson_{change}": {
            "allowed": PLANNERS,
            "post_only": True,
            "kwargs": lambda w: {"pk": _lesson(w, w.cls, w.teacher).pk},
        }
        for change in ("substitute", "cancel", "move")
    },
    "timetable:generate": {"allowed": PLANNERS},
    "timetable:import_list": {"allowed": PLANNERS},
    "timetable:import_template": {"allowed": PLANNERS, "kwargs": lambda w: {"fmt": "xlsx"}},
    "timetable:import_job": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _job(w.school, w.deputy_head),
        "foreign_kwargs": lambda w: _job(w.other_school, w.foreign_director),
    },
    "timetable:import_job_progress": {
        "allowed": PLANNERS,
        "kwargs": lambda w: _job(w.school, w.deputy_head),
        "foreign_kwargs": lambda w: _job(w.other_school, w.foreign_director),
    },
}
