"""How to build the forms that the round-trip test cannot build alone, as their views do.

A form is covered automatically when it can be made without arguments and
every field gets a generated value (see `test_forms_round_trip.sample`). The
others are listed here: a factory taking the test `world` and returning the
cases to check. A new form that is neither fails the test until it is added.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from ejournal.access.roles import Role
from ejournal.accounts.forms import ChangePasswordForm, LoginForm, NewPasswordForm
from ejournal.accounts.models import User
from ejournal.archive.forms import ArchivePeriodForm
from ejournal.city import forms as city
from ejournal.city.models import SoftwareComplex
from ejournal.city.monitoring.forms import PeriodForm as MonitoringPeriodForm
from ejournal.city.monitoring.indicators import INDICATORS
from ejournal.control.forms import PeriodForm as ControlPeriodForm
from ejournal.core.imports.forms import ImportFileForm, ImportUploadForm
from ejournal.curriculum import forms as curriculum
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.journal import forms as journal
from ejournal.journal.services import CellEdit
from ejournal.people import forms as people
from ejournal.people.imports.kinds import ROSTER_KINDS
from ejournal.people.models import Enrolment
from ejournal.regulation.forms import CoordinatorForm
from ejournal.schools.models import School, SchoolClass, Subgroup, Term
from ejournal.service.forms import ApplicationForm
from ejournal.testing import PASSWORD
from ejournal.timetable import forms as timetable
from ejournal.timetable.models import Room
from ejournal.timetable.tests.helpers import assignment

PHONE = "+7 (918) 123-45-67"
NEW_PASSWORD = "Nov-parol-2026!"


@dataclass
class Case:
    kwargs: dict[str, Any] = field(default_factory=dict)  # the constructor's keyword arguments
    initial: dict[str, Any] = field(default_factory=dict)  # values set here; the other fields get generated ones
    expected: dict[str, Any] = field(default_factory=dict)  # cleaned values that differ from `initial`
    typed: dict[str, Any] = field(default_factory=dict)  # typed or picked again, never rendered: passwords, files
    data: dict[str, str] | None = None  # a form always bound (a filter read from the address): its data


def _csv(name: str = "list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "Фамилия;Имя\nОрлов;Максим\n".encode(), content_type="text/csv")


def _teachers(w):
    return User.objects.filter(pk__in=[w.teacher.pk, w.other_teacher.pk]).order_by("pk")


def _classes(w):
    return SchoolClass.objects.filter(school=w.school).order_by("pk")


def _rooms(w):
    Room.objects.create(school=w.school, name="12")
    Room.objects.create(school=w.school, name="14")
    return Room.objects.filter(school=w.school)


def _assignments(w):
    assignment(w, name="Математика")
    assignment(w, name="Русский язык")
    return TeachingAssignment.objects.filter(school=w.school).select_related("subject", "teacher", "subgroup")


def _archive_period(w):
    from ejournal.archive.selectors import archive_choices
    from ejournal.journal.tests.helpers import deputy

    choices = archive_choices(actor=deputy(w), today=dt.date(2026, 11, 2))  # the first quarter has ended
    return Case(kwargs={"choices": choices}, initial={"period": choices[0].value})


def _login(w):
    request = RequestFactory().post("/accounts/login/")
    return Case(kwargs={"request": request}, initial={"username": "teacher"}, typed={"password": PASSWORD})


def _password_change(w):
    typed = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return Case(kwargs={"user": w.teacher}, typed=typed)


def _password_set(w):
    return Case(kwargs={"user": w.teacher}, typed={"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def _cells(w, **extra):
    cells = [{"student": w.student.pk, "lesson": 7, "text": "5", "att": 2, "marks": "3.1", "token": "t-1"}]
    edit = CellEdit(student_id=w.student.pk, lesson_id=7, text="5", attendance_version=2, mark_versions=((3, 1),),
                    token="t-1")  # fmt: skip
    return Case(initial={"cells": json.dumps(cells), **extra}, expected={"cells": [edit]})


def _topic(w):
    from ejournal.journal.services import thematic_plan_import
    from ejournal.journal.tests.helpers import MON, lesson, teacher

    a = assignment(w)
    plan = thematic_plan_import(assignment=a, topics=[("Дроби", 2), ("Проценты", 1)], actor=teacher(w))
    return Case(kwargs={"lesson": lesson(w, a, MON)}, initial={"planned_topic": plan.topics.order_by("pk").last()})


def _homework(w):
    files = [SimpleNamespace(pk=11, original_name="Задачи.pdf"), SimpleNamespace(pk=12, original_name="Ответы.pdf")]
    return [
        Case(kwargs={"attachments": files}, initial={"text": "№ 12,\n№ 14", "due_date": dt.date(2026, 12, 10),
                                                     "remove": [12]}),
        Case(kwargs={"attachments": files}, initial={"text": "", "due_date": None, "remove": []}),
    ]  # fmt: skip


def _work_type(w):
    kinds = [SimpleNamespace(pk=3, name="Ответ на уроке", weight=Decimal("1")),
             SimpleNamespace(pk=4, name="Контрольная работа", weight=Decimal("2.5"))]  # fmt: skip
    return [
        Case(kwargs={"work_types": kinds}, initial={"work_type": 4}, expected={"work_type": kinds[1]}),
        Case(kwargs={"work_types": kinds}, initial={"work_type": None}),
    ]


def _reasons(w):
    students = [w.student, w.classmate]
    return Case(kwargs={"students": students}, initial={"students": [w.classmate.pk]},
                expected={"students": [w.classmate]})  # fmt: skip


def _guardian(w, **kwargs):
    return Case(kwargs=kwargs, initial={"phone": PHONE, "email": "orlova@example.ru"})


def _application(w):
    names = {"last_name": "Орлова", "first_name": "Марина", "middle_name": "Викторовна", "child_last_name": "Орлов",
             "child_first_name": "Максим", "child_middle_name": "Андреевич"}  # fmt: skip
    return Case(initial={**names, "phone": PHONE, "id_doc_number": "03 12 345678", "website": "", "started": ""})


def _rollout(w):
    complex_ = SoftwareComplex.objects.create(municipality=w.city, name="Этот журнал", is_this_system=True)
    return Case(kwargs={"complexes": SoftwareComplex.objects.all()}, initial={"complex": complex_})


def _monitoring(w):
    key = INDICATORS[-1].key
    return Case(kwargs={"today": dt.date(2026, 12, 10)}, data={"indicator": key, "month": "11", "year": "2026",
                "span": "6"}, expected={"indicator": key, "month": 11, "year": 2026, "span": 6})  # fmt: skip


def _curriculum_lines(w):
    maths, russian = (
        Subject.objects.get(school__isnull=True, name="Математика"),
        Subject.objects.get(school__isnull=True, name="Русский язык"),
    )
    line = SimpleNamespace(hours_per_week=Decimal("4.5"), in_subgroups=True, has_exam=True)
    return Case(kwargs={"subject_lines": [(maths, line), (russian, None)]})


def _assignment_form(w):
    return Case(kwargs={"teachers": _teachers(w), "classes": _classes(w),
                        "subgroups": Subgroup.objects.filter(school=w.school),
                        "subjects": Subject.objects.filter(school__isnull=True).order_by("pk")})  # fmt: skip


CASES: dict[type, Callable[[Any], Case | list[Case]]] = {
    LoginForm: _login,
    ChangePasswordForm: _password_change,
    NewPasswordForm: _password_set,
    city.RolloutForm: _rollout,
    city.UploadForm: lambda w: Case(typed={"file": _csv()}),
    MonitoringPeriodForm: _monitoring,
    ControlPeriodForm: lambda w: Case(initial={"month": "2026-11"}),
    ArchivePeriodForm: _archive_period,
    ImportFileForm: lambda w: Case(kwargs={"kinds": ROSTER_KINDS}, typed={"file": _csv()}),
    ImportUploadForm: lambda w: Case(kwargs={"kinds": ROSTER_KINDS}, typed={"file": _csv()}),
    curriculum.GradeCurriculumForm: _curriculum_lines,
    curriculum.StudyWeekForm: lambda w: Case(kwargs={"days_by_grade": {5: 5, 6: 6, 7: 5}}),
    curriculum.AssignmentForm: _assignment_form,
    curriculum.ReassignForm: lambda w: Case(kwargs={"teachers": _teachers(w)}),
    journal.CellsForm: _cells,
    journal.CorrectionForm: lambda w: _cells(w, reason="Ошибка при вводе"),
    journal.PeriodMarkForm: lambda w: Case(initial={"student": w.student.pk, "value": "5", "suggested": "4"}),
    journal.TopicForm: _topic,
    journal.HomeworkForm: _homework,
    journal.PlanFileForm: lambda w: Case(typed={"file": _csv("plan.csv")}),
    journal.WorkTypeForm: _work_type,
    journal.CloseForm: lambda w: Case(kwargs={"classes": list(_classes(w))}, initial={"school_class": w.other_cls.pk}),
    journal.ReasonsForm: _reasons,
    people.ClassForm: lambda w: Case(kwargs={"teachers": _teachers(w)}),
    people.SubgroupMembersForm: lambda w: Case(
        kwargs={"enrolments": Enrolment.objects.filter(school_class=w.cls).select_related("student")},
        initial={"students": [w.student.pk, w.classmate.pk]},
    ),
    people.MoveForm: lambda w: Case(kwargs={"classes": _classes(w)}),
    people.StudentCreateForm: lambda w: Case(kwargs={"classes": _classes(w)}),
    people.SchoolTransferForm: lambda w: Case(kwargs={"schools": School.objects.order_by("pk")}),
    people.GuardianForm: _guardian,
    people.GuardianCreateForm: _guardian,
    people.EsiaSubjectForm: lambda w: Case(initial={"esia_subject": "1000123456"}),
    people.AppointmentForm: lambda w: Case(kwargs={"roles": [Role.TEACHER, Role.DEPUTY_HEAD]}),
    people.StaffAddForm: lambda w: _guardian(w, roles=[Role.TEACHER, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR]),
    CoordinatorForm: lambda w: Case(kwargs={"staff": _teachers(w)}),
    ApplicationForm: _application,
    timetable.CellForm: lambda w: Case(kwargs={"assignments": _assignments(w), "rooms": _rooms(w)}),
    timetable.GenerateForm: lambda w: Case(kwargs={"terms": Term.objects.filter(school=w.school)}),
    timetable.SubstituteForm: lambda w: Case(kwargs={"teachers": _teachers(w)}),
    timetable.MoveForm: lambda w: Case(kwargs={"rooms": _rooms(w)}),
    timetable.ExtraLessonForm: lambda w: Case(kwargs={"rooms": _rooms(w), "assignments": _assignments(w)}),
}
