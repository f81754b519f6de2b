# ruff: noqa: S608 - the SQL is built from model table and column names only; every value is a parameter
"""The journal save's reads as prepared statements (`ejournal.core.sql`): no ORM compiler on the hot path.

A single mark is the journal's most frequent request. The ORM compiles each of its
reads anew, which costs more than running them; these statements are prepared once per
PostgreSQL connection and give the same model instances (`instances`) or plain rows.
Each function says which ORM read it stands for; tests compare the two.
"""

from __future__ import annotations

import datetime as dt

from ejournal.core.sql import _select, _t, columns, instances, value
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.people.models import Enrolment, Student
from ejournal.schools.models import AcademicYear, School, SchoolClass, Subgroup, Term
from ejournal.timetable.models import Lesson

from .models import Attendance, LessonNote, Mark, PeriodMark, TermClosure

HELD = (Lesson.Status.SCHEDULED, Lesson.Status.EXTRA)
_ASSIGNMENT_MODELS = (TeachingAssignment, School, SchoolClass, Subject, Subgroup, AcademicYear)


def assignment(pk: int, school_id: int) -> TeachingAssignment | None:
    """The assignment with its school, class, subject, subgroup and year
    (`TeachingAssignment.objects.select_related("school", "school_class", "subject", "subgroup", "year")`)."""
    rows = _select(
        "journal_assignment_1",
        lambda listed: (
            f"SELECT {columns(TeachingAssignment, 'a')}, {columns(School, 's')}, {columns(SchoolClass, 'c')}, "
            f"{columns(Subject, 'j')}, {columns(Subgroup, 'g')}, {columns(AcademicYear, 'y')} "
            f"FROM {_t(TeachingAssignment)} a JOIN {_t(School)} s ON s.id = a.school_id "
            f"JOIN {_t(SchoolClass)} c ON c.id = a.school_class_id JOIN {_t(Subject)} j ON j.id = a.subject_id "
            f"LEFT JOIN {_t(Subgroup)} g ON g.id = a.subgroup_id JOIN {_t(AcademicYear)} y ON y.id = a.year_id "
            f"WHERE a.id = %(pk)s AND a.school_id = %(school)s"
        ),
        {"pk": "bigint", "school": "bigint"},
        {"pk": pk, "school": school_id},
    )
    if not rows:
        return None
    found, school, school_class, subject, subgroup, year = instances(rows[0], 0, *_ASSIGNMENT_MODELS)
    found.school, found.school_class, found.subject, found.subgroup, found.year = (
        school,
        school_class,
        subject,
        subgroup,
        year,
    )
    return found


def class_terms(school_class: SchoolClass) -> list[Term]:
    """The class's terms in order, each with `is_closed` (a closure for the class or the whole school)."""
    rows = _select(
        "journal_class_terms_1",
        lambda listed: (
            f"SELECT {columns(Term, 't')}, EXISTS(SELECT 1 FROM {_t(TermClosure)} u WHERE u.term_id = t.id "
            f"AND (u.school_class_id IS NULL OR u.school_class_id = %(cls)s)) "
            f"FROM {_t(Term)} t WHERE t.school_id = %(school)s AND t.year_id = %(year)s "
            f"AND t.min_grade <= %(grade)s AND t.max_grade >= %(grade)s ORDER BY t.starts_on, t.id"
        ),
        {"cls": "bigint", "school": "bigint", "year": "bigint", "grade": "integer"},
        {"cls": school_class.pk, "school": school_class.school_id, "year": school_class.year_id,
         "grade": school_class.grade},
    )  # fmt: skip
    terms = []
    for row in rows:
        (term,) = instances(row, 0, Term)
        term.is_closed = bool(row[-1])
        terms.append(term)
    return terms


def journal_lessons(assignment: TeachingAssignment, term: Term) -> list[tuple]:
    """The journal's lessons of the term in order (`selectors.journal_lessons`), each row a lesson's columns
    then its note's (NULLs without a note): make instances with `lesson_of`, or read `lesson_key`."""
    return _select(
        "journal_lessons_1",
        lambda listed: (
            f"SELECT {columns(Lesson, 'l')}, {columns(LessonNote, 'n')} FROM {_t(Lesson)} l "
            f"LEFT JOIN {_t(LessonNote)} n ON n.lesson_id = l.id "
            f"WHERE l.school_class_id = %(cls)s AND l.subject_id = %(subject)s "
            f"AND (l.subgroup_id = %(group)s OR (l.subgroup_id IS NULL AND %(group)s IS NULL)) "
            f"AND l.date >= %(first)s AND l.date <= %(last)s AND (l.status {listed('held')} OR l.has_records) "
            f"ORDER BY l.date, l.lesson_number, l.id"
        ),
        {"cls": "bigint", "subject": "bigint", "group": "bigint", "first": "date", "last": "date", "held": "text[]"},
        {"cls": assignment.school_class_id, "subject": assignment.subject_id, "group": assignment.subgroup_id,
         "first": term.starts_on, "last": term.ends_on, "held": [str(status) for status in HELD]},
    )  # fmt: skip


