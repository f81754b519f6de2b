"""The mark density: (student, subject) pairs of the term whose marks so far reach the Regulation's norm."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q

from ejournal.curriculum.models import TeachingAssignment
from ejournal.journal.averages import density_required
from ejournal.journal.models import Mark
from ejournal.schools.models import SchoolClass, Term
from ejournal.timetable.models import Lesson

from .lessons import HELD


def density_terms(ids: list[int], first: dt.date, last: dt.date) -> list[Term]:
    """Per school, the terms in progress at the end of the month, else those that ended in it."""
    terms = list(Term.objects.filter(school_id__in=ids, starts_on__lte=last, ends_on__gte=first))
    current = [t for t in terms if t.ends_on >= last]
    schools_with_current = {t.school_id for t in current}
    return current + [t for t in terms if t.school_id not in schools_with_current]


def density_by(ids: list[int], first: dt.date, last: dt.date, rules, by_teacher: bool = False, terms=None):
    """(pairs meeting the norm, all pairs) per school, or per teacher of the assignment: three queries (two with
    the `terms` given)."""
    terms = density_terms(ids, first, last) if terms is None else terms
    if not terms:
        return {}
    met = _density_met(terms, last, rules, "lesson__assignment__teacher_id" if by_teacher else "lesson__school_id")
    pairs = density_pairs(terms, last, by="teacher_id" if by_teacher else "school_id")
    return {key: (met.get(key, 0), n) for key, n in pairs.items()}


def density_norms(terms: list[Term], rules) -> str:
    """The density norms as an SQL VALUES list of (school, grade, norm for a half-year or 0, hours threshold,
    norm up to it, norm above it): the kind of each school's term for the grade (`density_required`; the last
    term listed wins, as a dict of them would). Numbers of the Regulation only, written as literals."""
    kind_of = {(t.school_id, g): t.kind for t in terms for g in range(t.min_grade, t.max_grade + 1)}
    rows = []
    for (sid, grade), kind in kind_of.items():
        r = rules[sid]
        half = density_required(Decimal(0), kind, r) if kind == Term.Kind.HALF_YEAR else 0
        rows.append(f"({int(sid)}, {int(grade)}, {int(half)}, {Decimal(r.density_hours_threshold)}, "
                    f"{int(r.density_min_low_hours)}, {int(r.density_min_high_hours)})")  # fmt: skip
    return ", ".join(rows)


def _density_met(terms: list[Term], last: dt.date, rules, by: str) -> dict[int, int]:
    """Pairs whose marks so far reach the norm, per `by` (a column of the mark counts): one query.

    The pairs are counted in the database instead of read row by row; each pair's norm is joined per
    (school, grade) from a VALUES list, a constant cost per pair whatever the number of schools.
    """
    if connection.vendor == "postgresql":
        sql, params = lateral_mark_counts(terms, last)
    else:
        sql, params = density_mark_counts(terms, last).query.sql_with_params()
    q = connection.ops.quote_name
    school, grade, hours = (
        q("lesson__school_id"),
        q("lesson__school_class__grade"),
        q("lesson__assignment__hours_per_week"),
    )
    key = f"p.{q(by)}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key}, COUNT(*) FROM ({sql}) p "  # noqa: S608 - column aliases and the rules' numbers only
            f"JOIN (VALUES {density_norms(terms, rules)}) r ON r.column1 = p.{school} AND r.column2 = p.{grade} "
            f"WHERE p.n >= CASE WHEN r.column3 > 0 THEN r.column3 WHEN p.{hours} <= r.column4 THEN r.column5 "
            f"ELSE r.column6 END GROUP BY {key}",
            params,
        )
        return dict(cursor.fetchall())


def lateral_mark_counts(terms: list[Term], last: dt.date) -> tuple[str, list]:
    """`density_mark_counts` on PostgreSQL with the marks read per lesson (a LATERAL subquery kept apart by
    OFFSET 0): from the terms' lessons (their (school, date) index) into the marks' (lesson, student) index, index
    only. Left to itself the planner hashed the lessons and read the whole `journal_mark` (54 M rows, 6.5 GB for
    the city) once per district."""
    q = connection.ops.quote_name
    lessons, marks = q(Lesson._meta.db_table), q(Mark._meta.db_table)
    classes, assignments = q(SchoolClass._meta.db_table), q(TeachingAssignment._meta.db_table)
    scope, params = [], []
    for t in terms:
        scope.append("(l.school_id = %s AND l.date >= %s AND l.date <= %s AND c.grade >= %s AND c.grade <= %s)")
        params += [t.school_id, t.starts_on, min(t.ends_on, last), t.min_grade, t.max_grade]
    names = [q(n) for n in ("lesson__school_id", "student_id", "lesson__assignment_id",
                            "lesson__assignment__hours_per_week", "lesson__assignment__teacher_id",
                            "lesson__school_class__grade")]  # fmt: skip
    columns = ("l.school_id", "m.student_id", "l.assignment_id", "a.hours_per_week", "a.teacher_id", "c.grade")
    select = ", ".join(f"{c} AS {n}" for c, n in zip(columns, names, strict=True))
    sql = (
        f"SELECT {select}, COUNT(*) AS n FROM {lessons} l "  # noqa: S608 - table names from the models
        f"JOIN {classes} c ON c.id = l.school_class_id "
        f"LEFT JOIN {assignments} a ON a.id = l.assignment_id "
        f"CROSS JOIN LATERAL (SELECT mk.student_id FROM {marks} mk WHERE mk.lesson_id = l.id OFFSET 0) m "
        f"WHERE l.status IN (%s, %s) AND ({' OR '.join(scope)}) "
        f"GROUP BY {', '.join(columns)}"
    )
    return sql, [*HELD, *params]


def density_mark_counts(terms: list[Term], last: dt.date):
    """Marks so far per (school, student, assignment) in the given terms: one grouped query.

    Only the lesson's columns are filtered and only the index's (lesson, student) of the mark are read, so the
    plan goes from the terms' lessons (their (school, date) index) to the marks' index without their rows.
    """
    scope = Q(pk__in=[])
    for t in terms:
        scope |= Q(lesson__school_id=t.school_id, lesson__date__gte=t.starts_on,
                   lesson__date__lte=min(t.ends_on, last), lesson__school_class__grade__gte=t.min_grade,
                   lesson__school_class__grade__lte=t.max_grade)  # fmt: skip
    return (
        Mark.objects.filter(scope, lesson__status__in=HELD)
        .order_by()
        .values(
            "lesson__school_id",
            "student_id",
            "lesson__assignment_id",
            "lesson__assignment__hours_per_week",
            "lesson__assignment__teacher_id",
            "lesson__school_class__grade",
        )
        .annotate(n=Count("*"))
    )


def density_mark_rows(terms: list[Term], last: dt.date) -> list[dict]:
    """The rows of `density_mark_counts`, read on PostgreSQL by the lateral plan (`lateral_mark_counts`): the
    grouped ORM query let the planner hash a school's lessons and read all of `journal_mark` (9.6 s for one
    school's term on the city year)."""
    if connection.vendor != "postgresql":
        return list(density_mark_counts(terms, last))
    sql, params = lateral_mark_counts(terms, last)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def density_mark_pairs(terms: list[Term], last: dt.date) -> dict[tuple[int, int], int]:
    """Marks so far per (student, assignment) of `density_mark_rows`, read as tuples (a school's term is ~10^5
    rows: no dict per row)."""
    if connection.vendor != "postgresql":
        return {(r["student_id"], r["lesson__assignment_id"]): r["n"] for r in density_mark_counts(terms, last)}
    sql, params = lateral_mark_counts(terms, last)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(student, assignment): n for _s, student, assignment, _h, _t, _g, n in cursor.fetchall()}


