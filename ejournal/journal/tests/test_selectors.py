"""Selectors: the grid, the class overview and the cell history, in a constant number of queries; plans."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.curriculum.models import TeachingAssignment
from ejournal.testing import make_student
from ejournal.timetable.models import Lesson

from ..models import Attendance, Homework, Mark, PeriodKind, PeriodMark
from ..rules import rules_for
from ..school_cache import school_constants
from ..selectors import cell_history, class_overview, journal_grid, plan_vs_fact, planned_topic_next
from ..services import lesson_topic_set, mark_set, thematic_plan_import, work_types_ensure
from .helpers import MON, at, class_teacher, deputy, journal, teacher

GRID_QUERIES = 6  # students, lessons (homework, note, file counts), marks, attendance, period marks; kinds cached
OVERVIEW_QUERIES = 6


def fill(world, *, extra_students: int, lessons: int):
    """A maths journal of 5 «А» with marks, absences and homework on every lesson for every student."""
    for n in range(extra_students):
        make_student(world.cls, f"Ученик{n:02d}", "Тест")
    a, days = journal(world, days=[MON + dt.timedelta(days=7 * (n // 5) + n % 5) for n in range(lessons)])
    kinds = work_types_ensure(world.school)
    students = list(world.cls.students.all())
    marks, absences = [], []
    for day in days:
        Homework.objects.create(school=world.school, lesson=day, school_class_id=day.school_class_id, text="§1",
                                due_date=day.date + dt.timedelta(days=1), created_by=world.teacher)  # fmt: skip
        for s in students:
            marks.append(Mark(school=world.school, lesson=day, student=s, value=4, work_type=kinds["test"],
                              weight=Decimal("2"), created_by=world.teacher))  # fmt: skip
            absences.append(Attendance(school=world.school, lesson=day, student=s, code="н", created_by=world.teacher))
    Mark.objects.bulk_create(marks)
    Attendance.objects.bulk_create(absences)
    term = world.school.terms.get(number=1)
    PeriodMark.objects.bulk_create(
        PeriodMark(school=world.school, year=world.year, student=s, school_class=world.cls, subject=a.subject,
                   term=term, kind=PeriodKind.TERM, value="4", confirmed_by=world.teacher, confirmed_at=dt.datetime.now(dt.UTC))
        for s in students
    )  # fmt: skip
    return TeachingAssignment.objects.get(pk=a.pk), days, term, students


@pytest.mark.parametrize(("extra", "lessons"), [(0, 2), (12, 9)])
def test_journal_grid_takes_a_constant_number_of_queries(world, django_assert_num_queries, extra, lessons):
    a, _days, term, students = fill(world, extra_students=extra, lessons=lessons)
    school_constants(world.school.pk)  # the school's constants and Regulation are cached: measure the steady state
    with django_assert_num_queries(GRID_QUERIES):
        grid = journal_grid(actor=teacher(world), assignment=a, term=term)
        summary = grid.summaries[world.student.pk]
        cells = [
            (len(grid.marks[(s.student.pk, d.pk)]), d.homework_or_none.text)
            for s in grid.students
            for d in grid.lessons
        ]
    assert len(grid.students) == len(students) and len(grid.lessons) == lessons
    assert set(cells) == {(1, "§1")}
    assert (summary.average, summary.count, summary.value) == (Decimal("4.00"), lessons, "4")
    assert grid.period_marks[world.student.pk].value == "4"
    assert len(grid.attendance) == len(students) * lessons


@pytest.mark.parametrize(("extra", "lessons"), [(0, 2), (12, 9)])
def test_class_overview_takes_a_constant_number_of_queries(world, django_assert_num_queries, extra, lessons):
    a, _days, term, _students = fill(world, extra_students=extra, lessons=lessons)
    cls = type(world.cls).objects.get(pk=world.cls.pk)
    rules_for(world.school)  # the Regulation is cached per school: measure the steady state
    with django_assert_num_queries(OVERVIEW_QUERIES):
        overview = class_overview(actor=class_teacher(world), school_class=cls, term=term)
    cell = overview.cells[(world.student.pk, a.subject_id)]
    assert (cell.average, cell.count, cell.absences, cell.period_mark) == (Decimal("4.00"), lessons, lessons, "4")
    assert [s.name for s in overview.subjects] == ["Математика"]
    assert overview.absences[world.student.pk] == {"н": lessons}


def test_the_grid_greys_out_days_before_arrival_and_after_departure(world):
    a, _days = journal(world, days=[MON])
    newcomer = make_student(world.cls, "Новиков", "Пётр")
    newcomer.enrolments.update(starts_on=dt.date(2026, 10, 1))
    world.classmate.enrolments.update(ends_on=dt.date(2026, 9, 20))
    term = world.school.terms.get(number=1)
    rows = {r.student.pk: r for r in journal_grid(actor=deputy(world), assignment=a, term=term).students}
    assert (rows[newcomer.pk].arrived_on, rows[newcomer.pk].active_on(MON)) == (dt.date(2026, 10, 1), False)
    assert (rows[world.classmate.pk].left_on, rows[world.classmate.pk].active_on(MON)) == (dt.date(2026, 9, 20), True)
    assert rows[world.student.pk].active_on(MON)


def test_the_grid_is_refused_to_a_teacher_of_another_class_and_a_foreign_school(world):
    a, _days = journal(world)
    term = world.school.terms.get(number=1)
    foreign = Actor(user_id=world.foreign_director.pk, role=Role.DIRECTOR, school_id=world.other_school.pk)
    for actor in (teacher(world, world.other_teacher), foreign):
        with pytest.raises(PermissionDenied):
            journal_grid(actor=actor, assignment=a, term=term)


def test_cell_history_shows_every_change_of_the_cell(world, django_assert_num_queries):
    _a, (day,) = journal(world)
    with at(MON):
        mark = mark_set(lesson=day, student=world.student, value=3, actor=teacher(world))
        mark_set(lesson=day, student=world.student, value=4, mark=mark, expected_version=1, actor=teacher(world))
    with django_assert_num_queries(1):
        history = cell_history(actor=deputy(world), lesson=day, student=world.student)
        rows = [(r.field, r.old, r.new, r.actor.last_name) for r in history]
    assert rows == [("value", "", "3", "Попова"), ("work_type", "", "Ответ на уроке", "Попова"),
                    ("value", "3", "4", "Попова")]  # fmt: skip


def test_plan_import_next_topic_and_plan_vs_fact(world):
    a, days = journal(world, days=[MON, MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)])
    thematic_plan_import(assignment=a, topics="Натуральные числа; 2\nДроби\n", actor=teacher(world))
    assert planned_topic_next(actor=teacher(world), assignment=a).title == "Натуральные числа"
    with at(MON):
        lesson_topic_set(lesson=days[0], topic="Натуральные числа", actor=teacher(world))
    assert planned_topic_next(actor=teacher(world), assignment=a).title == "Натуральные числа"
    with at(days[1].date):
        lesson_topic_set(lesson=days[1], topic="Натуральные числа (2)", actor=teacher(world))
    assert planned_topic_next(actor=teacher(world), assignment=a).title == "Дроби"
    fact = plan_vs_fact(actor=teacher(world), assignment=a, on_date=days[2].date)
    assert (fact.planned_total, fact.scheduled_total, fact.planned_to_date, fact.given_to_date, fact.lag) == (
        3, 3, 3, 2, 1,
    )  # fmt: skip
    Lesson.objects.filter(pk=days[2].pk).update(status=Lesson.Status.CANCELLED)
    assert plan_vs_fact(actor=teacher(world), assignment=a, on_date=days[2].date).lag == 0


def test_a_saves_answer_lists_the_same_students_and_lessons_as_a_fresh_read(world):
    from ejournal.people.models import Enrolment, SubgroupMembership

    from ..batch import batch
    from ..selectors import journal_cells
    from ..services import CellEdit, journal_cells_set

    a, days = journal(
        world, days=[MON, MON + dt.timedelta(days=1)], subgroup=world.subgroup, name="Иностранный язык (английский)"
    )
    term = world.school.terms.get(number=1)
    left, arrived, never = (make_student(world.cls, name, "Тест") for name in ("Ушедший", "Пришедший", "Другой"))
    Enrolment.objects.filter(student=left).update(ends_on=MON)
    Enrolment.objects.filter(student=arrived).update(starts_on=MON + dt.timedelta(days=1))
    after = term.ends_on + dt.timedelta(days=1)  # `never` joins the subgroup after the term
    for student, starts in ((world.student, None), (left, None), (arrived, None), (never, after)):
        SubgroupMembership.objects.create(school=world.school, subgroup=world.subgroup, student=student,
                                          starts_on=starts or world.year.starts_on)  # fmt: skip
    edit = CellEdit(student_id=world.student.pk, lesson_id=days[0].pk, text="5", token="s")
    fresh = journal_cells(actor=teacher(world), assignment=a, term=term, keys=set(), only={world.student.pk})
    with at(MON), batch():
        journal_cells_set(assignment=a, term=term, edits=[edit], actor=teacher(world))
        reused = journal_cells(actor=teacher(world), assignment=a, term=term, keys=set(), only={world.student.pk})
    assert [(r.student.pk, r.arrived_on, r.left_on) for r in reused.students] == [
        (r.student.pk, r.arrived_on, r.left_on) for r in fresh.students
    ]
    assert {r.student.pk for r in fresh.students} == {world.student.pk, left.pk, arrived.pk}
    assert reused.lessons == fresh.lessons and [lesson.pk for lesson in fresh.lessons] == [d.pk for d in days]
    assert [m.value for m in reused.marks[(world.student.pk, days[0].pk)]] == [5]


def test_a_saves_answer_shows_the_cells_as_the_database_holds_them_after_the_writes(world):
    from ..batch import batch
    from ..models import Attendance
    from ..selectors import journal_cells
    from ..services import CellEdit, attendance_set, journal_cells_set

    a, days = journal(world, days=[MON, MON + dt.timedelta(days=1)])
    term, me, other = world.school.terms.get(number=1), teacher(world), world.classmate
    with at(MON):
        five = mark_set(lesson=days[0], student=world.student, value=5, actor=me)
        four = mark_set(lesson=days[0], student=world.student, value=4, actor=me)
        gone = mark_set(lesson=days[0], student=other, value=2, actor=me)
        absent = attendance_set(lesson=days[0], student=other, code="н", actor=me)
    with at(days[1].date):  # another lesson, given on its day: in the averages
        mark_set(lesson=days[1], student=world.student, value=3, actor=me)
    edits = [
        CellEdit(world.student.pk, days[0].pk, "н 4/5/3", 0, ((five.pk, 1), (four.pk, 1)), "x"),  # change, add
        CellEdit(other.pk, days[0].pk, "", absent.version, ((gone.pk, 1),), "y"),  # delete the mark and absence
    ]
    only, keys = {world.student.pk, other.pk}, {(e.student_id, e.lesson_id) for e in edits}
    with at(MON), batch() as memo:
        journal_cells_set(assignment=a, term=term, edits=edits, actor=me)
        assert ("answer", a.pk, term.pk) in memo  # the rows as the save left them: not read again
        kept = journal_cells(actor=me, assignment=a, term=term, keys=keys, only=only)
    fresh = journal_cells(actor=me, assignment=a, term=term, keys=keys, only=only)
    assert kept.marks == fresh.marks and kept.attendance == fresh.attendance
    assert kept.summaries == fresh.summaries
    assert [m.display for m in kept.marks[(world.student.pk, days[0].pk)]] == ["4", "5", "3"]
    assert (other.pk, days[0].pk) not in kept.marks and not Attendance.objects.filter(student=other).exists()
    assert kept.attendance[(world.student.pk, days[0].pk)].code == "н"