_LESSON_WIDTH = len(Lesson._meta.concrete_fields)
_LESSON_PK = [f.attname for f in Lesson._meta.concrete_fields].index("id")
_LESSON_DATE = [f.attname for f in Lesson._meta.concrete_fields].index("date")
_LESSON_STATUS = [f.attname for f in Lesson._meta.concrete_fields].index("status")


def lesson_key(row: tuple) -> tuple[int, dt.date, str]:
    """A `journal_lessons` row's lesson id, date and status."""
    return row[_LESSON_PK], value(Lesson, "date", row[_LESSON_DATE]), row[_LESSON_STATUS]


def lesson_of(row: tuple) -> tuple[Lesson, LessonNote | None]:
    """A `journal_lessons` row's lesson and note (None without one)."""
    lesson, note = instances(row, 0, Lesson, LessonNote)
    return lesson, note


def class_enrolments(school_class_id: int) -> list[tuple[int, dt.date, dt.date | None, Student]]:
    """Every enrolment of the class as (student id, from, to, student), the student an instance
    (`Enrolment.objects.filter(school_class_id=…)` with the student)."""
    rows = _select(
        "journal_class_enrolments_2",
        lambda listed: (
            f"SELECT e.student_id, e.starts_on, e.ends_on, {columns(Student, 's')} FROM {_t(Enrolment)} e "
            f"JOIN {_t(Student)} s ON s.id = e.student_id WHERE e.school_class_id = %(cls)s ORDER BY e.id"
        ),
        {"cls": "bigint"},
        {"cls": school_class_id},
    )
    students: dict[int, Student] = {}
    out = []
    for row in rows:
        if row[0] not in students:
            students[row[0]] = instances(row, 3, Student)[0]
        starts, ends = value(Enrolment, "starts_on", row[1]), value(Enrolment, "ends_on", row[2])
        out.append((row[0], starts, ends, students[row[0]]))
    return out


def cell_marks(*, lesson_ids: list[int], student_ids: list[int], school_id: int, tokens: list[str]) -> list[Mark]:
    """The students' marks on the lessons and the school's marks with the tokens, oldest first (`Mark` rows)."""
    rows = _select(
        "journal_cell_marks_1",
        lambda listed: (
            f"SELECT {columns(Mark, 'm')} FROM {_t(Mark)} m WHERE (m.lesson_id {listed('lessons')} "
            f"AND m.student_id {listed('students')}) OR (m.school_id = %(school)s AND m.client_token {listed('tokens')}) "
            f"ORDER BY m.created_at, m.id"
        ),
        {"lessons": "bigint[]", "students": "bigint[]", "school": "bigint", "tokens": "text[]"},
        {"lessons": lesson_ids, "students": student_ids, "school": school_id, "tokens": tokens},
    )
    return [instances(row, 0, Mark)[0] for row in rows]


def cell_attendance(*, lesson_ids: list[int], student_ids: list[int]) -> list[Attendance]:
    """The students' attendance on the lessons (`Attendance` rows)."""
    rows = _select(
        "journal_cell_attendance_1",
        lambda listed: (
            f"SELECT {columns(Attendance, 'a')} FROM {_t(Attendance)} a "
            f"WHERE a.lesson_id {listed('lessons')} AND a.student_id {listed('students')}"
        ),
        {"lessons": "bigint[]", "students": "bigint[]"},
        {"lessons": lesson_ids, "students": student_ids},
    )
    return [instances(row, 0, Attendance)[0] for row in rows]


def period_marks(
    *, school_class_id: int, subject_id: int, term_id: int, kind: str, student_ids: list[int] | None
) -> list[PeriodMark]:
    """The class's period marks of a kind in the subject and term (`PeriodMark` rows): all, or the students'."""
    rows = _select(
        "journal_period_marks_1",
        lambda listed: (
            f"SELECT {columns(PeriodMark, 'p')} FROM {_t(PeriodMark)} p WHERE p.school_class_id = %(cls)s "
            f"AND p.subject_id = %(subject)s AND p.term_id = %(term)s AND p.kind = %(kind)s "
            f"AND (%(every)s OR p.student_id {listed('students')})"
        ),
        {"cls": "bigint", "subject": "bigint", "term": "bigint", "kind": "text", "every": "boolean",
         "students": "bigint[]"},
        {"cls": school_class_id, "subject": subject_id, "term": term_id, "kind": str(kind),
         "every": student_ids is None, "students": sorted(student_ids or [])},
    )  # fmt: skip
    return [instances(row, 0, PeriodMark)[0] for row in rows]
