"""The save's prepared reads (`journal.sql`) give what the ORM reads give: the same rows, fields and types."""

import datetime as dt

from django.db.models import Q

from ejournal.accounts.backends import UserBackend
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import Enrolment
from ejournal.schools.models import Term

from .. import sql
from ..models import Attendance, LessonNote, Mark, PeriodKind, PeriodMark, TermClosure
from ..selectors import journal_lessons
from .test_selectors import fill


def fields(instance) -> list[tuple[str, object, type]]:
    """Every concrete field's value and its type (a date read as text on SQLite would differ)."""
    if instance is None:
        return []
    return [(f.attname, getattr(instance, f.attname), type(getattr(instance, f.attname)))
            for f in instance._meta.concrete_fields]  # fmt: skip


def test_assignment_with_its_relations_as_the_orm_reads_it(world):
    a, _days, _term, _students = fill(world, extra_students=1, lessons=2)
    got = sql.assignment(a.pk, world.school.pk)
    orm = TeachingAssignment.objects.select_related("school", "school_class", "subject", "subgroup", "year").get(
        pk=a.pk
    )
    assert fields(got) == fields(orm)
    for name in ("school", "school_class", "subject", "subgroup", "year"):
        assert fields(getattr(got, name)) == fields(getattr(orm, name)), name
    assert got.subgroup is None  # a LEFT JOIN that found nothing


def test_assignment_of_another_school_is_not_found(world):
    a, *_rest = fill(world, extra_students=0, lessons=1)
    assert sql.assignment(a.pk, world.other_school.pk) is None
    assert sql.assignment(a.pk + 10_000, world.school.pk) is None


def test_class_terms_in_order_with_their_closure(world):
    a, _days, term, _students = fill(world, extra_students=0, lessons=1)
    TermClosure.objects.create(school=world.school, term=term, school_class=a.school_class, closed_by=world.teacher)
    got = sql.class_terms(a.school_class)
    orm = list(Term.objects.filter(school=world.school, year=a.school_class.year).order_by("starts_on"))
    orm = [t for t in orm if t.min_grade <= a.school_class.grade <= t.max_grade]
    assert [fields(t) for t in got] == [fields(t) for t in orm]
    assert [t.is_closed for t in got] == [t.pk == term.pk for t in orm]


def test_journal_lessons_keys_and_instances(world):
    a, days, term, _students = fill(world, extra_students=0, lessons=4)
    LessonNote.objects.create(school=world.school, lesson=days[1], is_control_work=True)
    rows = sql.journal_lessons(a, term)
    orm = list(journal_lessons(a, term).order_by("date", "lesson_number", "id"))
    assert [sql.lesson_key(row) for row in rows] == [(lesson.pk, lesson.date, lesson.status) for lesson in orm]
    assert all(type(sql.lesson_key(row)[1]) is dt.date for row in rows)
    for row, lesson in zip(rows, orm, strict=True):
        got, note = sql.lesson_of(row)
        assert fields(got) == fields(lesson)
        expected = LessonNote.objects.filter(lesson=lesson).first()
        assert fields(note) == fields(expected)


def test_class_enrolments_with_students(world):
    a, *_rest = fill(world, extra_students=3, lessons=1)
    got = sql.class_enrolments(a.school_class_id)
    orm = list(Enrolment.objects.filter(school_class_id=a.school_class_id).select_related("student").order_by("id"))
    assert [(sid, starts, ends, fields(s)) for sid, starts, ends, s in got] == [
        (e.student_id, e.starts_on, e.ends_on, fields(e.student)) for e in orm
    ]
    assert all(type(starts) is dt.date for _sid, starts, _ends, _s in got)
    assert len(got) == 5  # the world's two students and three more


def test_cell_marks_by_cell_and_by_token(world):
    _a, days, _term, students = fill(world, extra_students=2, lessons=3)
    token = Mark.objects.filter(lesson=days[2], student=students[2]).first()
    Mark.objects.filter(pk=token.pk).update(client_token="t-1:0")
    got = sql.cell_marks(lesson_ids=[days[0].pk, days[1].pk], student_ids=[students[0].pk],
                         school_id=world.school.pk, tokens=["t-1:0"])  # fmt: skip
    orm = list(Mark.objects.filter(Q(lesson__in=days[:2], student=students[0]) | Q(pk=token.pk)))
    orm.sort(key=lambda m: (m.created_at, m.pk))
    assert [fields(m) for m in got] == [fields(m) for m in orm]
    assert len(got) == 3
    assert sql.cell_marks(lesson_ids=[days[0].pk], student_ids=[], school_id=world.school.pk, tokens=[]) == []


def test_cell_attendance(world):
    _a, days, _term, students = fill(world, extra_students=2, lessons=2)
    got = sql.cell_attendance(lesson_ids=[days[1].pk], student_ids=[students[0].pk, students[1].pk])
    orm = list(Attendance.objects.filter(lesson=days[1], student__in=students[:2]))
    assert sorted(map(fields, got)) == sorted(map(fields, orm))
    assert len(got) == 2


def test_period_marks_all_or_some_students(world):
    a, _days, term, students = fill(world, extra_students=2, lessons=1)
    common = {"school_class_id": a.school_class_id, "subject_id": a.subject_id, "term_id": term.pk,
              "kind": PeriodKind.TERM}  # fmt: skip
    every = sql.period_marks(**common, student_ids=None)
    orm = PeriodMark.objects.filter(school_class=a.school_class, subject=a.subject, term=term, kind=PeriodKind.TERM)
    assert sorted(map(fields, every)) == sorted(map(fields, orm))
    assert len(every) == 4  # one per student of the class
    some = sql.period_marks(**common, student_ids=[students[1].pk])
    assert [p.student_id for p in some] == [students[1].pk]
    assert sql.period_marks(**common, student_ids=[]) == []


def test_the_backend_reads_the_user_as_the_orm_does(world):
    backend = UserBackend()
    got = backend.get_user(world.teacher.pk)
    assert fields(got) == fields(type(world.teacher).objects.get(pk=world.teacher.pk))
    assert backend.get_user(world.teacher.pk + 10_000) is None
    assert backend.get_user("x") is None
    type(world.teacher).objects.filter(pk=world.teacher.pk).update(is_active=False)
    assert backend.get_user(world.teacher.pk) is None
