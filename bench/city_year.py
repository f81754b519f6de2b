"""Benchmark data: the whole demo city with a full school year of journal data (about 60 million marks).

    .venv/bin/python bench/city_year.py                 # 120 schools, 200,000 students, the whole year
    .venv/bin/python bench/city_year.py --schools 4 --students 3000 --database ejournal_benchsmoke   # smoke run

Drops and creates the database `ejournal_benchcity` (server from BENCH_PG), migrates it, builds the
city with the code of `manage.py demo_city --city` (`CITY_STEPS`) but commits school by school for
the two big steps, so no single transaction holds tens of millions of rows:

1. network, calendar, people, curriculum and weekly timetables in one transaction;
2. each school's dated lessons of the year (`lessons_generate`, one transaction a school);
3. each school's journal up to today by the demo generator (`school_journal_build`: topics,
   homework, attendance, marks of typical distributions, term marks and closures), one
   transaction a school;
4. the marks of the rest of the year (tomorrow to the end of May) by one set-based `INSERT …
   SELECT` a school (`--fill`, on by default): whole-class lessons, each enrolled student marked
   with the probability that gives the generator's density, values 5/4/3/2 in its proportions.
   The generator runs at ~9,000 marks/s here, so the whole year through it would take two hours;
   the fill only gives the tables their end-of-year volume (about 60 million marks).

Lessons after today carry marks, so the tables have their end-of-year size while "today" and
the current term stay real: the load benchmarks (`journal_load.py --skip-build --database …`,
`diary_load.py`, `city_report.py`) write into the empty cells of today's lessons. Prints the time of
each stage, rows per table and the database size; writes JSON under bench/results/.
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

# About 1.7 marks a student a school day over ~6 lessons a day; values 5/4/3/2 as the generator draws them.
FILL_SQL = """
INSERT INTO journal_mark (value, symbol, weight, comment, created_at, updated_at, version, client_token,
                          created_by_id, lesson_id, school_id, student_id, work_type_id)
SELECT (ARRAY[5,5,5,5,5,5,4,4,4,4,4,4,4,4,4,3,3,3,3,2])[1 + floor(random() * 20)::int],
       '', wt.weight, '', l.date + time '15:00', l.date + time '15:00', 1, NULL,
       l.teacher_id, l.id, l.school_id, e.student_id, wt.id
FROM (SELECT l.* FROM timetable_lesson l
      WHERE l.school_id = %(school)s AND l.date > %(after)s AND l.date <= %(until)s
        AND l.subgroup_id IS NULL AND l.status IN ('scheduled', 'extra')) AS l
JOIN people_enrolment e ON e.school_class_id = l.school_class_id AND e.starts_on <= l.date
     AND (e.ends_on IS NULL OR e.ends_on >= l.date)
JOIN journal_worktype wt ON wt.school_id = l.school_id AND wt.code = 'answer'
WHERE random() < 0.33
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--schools", type=int, default=120)
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=271)
    parser.add_argument("--no-fill", dest="fill", action="store_false", help="marks up to today only")
    args = parser.parse_args()

    timings: dict[str, float] = {}

    def timed(name: str, seconds: float) -> None:
        timings[name] = round(seconds, 2)
        print(f"  {name:<44} {seconds:8.1f} s", flush=True)

    started = time.perf_counter()
    t = time.perf_counter()
    database_recreate(args.server, args.database)
    django_setup(f"{args.server}/{args.database}")
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from ejournal.demo.builder import CITY_STEPS, CityPlan, city_build, lessons_generate_all
    from ejournal.demo.bulk import BulkWriter, sequences_reset
    from ejournal.demo.journal import school_journal_build
    from ejournal.schools.models import AcademicYear

    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    timed("create + migrate", time.perf_counter() - t)

    plan = CityPlan(schools=args.schools, students=args.students, seed=args.seed, password="demo12345")
    steps = [step for step in CITY_STEPS if step.name not in ("lessons", "journal")]
    t = time.perf_counter()
    ctx = city_build(plan, steps=steps, on_step=lambda name, s: timed(f"demo: {name}", s))
    timed("city without lessons", time.perf_counter() - t)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    t = time.perf_counter()
    lessons = 0
    for i, roster in enumerate(ctx.rosters, start=1):
        lessons += lessons_generate_all([roster])
        if i % 20 == 0 or i == len(ctx.rosters):
            print(f"    lessons: {i:>4} schools {lessons:>12,} rows {time.perf_counter() - t:8.1f} s", flush=True)
    timed("lessons (one transaction a school)", time.perf_counter() - t)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE timetable_lesson")

    today = timezone.localdate()
    year = AcademicYear.objects.get(pk=ctx.year_id)
    t = time.perf_counter()
    totals: dict[str, int] = {}
    models = set()
    for index, roster in enumerate(ctx.rosters):
        writer = BulkWriter()
        rng = random.Random(plan.seed * 5_000_011 + index)
        with transaction.atomic():
            counts = school_journal_build(writer, school_id=roster.school_id, year_id=ctx.year_id, today=today, rng=rng)
            writer.flush()
        models.update(writer.models)
        for table, n in counts.items():
            totals[table] = totals.get(table, 0) + n
        if (index + 1) % 10 == 0 or index + 1 == len(ctx.rosters):
            marks = totals.get("journal_mark", 0)
            elapsed = time.perf_counter() - t
            print(f"    journal: {index + 1:>4} schools {marks:>12,} marks {elapsed:8.1f} s", flush=True)
    sequences_reset(sorted(models, key=lambda m: m._meta.label))
    timed("journal up to today (one transaction a school)", time.perf_counter() - t)

    if args.fill:
        t = time.perf_counter()
        filled = 0
        for index, roster in enumerate(ctx.rosters, start=1):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(FILL_SQL, {"school": roster.school_id, "after": today, "until": year.ends_on})
                filled += cursor.rowcount
            if index % 20 == 0 or index == len(ctx.rosters):
                print(f"    fill: {index:>4} schools {filled:>12,} marks {time.perf_counter() - t:8.1f} s", flush=True)
        totals["journal_mark (fill)"] = filled
        timed("marks of the rest of the year (SQL fill)", time.perf_counter() - t)

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE") if connection.connection.autocommit else cursor.execute("ANALYZE")
    timed("analyze", time.perf_counter() - t)
    total = time.perf_counter() - started
    timed("total", total)

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
                "rows": rows,
                "database_bytes": size,
            },
            indent=2,
        )
    )
    print(f"  result: {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
