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

    Each school's lessons from its earliest term's start (or the month's) are read once through their
    (school, date) index; a lesson is of the month by its date, of the density when held and within a term
    of its school and grade (a join on merged date spans per (school, grade), not an OR per term evaluated on
    every row). The lessons are gathered per (school, grade, assignment) into two arrays of ids (of the month, of
    the term) and each assignment's marks are read from the marks' (lesson, student) index alone (`lesson_id =
    ANY(...)`, index only) and counted per student there, so the norm is met or not per assignment in a small
    hash: one pass over the term's ~10^7 index entries for the city without sorting or hashing them all by
    (school, grade, assignment, student) (that statement took 9.3–9.6 s of the city's 10 s in December). The
    assignment's hours and the norm are joined per assignment, not per mark."""
    q = connection.ops.quote_name
    lessons, marks = q(Lesson._meta.db_table), q(Mark._meta.db_table)
    classes, assignments = q(SchoolClass._meta.db_table), q(TeachingAssignment._meta.db_table)
    sql = (
        f"WITH scope (school_id, lo) AS (VALUES {_scope_values(ids, first, terms)}), "  # noqa: S608 - numbers, dates and table names only
        f"spans (school_id, grade, starts, ends) AS (VALUES {_span_values(terms, last)}), "
        f"ls AS (SELECT l.id, l.school_id, c.grade, l.assignment_id, l.date >= %s AS in_month, "
        f"(l.status IN (%s, %s) AND sp.school_id IS NOT NULL) AS in_term FROM scope s "
        f"JOIN {lessons} l ON l.school_id = s.school_id AND l.date >= s.lo AND l.date <= %s "
        f"JOIN {classes} c ON c.id = l.school_class_id "
        f"LEFT JOIN spans sp ON sp.school_id = l.school_id AND sp.grade = c.grade "
        f"AND l.date >= sp.starts AND l.date <= sp.ends), "
        f"g AS (SELECT ls.school_id, ls.grade, ls.assignment_id, ARRAY_AGG(ls.id) FILTER (WHERE ls.in_month) AS month, "
        f"ARRAY_AGG(ls.id) FILTER (WHERE ls.in_term) AS term FROM ls WHERE ls.in_month OR ls.in_term "
        f"GROUP BY ls.school_id, ls.grade, ls.assignment_id) "
        f"SELECT g.school_id, SUM(mn.n), SUM(tn.met) FROM g LEFT JOIN {assignments} a ON a.id = g.assignment_id "
        f"LEFT JOIN (VALUES {density_norms(terms, rules)}) r ON r.column1 = g.school_id AND r.column2 = g.grade "
        f"CROSS JOIN LATERAL (SELECT COUNT(*) AS n FROM {marks} mk WHERE mk.lesson_id = ANY(g.month)) mn "
        f"CROSS JOIN LATERAL (SELECT COUNT(*) FILTER (WHERE s.n >= CASE WHEN r.column3 > 0 THEN r.column3 "
        f"WHEN a.hours_per_week <= r.column4 THEN r.column5 ELSE r.column6 END) AS met FROM (SELECT COUNT(*) AS n "
        f"FROM {marks} mk WHERE mk.lesson_id = ANY(g.term) GROUP BY mk.student_id) s) tn "
        f"GROUP BY g.school_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, *HELD, last])
        rows = cursor.fetchall()
    return {sid: int(n) for sid, n, _met in rows}, {sid: int(met) for sid, _n, met in rows}


def _scope_values(ids: list[int], first: dt.date, terms: list[Term]) -> str:
    """(school, first day read) as SQL VALUES: the month's first day, or its earliest term's start if earlier."""
    lo = dict.fromkeys(ids, first)
    for t in terms:
        lo[t.school_id] = min(lo[t.school_id], t.starts_on)
    return ", ".join(f"({int(sid)}, DATE '{day.isoformat()}')" for sid, day in lo.items())


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
