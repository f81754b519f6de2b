"""The month's marks and the term's density of many schools in one pass over the marks (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection

from ejournal.curriculum.models import TeachingAssignment
from ejournal.journal.models import Mark
from ejournal.schools.models import SchoolClass, Term
from ejournal.timetable.models import Lesson

from .density import density_by, density_norms, density_pairs, density_terms
from .lessons import HELD, month_lessons
from .marks import late_marks, lesson_marks


def marks_and_density(ids: list[int], first: dt.date, last: dt.date, rules) -> tuple[dict[int, dict], dict]:
    """The month's marks and late marks, and the density's (pairs meeting the norm, all pairs), per school.

    On PostgreSQL the month's marks and the term's are read in one pass (`_lateral_marks_and_density`), the late
    ones counted apart; elsewhere `lesson_marks` and `density_by`, the same figures."""
    terms = density_terms(ids, first, last)
    if connection.vendor != "postgresql" or not terms:
        return lesson_marks(month_lessons(ids, first, last)), density_by(ids, first, last, rules, terms=terms)
    counts, met = _lateral_marks_and_density(ids, first, last, terms, rules)
    late = late_marks(month_lessons(ids, first, last))
    pairs = density_pairs(terms, last)
    marks = {sid: {"n": counts.get(sid, 0), "late": late.get(sid, 0)} for sid in ids}
    return marks, {sid: (met.get(sid, 0), n) for sid, n in pairs.items()}


def _lateral_marks_and_density(ids, first, last, terms: list[Term], rules) -> tuple[dict[int, int], dict[int, int]]:
    """Marks of the month's lessons and pairs meeting the density norm per school, in one pass (PostgreSQL).

    Each school's lessons from the latest start of its terms (or the month's first day, if earlier) are read
    once through their (school, date) index, and the grades whose terms started before that (10th–11th grades'
    half-years beside quarters) from their own start class by class through the (class, date) index — not every
    grade of the school from September (a lesson's school is its class's). A lesson is of the month by its date,
    of the density when held and within a term of its school and grade (a join on merged date spans per (school,
    grade), not an OR per term evaluated on every row). The lessons are gathered per (school, grade, assignment)
    into three arrays of ids — the term's before the month, the term's in the month, the month's outside a term
    — and each assignment's marks are read once from the marks' (lesson, student) index alone (`lesson_id =
    ANY(...)`, index only) and counted per student there: the month's marks are the reads of its two arrays, the
    norm is met or not per assignment in a small hash over the term's two. One pass over the term's ~10^7 index
    entries for the city without sorting or hashing them all by (school, grade, assignment, student) (that
    statement took 9.3–9.6 s of the city's 10 s in December). The assignment's hours and the norm are joined
    per assignment, not per mark."""
    q = connection.ops.quote_name
    lessons, marks = q(Lesson._meta.db_table), q(Mark._meta.db_table)
    classes, assignments = q(SchoolClass._meta.db_table), q(TeachingAssignment._meta.db_table)
    scope, early = _scope_values(ids, first, terms)
    sql = (
        f"WITH scope (school_id, lo) AS (VALUES {scope}), early (school_id, grade, lo, hi) AS ({early}), "  # noqa: S608 - numbers, dates and table names only
        f"spans (school_id, grade, starts, ends) AS (VALUES {_span_values(terms, last)}), "
        f"lr AS (SELECT l.id, l.school_id, c.grade, l.assignment_id, l.date, l.status FROM scope s "
        f"JOIN {lessons} l ON l.school_id = s.school_id AND l.date >= s.lo AND l.date <= %s "
        f"JOIN {classes} c ON c.id = l.school_class_id UNION ALL "
        f"SELECT l.id, l.school_id, c.grade, l.assignment_id, l.date, l.status FROM early e "
        f"JOIN {classes} c ON c.school_id = e.school_id AND c.grade = e.grade "
        f"JOIN {lessons} l ON l.school_class_id = c.id AND l.date >= e.lo AND l.date < e.hi AND l.school_id = e.school_id), "
        f"ls AS (SELECT lr.id, lr.school_id, lr.grade, lr.assignment_id, lr.date >= %s AS in_month, "
        f"(lr.status IN (%s, %s) AND sp.school_id IS NOT NULL) AS in_term FROM lr "
        f"LEFT JOIN spans sp ON sp.school_id = lr.school_id AND sp.grade = lr.grade "
        f"AND lr.date >= sp.starts AND lr.date <= sp.ends), "
        f"g AS (SELECT ls.school_id, ls.grade, ls.assignment_id, "
        f"ARRAY_AGG(ls.id) FILTER (WHERE ls.in_term AND NOT ls.in_month) AS term_before, "
        f"ARRAY_AGG(ls.id) FILTER (WHERE ls.in_term AND ls.in_month) AS term_month, "
        f"ARRAY_AGG(ls.id) FILTER (WHERE ls.in_month AND NOT ls.in_term) AS month FROM ls "
        f"WHERE ls.in_month OR ls.in_term GROUP BY ls.school_id, ls.grade, ls.assignment_id) "
        f"SELECT g.school_id, SUM(tn.m), SUM(tn.met) FROM g LEFT JOIN {assignments} a ON a.id = g.assignment_id "
        f"LEFT JOIN (VALUES {density_norms(terms, rules)}) r ON r.column1 = g.school_id AND r.column2 = g.grade "
        f"CROSS JOIN LATERAL (SELECT COUNT(*) FILTER (WHERE s.n > 0 AND s.n >= CASE WHEN r.column3 > 0 THEN r.column3 "
        f"WHEN a.hours_per_week <= r.column4 THEN r.column5 ELSE r.column6 END) AS met, COALESCE(SUM(s.m), 0) AS m "
        f"FROM (SELECT COUNT(*) FILTER (WHERE u.k < 2) AS n, COUNT(*) FILTER (WHERE u.k > 0) AS m FROM ("
        f"SELECT mk.student_id, 0 AS k FROM {marks} mk WHERE mk.lesson_id = ANY(g.term_before) UNION ALL "
        f"SELECT mk.student_id, 1 FROM {marks} mk WHERE mk.lesson_id = ANY(g.term_month) UNION ALL "
        f"SELECT mk.student_id, 2 FROM {marks} mk WHERE mk.lesson_id = ANY(g.month)) u "
        f"GROUP BY u.student_id) s) tn GROUP BY g.school_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [last, first, *HELD])
        rows = cursor.fetchall()
    return {sid: int(n) for sid, n, _met in rows}, {sid: int(met) for sid, _n, met in rows}


def _scope_values(ids: list[int], first: dt.date, terms: list[Term]) -> tuple[str, str]:
    """The days read, as SQL: (school, first day) VALUES for all its classes — the month's first day, or the
    latest start of its terms if earlier — and a query of (school, grade, first day, day before which) for the
    grades whose terms started before that (a school's half-years beside its quarters), read class by class."""
    latest: dict[int, dt.date] = {}
    for t in terms:
        latest[t.school_id] = max(latest.get(t.school_id, t.starts_on), t.starts_on)
    common = {sid: min(first, latest.get(sid, first)) for sid in ids}
    grade_lo: dict[tuple[int, int], dt.date] = {}
    for t in terms:
        for grade in range(t.min_grade, t.max_grade + 1):
            key = (t.school_id, grade)
            grade_lo[key] = min(grade_lo.get(key, first), t.starts_on)
    early = [(sid, grade, day) for (sid, grade), day in grade_lo.items() if day < common[sid]]
    scope = ", ".join(f"({int(sid)}, DATE '{day.isoformat()}')" for sid, day in common.items())
    if not early:
        return scope, "SELECT NULL::bigint, NULL::integer, NULL::date, NULL::date WHERE false"
    rows = (f"({int(sid)}, {int(grade)}, DATE '{day.isoformat()}', DATE '{common[sid].isoformat()}')"
            for sid, grade, day in early)  # fmt: skip
    return scope, f"VALUES {', '.join(rows)}"


def _span_values(terms: list[Term], last: dt.date) -> str:
    """(school, grade, first day, last day) as SQL VALUES: the days of the terms per school and grade up to
    `last`, overlapping or touching terms merged so that a lesson falls in one span at most."""
    days: dict[tuple[int, int], list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for t in terms:
        for grade in range(t.min_grade, t.max_grade + 1):
            days[(t.school_id, grade)].append((t.starts_on, min(t.ends_on, last)))
    rows = []
    for (sid, grade), spans in days.items():
        merged: list[list[dt.date]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1] + dt.timedelta(days=1):
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        rows += [f"({int(sid)}, {int(grade)}, DATE '{a.isoformat()}', DATE '{b.isoformat()}')" for a, b in merged]
    return ", ".join(rows)
