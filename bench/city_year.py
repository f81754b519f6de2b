"""Benchmark data: the whole demo city with a full school year of journal data (about 60 million marks).

    .venv/bin/python bench/city_year.py                 # 120 schools, 200,000 students, the whole year
    .venv/bin/python bench/city_year.py --schools 4 --students 3000 --database ejournal_benchsmoke   # smoke run
    .venv/bin/python bench/city_year.py --resume        # finish a build that was stopped after its lessons

Drops and creates the database `ejournal_benchcity` (server from BENCH_PG), migrates it, and builds
the city with the code of `manage.py demo_city --city` (`CITY_STEPS`), committing school by school
for the big steps so that no transaction holds tens of millions of rows:

1. network, calendar, people, curriculum and weekly timetables in one transaction;
2. each school's dated lessons of the year (`lessons_generate`, one transaction a school);
3. the journal of the first `--journal-schools` schools up to today by the demo generator
   (`school_journal_build`: topics, homework, attendance, marks of typical distributions, term
   marks and closures), one transaction a school. It writes ~3,000–9,000 marks/s on this machine,
   so the whole city's year through it would take hours;
4. the volume of the rest, set-based (`INSERT … SELECT` a school, with the tables' secondary
   indexes dropped and rebuilt after, and their foreign-key triggers paused — the rows are drawn
   from existing lessons, enrolments and kinds of work, so they hold by construction): marks of
   every whole-class lesson of the year after today for the generated schools and of the whole
   year for the others (each enrolled student marked with probability 0.33, about 1.7 marks a
   school day, values 5/4/3/2 as 30/45/20/5 %), for the others also absences (3 % of
   student-lessons up to today) and a topic on every lesson held.

Lessons after today carry marks, so the tables have their end-of-year size (about 60 million marks)
while "today" and the current term stay real: the load benchmarks (`journal_load.py --skip-build
--database ejournal_benchcity`, `diary_load.py`, `city_report.py`) write into the empty cells of
today's lessons. Prints the time of each stage, rows per table and the database size; writes JSON
under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import RESULTS, database_recreate, database_size, django_setup, table_rows

MARK_COLUMNS = (
    "value, symbol, weight, comment, created_at, updated_at, version, client_token, "
    "created_by_id, lesson_id, school_id, student_id, work_type_id"
)
# The held whole-class lessons of one school in a date range, with each student enrolled that day.
CELLS = """
FROM timetable_lesson l
JOIN people_enrolment e ON e.school_class_id = l.school_class_id AND e.starts_on <= l.date
     AND (e.ends_on IS NULL OR e.ends_on >= l.date)
WHERE l.school_id = %(school)s AND l.date > %(after)s AND l.date <= %(until)s
  AND l.subgroup_id IS NULL AND l.status IN ('scheduled', 'extra')
"""
FILL_MARKS = f"""
INSERT INTO journal_mark ({MARK_COLUMNS})
SELECT (ARRAY[5,5,5,5,5,5,4,4,4,4,4,4,4,4,4,3,3,3,3,2])[1 + floor(random() * 20)::int],
       '', wt.weight, '', l.date + time '15:00', l.date + time '15:00', 1, NULL,
       l.teacher_id, l.id, l.school_id, e.student_id, wt.id
{CELLS.replace("WHERE", "JOIN journal_worktype wt ON wt.school_id = l.school_id AND wt.code = 'answer' WHERE")}
  AND random() < 0.33
"""
FILL_ABSENCES = f"""
INSERT INTO journal_attendance (code, late_minutes, reason_note, reason_set_at, updated_at, version,
                                created_by_id, reason_set_by_id, lesson_id, school_id, student_id)
SELECT 'н', NULL, '', NULL, l.date + time '15:00', 1, l.teacher_id, NULL, l.id, l.school_id, e.student_id
{CELLS}
  AND random() < 0.03
