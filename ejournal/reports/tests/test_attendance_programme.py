"""Attendance, programme delivery and mark density of a period, against hand-counted lessons."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from ejournal.journal.models import Attendance, LessonNote, Mark, PlannedTopic, ThematicPlan
from ejournal.journal.services.setup import work_types_ensure
from ejournal.reports import selectors
from ejournal.reports.periods import school_periods
from ejournal.timetable.models import Lesson
from ejournal.timetable.tests.helpers import lesson

from .data import quarter_class

MSK = ZoneInfo("Europe/Moscow")
MON, TUE = dt.date(2026, 9, 7), dt.date(2026, 9, 8)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=MSK), tick=False):
        yield


@pytest.fixture
def d(world):
    return quarter_class(world)


def _q1(world, d):
    return next(p for p in school_periods(world.school) if p.term == d.q1)


def _cls(world, d):
    return next(
        c for c in selectors.school_attendance(school=world.school, period=_q1(world, d)) if c.id == world.cls.pk
    )


def _absent(world, lesson_, student, code):
    Attendance.objects.create(school=world.school, lesson=lesson_, student=student, code=code, created_by=world.teacher)


def _week(world, d):
    """Monday: maths 1 and 2, English 3 in each group; Tuesday: maths 1, English group 1 at 2; a cancelled lesson."""
    s = d.students
    m1, m2, e1, e2 = (lesson(world, d.maths, MON, 1), lesson(world, d.maths, MON, 2),
                      lesson(world, d.english1, MON, 3), lesson(world, d.english2, MON, 3))  # fmt: skip
    t1, t2 = lesson(world, d.maths, TUE, 1), lesson(world, d.english1, TUE, 2)
    lesson(world, d.maths, TUE, 3, status=Lesson.Status.CANCELLED)
    for x in (m1, m2, e1):
        _absent(world, x, s["Аксенова"], "б")  # the whole Monday ill
    _absent(world, t1, s["Аксенова"], "н")  # Tuesday: one of two lessons
    _absent(world, m1, s["Данилов"], "уп")
    _absent(world, m2, s["Данилов"], "уп")
    _absent(world, e2, s["Данилов"], "н")  # all of Monday, reasons differ → a day of «н»
    _absent(world, t1, s["Данилов"], "оп")  # late: not missed
    _absent(world, m1, s["Киров"], "н")  # left on 10.10: not in the report
    return t2


def test_lessons_and_days_missed_by_reason(world, d):
    _week(world, d)
    cls = _cls(world, d)
    by = {s.name.split()[0]: s for s in cls.students}
    a, dn, b = by["Аксенова"], by["Данилов"], by["Борисов"]
    assert (a.lessons, dict(a.missed), dict(a.days), a.missed_total) == (5, {"б": 3, "н": 1, "уп": 0}, {"б": 1}, 4)
    # Данилов is in group 2: Monday's three lessons and Tuesday's maths.
    assert (dn.lessons, dn.missed_total, dict(dn.days), dn.late) == (4, 3, {"н": 1}, 1)
    assert (b.lessons, b.missed_total, b.days_total) == (5, 0, 0)
    assert "Киров" not in by
    assert [s.name.split()[0] for s in cls.over_alert] == ["Аксенова", "Данилов"]  # 80 % and 75 % > 30 %
    assert (cls.total("missed", "н"), cls.total("missed", "б"), cls.total("missed", "уп")) == (2, 3, 2)
    assert cls.days_total == 2


@override_settings(REPORTS_ABSENCE_ALERT_PERCENT=79)
def test_the_alert_share_is_a_setting(world, d):
    _week(world, d)
    cls = _cls(world, d)
    assert [s.name.split()[0] for s in cls.over_alert] == ["Аксенова"]


def test_programme_plan_fact_and_lag_behind_the_plan(world, d):
    _week(world, d)
    Lesson.objects.filter(assignment=d.maths, date=MON).update(topic="Дроби")  # 2 of 3 held maths lessons given
    plan = ThematicPlan.objects.create(school=world.school, assignment=d.maths)
    topics = [PlannedTopic.objects.create(school=world.school, plan=plan, position=n, title=f"Тема {n}", hours=h)
              for n, h in ((1, 1), (2, 3), (3, 2))]  # fmt: skip
    first = Lesson.objects.get(assignment=d.maths, date=MON, lesson_number=1)
    LessonNote.objects.create(school=world.school, lesson=first, planned_topic=topics[0])
    rows = {(r.subject, r.subgroup): r for r in selectors.school_delivery(school=world.school, period=_q1(world, d))}
    maths = rows[("Математика", "")]
    assert (maths.planned, maths.planned_to_date, maths.given, maths.behind) == (3, 3, 2, 1)
    # КТП 6 h; reached topic 1 (1 h) with 2 lessons given → 1 h behind the plan.
    assert (maths.ktp_hours, maths.lag) == (6, 1)
    assert rows[("Иностранный язык (английский)", "Английский язык, 1 группа")].ktp_hours is None


def test_students_below_the_mark_density(world, d):
    kinds = work_types_ensure(world.school)
    t2 = _week(world, d)
    for x in Lesson.objects.filter(assignment=d.maths, status=Lesson.Status.SCHEDULED):
        Mark.objects.create(school=world.school, lesson=x, student=d.students["Борисов"], value=5,
                            work_type=kinds["answer"], weight=1, created_by=world.teacher)  # fmt: skip
    rows = selectors.school_density(school=world.school, period=_q1(world, d))
    # Maths at 5 h/week needs 5 marks: Борисов has 3, everybody else none; English (3 h) needs 5 too.
    boris = [r for r in rows if r.student.startswith("Борисов")]
    assert {(r.subject, r.marks, r.required) for r in boris} == {
        ("Математика", 3, 5), ("Русский язык", 0, 5), ("Иностранный язык (английский)", 0, 5)}  # fmt: skip
    # Group 1's English teacher is Попова: the row names the subgroup's teacher.
    assert {r.teacher for r in boris if r.subject.startswith("Иностранный")} == {"Попова Елена Сергеевна"}
    assert t2 is not None
