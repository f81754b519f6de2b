"""Access expectations for journal URLs (see ejournal/tests/test_authorization.py).

Own objects: the maths journal of 5 «А» kept by the world's teacher (who, in
the class teacher role, is the `CLASS_TEACHER` persona; the `TEACHER` persona
is another teacher of the school). Foreign: the same in the other school.
"""

import datetime as dt
import secrets

from django.core.files.base import ContentFile

from ejournal.access.roles import Role
from ejournal.core.models import ImportJob
from ejournal.timetable.tests.helpers import MON, assignment, lesson

from ..models import CorrectionRequest, Homework, HomeworkAttachment, PlannedTopic, TermClosure, ThematicPlan

ADMIN = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}
APPROVERS = {Role.DIRECTOR, Role.DEPUTY_HEAD}
STAFF = ADMIN | {Role.TEACHER, Role.CLASS_TEACHER}
READERS = ADMIN | {Role.CLASS_TEACHER}  # the keeper and the school's administration
KEEPER = {Role.CLASS_TEACHER}


def _own(w):
    a = assignment(w, cls=w.cls, teacher=w.teacher)
    return a, lesson(w, a, MON)


def _foreign(w):
    a = assignment(w, cls=w.foreign_cls, teacher=w.foreign_teacher)
    return a, lesson(w, a, MON)


def _term(school, number=1):
    return school.terms.get(number=number)


def _grid(w, foreign=False):
    a, _l = (_foreign if foreign else _own)(w)
    return {"assignment_id": a.pk, "term_id": _term(a.school).pk}


def _lesson(w, foreign=False):
    return {"lesson_id": (_foreign if foreign else _own)(w)[1].pk}


def _history(w, foreign=False):
    _a, day = (_foreign if foreign else _own)(w)
    student = w.foreign_student if foreign else w.student
    return {"lesson_id": day.pk, "student_id": student.pk}


def _history_of_another_class(w):
    """A cell of the own lesson with a student of 5 «Б» (the same school, not the lesson's class)."""
    _a, day = _own(w)
    return {"lesson_id": day.pk, "student_id": w.sibling.pk}


def _plan(w, foreign=False):
    return {"assignment_id": (_foreign if foreign else _own)(w)[0].pk}


def _plan_job(w, foreign=False):
    a = (_foreign if foreign else _own)(w)[0]
    job = ImportJob.objects.create(
        school_id=a.school_id, kind="thematic_plan", target_id=a.pk, created_by=a.teacher, file_name="ктп.xlsx",
        status=ImportJob.Status.DONE,
    )  # fmt: skip
    return {"assignment_id": a.pk, "pk": job.pk}


def _attachment(w, foreign=False):
    a, day = (_foreign if foreign else _own)(w)
    user = w.foreign_teacher if foreign else w.teacher
    hw = Homework.objects.create(school=a.school, lesson=day, school_class_id=day.school_class_id, text="§1",
                                 due_date=MON + dt.timedelta(days=1), created_by=user)  # fmt: skip
    item = HomeworkAttachment(school=a.school, homework=hw, token=secrets.token_hex(8), original_name="задание.txt",
                              size=4, uploaded_by=user)  # fmt: skip
    item.file.save(item.token, ContentFile(b"test"), save=True)
    return {"pk": item.pk}


def _correction(w, foreign=False):
    _a, day = (_foreign if foreign else _own)(w)
    request = CorrectionRequest.objects.create(
        school=day.school, kind="mark", lesson=day, student=w.foreign_student if foreign else w.student,
        proposed={"mark": None, "value": 5, "symbol": "", "work_type": "answer"}, reason="болел",
        filed_by=w.foreign_teacher if foreign else w.teacher,
    )  # fmt: skip
    return {"pk": request.pk}


def _closure(w):
    return {"pk": TermClosure.objects.create(school=w.school, term=_term(w.school), closed_by=w.deputy_head).pk}


def _topic(w):
    a, _l = _own(w)
    plan = ThematicPlan.objects.create(school=w.school, assignment=a)
    topic = PlannedTopic.objects.create(school=w.school, plan=plan, position=1, title="Дроби")
    return {"assignment_id": a.pk, "topic_id": topic.pk}


