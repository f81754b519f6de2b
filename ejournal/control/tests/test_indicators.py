"""The monthly indicators on a hand-made month with known answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from ejournal.journal.services.setup import work_types_ensure
from ejournal.journal.tests.helpers import at
from ejournal.regulation.models import Regulation
from ejournal.regulation.selectors import cache_forget
from ejournal.schools.models import SchoolClass, Term
from ejournal.testing import make_student
from ejournal.timetable.models import Lesson
from ejournal.timetable.tests.helpers import assignment, lesson

from ..common import rules_of_schools
from ..indicators import (
    SchoolMonthIndicators,
    TeacherMonthIndicators,
    school_month_indicators,
    teacher_month_indicators,
)
from ..indicators.city import marks_and_density
from ..indicators.density import density_by, density_terms
from ..indicators.lessons import month_lessons
from ..indicators.marks import lesson_marks
from .data import SEP, change, mark, moment, november_loaded, september

pytestmark = pytest.mark.django_db
AFTER = dt.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def _clean_cache(world):
    cache_forget([world.school.pk, world.other_school.pk])
    yield
    cache_forget([world.school.pk, world.other_school.pk])


def test_indicators_of_a_hand_made_month(world):
    september(world)
    with at(AFTER):
        result = school_month_indicators(school_ids=[world.school.pk, world.other_school.pk], year=2026, month=9)
    assert result[world.school.pk] == SchoolMonthIndicators(
        classes_in_system=2,
        students_in_system=3,
        teachers_with_accounts=2,
        teachers_active=1,
        guardians_with_access=1,
        guardians_logged_in=1,
        lessons_total=4,
        lessons_topic_on_time_pct=D("50.0"),
        lessons_homework_on_time_pct=D("50.0"),
        lessons_attendance_pct=D("75.0"),
        marks_per_student=D("1.3"),
        density_norm_met_pct=D("50.0"),
        marks_late_pct=D("25.0"),
    )
    assert result[world.other_school.pk] == SchoolMonthIndicators(
        classes_in_system=1, students_in_system=1, teachers_with_accounts=1, guardians_with_access=1,
        marks_per_student=D("0.0"),
    )  # fmt: skip


def test_the_schools_regulation_sets_the_grace_days(world):
    september(world)
    Regulation.objects.create(
        municipality=world.city, school=world.school, title="Положение", adopted_on=dt.date(2026, 8, 30),
        order_number="15-о", homework_grace_days=1,
    )  # fmt: skip
    with at(AFTER):
        result = school_month_indicators(school_ids=[world.school.pk], year=2026, month=9)
    assert result[world.school.pk].lessons_homework_on_time_pct == D("75.0")  # L3's homework the next morning


def test_a_month_in_progress_counts_only_lessons_up_to_today_and_the_future_gives_zeros(world):
    september(world)
    with at(dt.date(2026, 9, 8), 18):
        now = school_month_indicators(school_ids=[world.school.pk], year=2026, month=9)
        future = school_month_indicators(school_ids=[world.school.pk], year=2026, month=11)
    assert now[world.school.pk].lessons_total == 2
    assert now[world.school.pk].lessons_topic_on_time_pct == D("50.0")
    assert future[world.school.pk] == SchoolMonthIndicators()
    assert school_month_indicators(school_ids=[], year=2026, month=9) == {}


def test_the_number_of_queries_does_not_grow_with_the_number_of_schools(world, django_assert_num_queries):
    september(world)
    with at(AFTER):
        with django_assert_num_queries(12) as one:
            school_month_indicators(school_ids=[world.school.pk], year=2026, month=9)
        with django_assert_num_queries(len(one.captured_queries)):
            school_month_indicators(school_ids=[world.school.pk, world.other_school.pk], year=2026, month=9)


def test_teachers_share_the_schools_figures_and_a_substitute_gets_the_lesson(world):
    d = september(world)
    Lesson.objects.filter(pk=d.lessons[3].pk).update(substitute=world.other_teacher)  # L4: no topic, no homework
    with at(AFTER):
        result = teacher_month_indicators(school_id=world.school.pk, year=2026, month=9)
        one = teacher_month_indicators(school_id=world.school.pk, year=2026, month=9, teacher_id=world.other_teacher.pk)
    assert result == {
        world.teacher.pk: TeacherMonthIndicators(
            lessons_total=3,
            lessons_topic_on_time_pct=D("66.7"),  # L1, L3
            lessons_homework_on_time_pct=D("66.7"),  # L1, L2
            lessons_attendance_pct=D("66.7"),  # L1, L3
            marks_total=3,
            marks_late_pct=D("0.0"),
            density_norm_met_pct=D("50.0"),  # the assignment stays the teacher's: 1 pair of 2
        ),
        world.other_teacher.pk: TeacherMonthIndicators(
            lessons_total=1,
            lessons_topic_on_time_pct=D("0.0"),
            lessons_homework_on_time_pct=D("0.0"),
            lessons_attendance_pct=D("100.0"),
            marks_total=1,
            marks_late_pct=D("100.0"),
        ),
    }
    assert one == {world.other_teacher.pk: result[world.other_teacher.pk]}


def test_teacher_figures_of_a_future_month_are_empty_and_the_queries_constant(world, django_assert_num_queries):
    september(world)
    with at(AFTER):
        assert teacher_month_indicators(school_id=world.school.pk, year=2026, month=11) == {}
        with django_assert_num_queries(8) as few:
            teacher_month_indicators(school_id=world.school.pk, year=2026, month=9)
        more = assignment(world, cls=world.other_cls, teacher=world.other_teacher, name="Физика")
        for day in SEP:
            lesson(world, more, day, number=3)
        with django_assert_num_queries(len(few.captured_queries)):
            assert len(teacher_month_indicators(school_id=world.school.pk, year=2026, month=9)) == 2


# Each indicator of the monthly report (REQUIREMENTS §6) against `november_loaded`, counted by hand there:
# journal rows without the change log, as an import or a bulk load leaves them.
NOVEMBER = {
    "classes_in_system": 2,  # 5 «А», 6 «Б»
    "students_in_system": 3,  # the student, the classmate, the sibling
    "teachers_with_accounts": 2,  # the two appointed teachers
    "teachers_active": 3,  # the teacher, the other teacher, the director substituting (not the deputy head)
    "guardians_with_access": 1,
    "guardians_logged_in": 1,
    "lessons_total": 7,
    "lessons_topic_on_time_pct": D("57.1"),  # 4 of 7
    "lessons_homework_on_time_pct": D("28.6"),  # 2 of 7
    "lessons_attendance_pct": D("42.9"),  # 3 of 7 have attendance rows
    "marks_per_student": D("1.7"),  # 5 marks / 3 students
    "density_norm_met_pct": D("25.0"),  # 1 pair of 4
    "marks_late_pct": D("20.0"),  # 1 mark of 5
}


@pytest.mark.parametrize("indicator", list(NOVEMBER))
def test_each_indicator_counts_the_journals_own_rows(world, indicator):
    november_loaded(world)
    with at(dt.date(2026, 12, 5)):
        figures = school_month_indicators(school_ids=[world.school.pk], year=2026, month=11)[world.school.pk]
    assert getattr(figures, indicator) == NOVEMBER[indicator]


def test_a_lesson_kept_on_its_day_without_an_absence_counts_as_with_attendance(world):
    d = november_loaded(world)
    l0 = d.lessons[0]
    change(l0, moment(l0.date, 14), user=world.teacher)  # the topic typed in on the day: everybody present
    with at(dt.date(2026, 12, 5)):
        figures = school_month_indicators(school_ids=[world.school.pk], year=2026, month=11)[world.school.pk]
    assert figures.lessons_attendance_pct == D("57.1")  # L0, L1, L2, M2 of 7


def test_teacher_figures_use_the_same_definitions(world):
    november_loaded(world)
    with at(dt.date(2026, 12, 5)):
        result = teacher_month_indicators(school_id=world.school.pk, year=2026, month=11)
    assert result[world.director.pk].lessons_attendance_pct == D("100.0")  # M2: an attendance row
    assert result[world.teacher.pk].lessons_attendance_pct == D("50.0")  # L1, L2 of L0–L3
    assert result[world.deputy_head.pk].lessons_attendance_pct == D("0.0")  # L4: nothing


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_city_computed_in_parallel_parts_gives_the_same_figures(world, settings, monkeypatch):
    """Outside a transaction the schools are counted in parts at once, each on its own connection: the figures
    are those of one part, school by school (committed rows: the other connections see them)."""
    from ..indicators import schools

    september(world)
    ids = [world.school.pk, world.other_school.pk]
    settings.INDICATORS_PARALLEL = 1
    with at(AFTER):
        serial = school_month_indicators(school_ids=ids, year=2026, month=9)
    parts = []
    run = schools.in_parallel
    monkeypatch.setattr(schools, "in_parallel", lambda calls: parts.append(len(calls)) or run(calls))
    settings.INDICATORS_PARALLEL = 2
    with at(AFTER):
        parallel = school_month_indicators(school_ids=ids, year=2026, month=9)
    assert parts == [2]
    assert parallel == serial
    assert parallel[world.school.pk].lessons_total == 4 and parallel[world.school.pk].marks_late_pct == D("25.0")


@pytest.mark.postgresql
def test_the_one_pass_reads_a_half_year_from_september_beside_the_quarters_like_the_orm(world):
    """Quarters for grades 1–9 and a half-year for 10–11 from September: in November the one pass on PostgreSQL
    reads the 10th grade's lessons from September, the 5th grade's from the second quarter only, counts the month's
    marks of a cancelled lesson but not in the term's density — the figures of the ORM's queries, and by hand."""
    Term.objects.filter(school=world.school).update(max_grade=9)
    Term.objects.create(school=world.school, year=world.year, kind=Term.Kind.HALF_YEAR, number=1, min_grade=10,
                        max_grade=11, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 12, 28))  # fmt: skip
    senior = SchoolClass.objects.create(school=world.school, year=world.year, grade=10, letter="А")
    full, short = make_student(senior, "Ким", "Анна"), make_student(senior, "Лис", "Олег")
    kinds = work_types_ensure(world.school)
    a10, a5 = assignment(world, cls=senior, hours="1", name="Физика"), assignment(world, hours="1")
    days10 = [dt.date(2026, 9, 14), dt.date(2026, 9, 21), dt.date(2026, 10, 12), dt.date(2026, 11, 9),
              dt.date(2026, 11, 16)]  # fmt: skip
    for n, day in enumerate(days10):
        lesson10 = lesson(world, a10, day)
        mark(lesson10, full, 5, user=world.teacher, kinds=kinds)  # 5 marks: the half-year's norm of 5 met
        if n != 1:
            mark(lesson10, short, 4, user=world.teacher, kinds=kinds)  # 4: not met
    october, nov9, nov16, nov23 = (lesson(world, a5, dt.date(2026, m, d)) for m, d in ((10, 12), (11, 9), (11, 16),
                                                                                          (11, 23)))  # fmt: skip
    cancelled = lesson(world, a5, dt.date(2026, 11, 10), status=Lesson.Status.CANCELLED)
    for lesson5 in (october, nov9, cancelled, nov16):
        mark(lesson5, world.student, 4, user=world.teacher, kinds=kinds)  # 2 in the quarter: the norm of 3 not met
    for lesson5 in (nov9, nov16, nov23):
        mark(lesson5, world.classmate, 3, user=world.teacher, kinds=kinds)  # 3: met
    ids, first, last = [world.school.pk], dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    rules = rules_of_schools(ids)
    with at(dt.date(2026, 12, 5)):
        marks, density = marks_and_density(ids, first, last, rules)
        orm_marks = lesson_marks(month_lessons(ids, first, last))
        orm_density = density_by(ids, first, last, rules, terms=density_terms(ids, first, last))
    assert marks[world.school.pk]["n"] == orm_marks[world.school.pk]["n"] == 2 + 2 + 3 + 3
    assert density[world.school.pk] == orm_density[world.school.pk] == (2, 4)
