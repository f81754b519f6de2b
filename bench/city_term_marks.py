"""Benchmark data: confirmed term marks of the finished terms for every school of a city year, set-based.

    .venv/bin/python bench/city_term_marks.py                                   # ejournal_benchcity
    .venv/bin/python bench/city_term_marks.py --database ejournal_benchsmoke    # a smoke build of city_year.py

`bench/city_year.py` writes the term marks (and the term's closure) of the schools whose journal the demo
generator writes (the first 14); the other schools get their year's marks set-based and no term marks, so
the city's term figures (`reports.selectors.city_term_figures`) counted 14 schools of 120. This step gives
every school's finished terms (ended before today) the term marks the generator would confirm, from the
marks already in the database: per (student, class, subject, term) of the marks of the held lessons of the
term's grades between its first and last day, the weighted average Σ(value × weight) / Σ weight rounded
half-up to the school's `average_decimals`, the suggestion by the school's thresholds (`suggest`; «н/а»
without a numeric mark), confirmed as suggested by the teacher of the pair's last lesson at 15:10 of the
term's last day; and a closure of the term for the whole school by its first deputy head at 09:00 — both as
`ejournal.demo.journal` writes them (year marks come only after a grade's last term, none mid-year).

One INSERT … SELECT per school (its own transaction): the term's lessons through their (school, date) index,
each lesson's marks from the marks' (lesson, …) index (a LATERAL subquery), grouped in the database; no mark
reaches Python. Idempotent: a term that already has term marks (the generator's 14 schools, or an earlier
run) is left alone, a closure that exists is kept; a second run writes nothing. Then ANALYZE of the tables.
Writes to the database (benchmark data only); prints rows written per school group and the time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import django_setup

# %(school)s, %(today)s, %(tz)s, %(decimals)s; {suggest}: the CASE of the school's thresholds (numbers only).
TERM_MARKS = """
WITH terms AS (
    SELECT t.id, t.year_id, t.starts_on, t.ends_on, t.min_grade, t.max_grade FROM schools_term t
    WHERE t.school_id = %(school)s AND t.ends_on < %(today)s
      AND NOT EXISTS (SELECT 1 FROM journal_periodmark p WHERE p.term_id = t.id AND p.kind = 'term')
),
pairs AS (
    SELECT t.id AS term_id, t.year_id, t.ends_on, m.student_id, l.school_class_id, l.subject_id,
           round(sum(m.value * m.weight) FILTER (WHERE m.value IS NOT NULL)
                 / NULLIF(sum(m.weight) FILTER (WHERE m.value IS NOT NULL), 0), %(decimals)s) AS average,
           (array_agg(l.teacher_id ORDER BY l.date DESC, l.lesson_number DESC, l.id DESC))[1] AS teacher_id
    FROM terms t
    JOIN timetable_lesson l ON l.school_id = %(school)s AND l.date >= t.starts_on AND l.date <= t.ends_on
         AND l.status IN ('scheduled', 'extra')
    JOIN schools_schoolclass c ON c.id = l.school_class_id AND c.grade >= t.min_grade AND c.grade <= t.max_grade
    CROSS JOIN LATERAL (SELECT mk.student_id, mk.value, mk.weight FROM journal_mark mk
                        WHERE mk.lesson_id = l.id OFFSET 0) m
    GROUP BY t.id, t.year_id, t.ends_on, m.student_id, l.school_class_id, l.subject_id
),
valued AS (
    SELECT p.*, CASE WHEN p.average IS NULL THEN 'н/а' {suggest} END AS value FROM pairs p
)
INSERT INTO journal_periodmark (school_id, year_id, student_id, school_class_id, subject_id, term_id, kind, value,
                                suggested, average, confirmed_by_id, confirmed_at, version)
SELECT %(school)s, v.year_id, v.student_id, v.school_class_id, v.subject_id, v.term_id, 'term', v.value, v.value,
       v.average, v.teacher_id, (v.ends_on + time '15:10') AT TIME ZONE %(tz)s, 1
FROM valued v
ON CONFLICT DO NOTHING
"""
CLOSURES = """
INSERT INTO journal_termclosure (school_id, term_id, school_class_id, closed_by_id, closed_at)
SELECT %(school)s, t.id, NULL, %(closer)s, (t.ends_on + time '09:00') AT TIME ZONE %(tz)s FROM schools_term t
WHERE t.school_id = %(school)s AND t.ends_on < %(today)s
  AND NOT EXISTS (SELECT 1 FROM journal_termclosure x WHERE x.term_id = t.id AND x.school_class_id IS NULL)
"""


def suggest_case(rules) -> str:
    """`averages.suggest` as SQL: the thresholds in order, then the floor (the Regulation's numbers, as literals)."""
    from decimal import Decimal

    parts = [f"WHEN p.average >= {Decimal(limit)} THEN '{int(mark)}'" for limit, mark in rules.suggestion_thresholds]
    return " ".join([*parts, f"ELSE '{int(rules.suggestion_floor)}'"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    args = parser.parse_args()
    django_setup(f"{args.server}/{args.database}")
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from ejournal.access.roles import Role
    from ejournal.journal.rules import rules_for
    from ejournal.people.models import RoleAssignment
    from ejournal.schools.models import School

    today = timezone.localdate()
    started = time.perf_counter()
    written = {"term_marks": 0, "closures": 0, "schools_with_new_marks": 0}
    schools = list(School.objects.order_by("pk"))
    closers = dict(
        RoleAssignment.objects.filter(role=Role.DEPUTY_HEAD, school__isnull=False)
        .order_by("-pk")
        .values_list("school_id", "user_id")
    )  # the first deputy head of each school (the later rows are overwritten by the earlier ones)
    for i, school in enumerate(schools, start=1):
        rules = rules_for(school)
        params = {"school": school.pk, "today": today, "tz": settings.TIME_ZONE, "decimals": rules.average_decimals,
                  "closer": closers.get(school.pk)}  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(TERM_MARKS.format(suggest=suggest_case(rules)), params)
            written["term_marks"] += cursor.rowcount
            written["schools_with_new_marks"] += cursor.rowcount > 0
            if params["closer"] is not None:
                cursor.execute(CLOSURES, params)
                written["closures"] += cursor.rowcount
        if i % 20 == 0 or i == len(schools):
            print(f"  {i:>4} schools: {written['term_marks']:>10,} term marks, {written['closures']} closures, "
                  f"{time.perf_counter() - started:7.1f} s", flush=True)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE journal_periodmark")
        cursor.execute("ANALYZE journal_termclosure")
        cursor.execute("SELECT count(DISTINCT school_id), count(*) FROM journal_periodmark WHERE kind = 'term'")
        with_marks, total = cursor.fetchone()
    print(f"  {args.database}: {written['term_marks']:,} term marks written in {written['schools_with_new_marks']} "
          f"schools, {written['closures']} closures; {time.perf_counter() - started:.1f} s; now {total:,} term marks "
          f"in {with_marks} of {len(schools)} schools (today {today})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