def density_pairs(terms: list[Term], last: dt.date, by: str = "school_id") -> dict[int, int]:
    """Students × subjects to be marked: class-wide assignments × enrolled students, subgroup ones × members."""
    grades = Q(pk__in=[])
    for t in terms:
        grades |= Q(school_id=t.school_id, school_class__grade__gte=t.min_grade, school_class__grade__lte=t.max_grade)
    assignments = TeachingAssignment.objects.filter(grades, starts_on__lte=last).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=last)
    )
    enrolled = Q(school_class__enrolments__starts_on__lte=last) & (
        Q(school_class__enrolments__ends_on__isnull=True) | Q(school_class__enrolments__ends_on__gte=last)
    )
    members = Q(subgroup__memberships__starts_on__lte=last) & (
        Q(subgroup__memberships__ends_on__isnull=True) | Q(subgroup__memberships__ends_on__gte=last)
    )
    whole = (
        assignments.filter(subgroup__isnull=True)
        .values(by)
        .annotate(n=Count("school_class__enrolments", filter=enrolled))
    )
    parts = (
        assignments.filter(subgroup__isnull=False).values(by).annotate(n=Count("subgroup__memberships", filter=members))
    )
    out: dict[int, int] = defaultdict(int)
    for row in [*whole, *parts]:
        out[row[by]] += row["n"]
    return out