AUTHZ = {
    "journal:my": {"allowed": STAFF},
    "journal:grid": {
        "allowed": READERS,
        "kwargs": _grid,
        "foreign_kwargs": lambda w: _grid(w, foreign=True),
    },
    "journal:cells": {"allowed": KEEPER, "post_only": True, "kwargs": _grid},
    "journal:period_mark": {"allowed": KEEPER, "post_only": True, "kwargs": _grid},
    "journal:period_confirm_all": {"allowed": KEEPER, "post_only": True, "kwargs": _grid},
    "journal:period_correction_new": {
        "allowed": KEEPER,
        "kwargs": _grid,
        "foreign_kwargs": lambda w: _grid(w, foreign=True),
    },
    "journal:year": {
        "allowed": READERS,
        "kwargs": lambda w: {"assignment_id": _own(w)[0].pk},
        "foreign_kwargs": lambda w: {"assignment_id": _foreign(w)[0].pk},
    },
    "journal:year_mark": {"allowed": KEEPER, "post_only": True, "kwargs": lambda w: {"assignment_id": _own(w)[0].pk}},
    "journal:year_confirm_all": {
        "allowed": KEEPER,
        "post_only": True,
        "kwargs": lambda w: {"assignment_id": _own(w)[0].pk},
    },
    "journal:year_correction_new": {
        "allowed": KEEPER,
        "kwargs": lambda w: {"assignment_id": _own(w)[0].pk},
        "foreign_kwargs": lambda w: {"assignment_id": _foreign(w)[0].pk},
    },
    "journal:correction_new": {
        "allowed": KEEPER,
        "kwargs": _grid,
        "foreign_kwargs": lambda w: _grid(w, foreign=True),
    },
    # A redirect (302) to the lesson's journal column for its readers; see test_views_grid.
    "journal:lesson": {"allowed": set(), "kwargs": _lesson, "foreign_kwargs": lambda w: _lesson(w, foreign=True)},
    "journal:cell_history": {
        "allowed": READERS,
        "kwargs": _history,
        "foreign_kwargs": lambda w: _history(w, foreign=True),
        # The answer names the student: a lesson the teacher does not teach, or a student outside its class, is 404.
        "not_found": [(STAFF - READERS, _history), (STAFF, _history_of_another_class)],
    },
    "journal:lesson_panel": {
        "allowed": READERS,
        "kwargs": _lesson,
        "foreign_kwargs": lambda w: _lesson(w, foreign=True),
    },
    "journal:lesson_topic": {"allowed": KEEPER, "post_only": True, "kwargs": _lesson},
    "journal:lesson_homework": {"allowed": KEEPER, "post_only": True, "kwargs": _lesson},
    "journal:lesson_work_type": {"allowed": KEEPER, "post_only": True, "kwargs": _lesson},
    "journal:attachment": {
        "allowed": READERS,
        "kwargs": _attachment,
        "foreign_kwargs": lambda w: _attachment(w, foreign=True),
    },
    "journal:plan": {"allowed": READERS, "kwargs": _plan, "foreign_kwargs": lambda w: _plan(w, foreign=True)},
    "journal:plan_upload": {"allowed": READERS, "post_only": True, "kwargs": _plan},
    "journal:plan_import_job": {
        "allowed": READERS,
        "kwargs": _plan_job,
        "foreign_kwargs": lambda w: _plan_job(w, foreign=True),
    },
    "journal:plan_import_job_progress": {
        "allowed": READERS,
        "kwargs": _plan_job,
        "foreign_kwargs": lambda w: _plan_job(w, foreign=True),
    },
    "journal:plan_template": {
        "allowed": READERS,
        "kwargs": lambda w: {**_plan(w), "fmt": "xlsx"},
        "foreign_kwargs": lambda w: {**_plan(w, foreign=True), "fmt": "xlsx"},
    },
    "journal:plan_topic_edit": {"allowed": READERS, "post_only": True, "kwargs": _topic},
    "journal:plan_move": {"allowed": READERS, "post_only": True, "kwargs": _topic},
    "journal:plan_topic_delete": {"allowed": READERS, "post_only": True, "kwargs": _topic},
    "journal:corrections": {"allowed": APPROVERS},
    "journal:my_corrections": {"allowed": {Role.TEACHER, Role.CLASS_TEACHER}},
    "journal:correction_decide": {"allowed": APPROVERS, "post_only": True, "kwargs": _correction},
    "journal:terms": {"allowed": APPROVERS},
    "journal:term_close": {
        "allowed": APPROVERS,
        "post_only": True,
        "kwargs": lambda w: {"term_id": _term(w.school).pk},
    },
    "journal:term_reopen": {"allowed": APPROVERS, "post_only": True, "kwargs": _closure},
    "journal:class_overview": {
        "allowed": READERS,
        "kwargs": lambda w: {"class_id": w.cls.pk, "term_id": _term(w.school).pk},
        "foreign_kwargs": lambda w: {"class_id": w.foreign_cls.pk, "term_id": _term(w.other_school).pk},
    },
    "journal:class_year": {
        "allowed": READERS,
        "kwargs": lambda w: {"class_id": w.cls.pk},
        "foreign_kwargs": lambda w: {"class_id": w.foreign_cls.pk},
    },
    "journal:class_overview_current": {
        "allowed": READERS,
        "kwargs": lambda w: {"class_id": w.cls.pk},
        "foreign_kwargs": lambda w: {"class_id": w.foreign_cls.pk},
    },
    "journal:class_overview_xlsx": {
        "allowed": READERS,
        "kwargs": lambda w: {"class_id": w.cls.pk, "term_id": _term(w.school).pk},
        "foreign_kwargs": lambda w: {"class_id": w.foreign_cls.pk, "term_id": _term(w.other_school).pk},
    },
    "journal:absence_reasons": {
        "allowed": READERS,
        "kwargs": lambda w: {"class_id": w.cls.pk},
        "foreign_kwargs": lambda w: {"class_id": w.foreign_cls.pk},
    },
}