ON CONFLICT DO NOTHING
"""
FILL_TOPICS = """
UPDATE timetable_lesson SET topic = 'Урок ' || lesson_number || ': тема по плану', has_records = true
WHERE school_id = %(school)s AND date > %(after)s AND date <= %(until)s AND status IN ('scheduled', 'extra')
"""
FILLED_TABLES = ("journal_mark", "journal_attendance")
FILLED = """
SELECT EXISTS (SELECT 1 FROM timetable_lesson l WHERE l.school_id = %(school)s AND l.date > %(after)s
               AND EXISTS (SELECT 1 FROM journal_mark m WHERE m.lesson_id = l.id))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--schools", type=int, default=120)
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--journal-schools", type=int, default=14, help="schools whose journal the generator writes")
    parser.add_argument("--seed", type=int, default=271)
    parser.add_argument("--resume", action="store_true", help="keep the database; generate what is missing")
    args = parser.parse_args()

    timings: dict[str, float] = {}

    def timed(name: str, seconds: float) -> None:
        timings[name] = round(seconds, 2)
        print(f"  {name:<48} {seconds:8.1f} s", flush=True)

    started = time.perf_counter()
    t = time.perf_counter()
    if not args.resume:
        database_recreate(args.server, args.database)
    django_setup(f"{args.server}/{args.database}")
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from ejournal.demo.builder import CITY_STEPS, CityPlan, city_build, lessons_generate_all
    from ejournal.demo.bulk import BulkWriter, sequences_reset
    from ejournal.demo.journal import school_journal_build
    from ejournal.journal.models import Mark
    from ejournal.journal.services.setup import work_types_ensure
    from ejournal.schools.models import AcademicYear, School
    from ejournal.timetable.models import Lesson

    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    timed("create + migrate", time.perf_counter() - t)

    plan = CityPlan(schools=args.schools, students=args.students, seed=args.seed, password="demo12345")
    if not args.resume:
        steps = [step for step in CITY_STEPS if step.name not in ("lessons", "journal")]
        t = time.perf_counter()
        city_build(plan, steps=steps, on_step=lambda name, s: timed(f"demo: {name}", s))
        timed("city without lessons", time.perf_counter() - t)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    school_ids = list(School.objects.order_by("pk").values_list("pk", flat=True))
    year = AcademicYear.objects.get(is_current=True)
    today = timezone.localdate()

    t = time.perf_counter()
    with_lessons = set(Lesson.objects.order_by().values_list("school_id", flat=True).distinct())
    todo = [pk for pk in school_ids if pk not in with_lessons]
    lessons = 0
    for i, school_id in enumerate(todo, start=1):
        lessons += lessons_generate_all([_Roster(school_id, _deputy(school_id))])
        if i % 20 == 0 or i == len(todo):
            print(f"    lessons: {i:>4} schools {lessons:>12,} rows {time.perf_counter() - t:8.1f} s", flush=True)
    timed("lessons (one transaction a school)", time.perf_counter() - t)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timetable_lesson")

    t = time.perf_counter()
    journaled = set(Mark.objects.order_by().values_list("school_id", flat=True).distinct())
    generated = school_ids[: args.journal_schools]
    for index, school_id in enumerate(generated):
        if school_id in journaled:
            continue
        writer = BulkWriter()
        rng = random.Random(plan.seed * 5_000_011 + index)
        with transaction.atomic():
            school_journal_build(writer, school_id=school_id, year_id=year.pk, today=today, rng=rng)
            writer.flush()
        print(f"    journal: school {index + 1:>4} {time.perf_counter() - t:8.1f} s", flush=True)
    sequences_reset(list(apps.get_app_config("journal").get_models()))
    timed("journal up to today by the generator", time.perf_counter() - t)

    t = time.perf_counter()
    for school in School.objects.all():
        work_types_ensure(school)  # the kinds of work the fill's marks refer to (the generator ensures its own)
    filled = _fill(connection, transaction, school_ids, set(generated), today, year.ends_on)
    timed("the rest of the year's volume (set-based)", time.perf_counter() - t)

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timed("analyze", time.perf_counter() - t)
    timed("total", time.perf_counter() - started)

    rows = table_rows()
    size = database_size(args.database)
    print(f"  rows: {sum(rows.values()):,} in all; marks {rows.get('journal_mark', 0):,}; "
          f"database {size / 2**30:.1f} GiB", flush=True)  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"city_year-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(
        json.dumps(
            {
                "args": vars(args),
                "today": today.isoformat(),
                "until": year.ends_on.isoformat(),
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                "timings_s": timings,
                "filled": filled,
                "rows": rows,
                "database_bytes": size,
            },
            indent=2,
        )
    )
    print(f"  result: {out.relative_to(RESULTS.parent.parent)}")
    return 0


class _Roster:
    """What `lessons_generate_all` reads of a roster."""

    def __init__(self, school_id: int, deputy_id: int) -> None:
        self.school_id, self.deputy_id = school_id, deputy_id


def _deputy(school_id: int) -> int:
    from ejournal.access.roles import Role
    from ejournal.people.models import RoleAssignment

    return RoleAssignment.objects.filter(school_id=school_id, role=Role.DEPUTY_HEAD).values_list("user_id", flat=True)[
        0
    ]


def _fill(connection, transaction, school_ids: list[int], generated: set[int], today, until) -> dict[str, int]:
    """Marks (and, for schools without the generator's journal, absences and topics) set-based."""
    filled = {"marks": 0, "absences": 0, "topics": 0}
    with connection.cursor() as cursor:
        done = set()  # schools already filled by an earlier, stopped run
        for school_id in school_ids:
            cursor.execute(FILLED, {"school": school_id, "after": today})
            if cursor.fetchone()[0]:
                done.add(school_id)
        school_ids = [pk for pk in school_ids if pk not in done]
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
            [list(FILLED_TABLES)],
        )  # secondary indexes only: those behind a primary key or unique constraint stay
        indexes = cursor.fetchall()
        cursor.execute("SET maintenance_work_mem = '2GB'")
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        for table in FILLED_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    started = time.perf_counter()
    try:
        for i, school_id in enumerate(school_ids, start=1):
            whole_year = school_id not in generated
            start = (today - dt.timedelta(days=400)) if whole_year else today
            past = {"school": school_id, "after": start, "until": today}
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(FILL_MARKS, {"school": school_id, "after": start, "until": until})
                filled["marks"] += cursor.rowcount
                if whole_year:
                    cursor.execute(FILL_ABSENCES, past)
                    filled["absences"] += cursor.rowcount
                    cursor.execute(FILL_TOPICS, past)
                    filled["topics"] += cursor.rowcount
            if i % 20 == 0 or i == len(school_ids):
                print(f"    fill: {i:>4} schools {filled['marks']:>12,} marks {time.perf_counter() - started:8.1f} s",
                      flush=True)  # fmt: skip
    finally:
        with connection.cursor() as cursor:
            for table in FILLED_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
            index_started = time.perf_counter()
            for _, definition in indexes:
                cursor.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS").replace(
                    "CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS"))  # fmt: skip
            print(f"    indexes rebuilt in {time.perf_counter() - index_started:.1f} s", flush=True)
    return filled


if __name__ == "__main__":
    sys.exit(main())
