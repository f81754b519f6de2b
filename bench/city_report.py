"""Benchmark: the city's monthly report (issue 6) on a city with a year of journal data, against hand-written SQL.

    flock /tmp/bench/machine.lock .venv/bin/python bench/city_report.py          # ejournal_benchcity, this month
    .venv/bin/python bench/city_report.py --database ejournal_h4small --repeat 2 --diary-seconds 0   # smoke run

On an existing database built by `bench/city_year.py` (server BENCH_PG) with the city app's migrations applied
(`manage.py migrate city`; the run says so otherwise); read-only without `--aggregates`:

1. The app's computation, in this process, as a city role (the department) sees it:
   - `report`: what the consolidated city report computes for the month — `computed_values` of all districts'
     schools on this system (coverage and filling from `school_month_indicators`, the service's and the support
     desk's figures, the stages), in one call as `city_report` does;
   - `indicators`: `school_month_indicators` of all the city's schools at once (the journal figures alone).
   The first run in this fresh process is "cold" (new connection, empty Django caches; PostgreSQL's buffers and
   the OS page cache stay as earlier work left them — nothing is flushed), then `--repeat` warm runs (median).
2. Maintained monthly aggregates (`--aggregates`, which WRITES the stored figures): `month_figures_refresh`
   stores every school's figures of the month (SchoolMonthFigures, kept up to date by `manage.py
   city_month_figures` or the Celery task `city.refresh_month_figures`): timed recomputing every school, then
   as the beat runs it with nothing changed and with one school changed (its watermark forgotten); then the
   report served from them (cold and warm), and the served figures are checked equal to the computed ones.
   Without the flag only the computed report is measured (a read-only run).
3. A hand-written SQL aggregate of the same journal figures (`SQL` below: one statement, the grace days and
   density norms of each school's Regulation passed in as a VALUES list), run as many times; every figure of every
   school is compared with the app's and the mismatches are reported; ratio app/SQL (warm medians).
4. The diary page under load with and without the report: `bench/diary_load.py` is run as a subprocess, its
   fixed-rate run at `--diary-rate` req/s (a rate the machine sustains with the diary alone; `--diary-users`
   locust users) for `--diary-seconds` (`--diary-args` for the rest: fewer guardians, short closed-loop,
   hello-world and raw-SQL runs), once alone and once while this process recomputes the report in a loop;
   with `--aggregates` also while it refreshes the stored figures of every school in a loop (the refresh's
   worst case, every school changed) and while the report is served from the stored figures in a loop; the
   p95 of the fixed-rate runs and their ratios to the lone run (goal: ≤ 1.2). The runs beside the diary follow
   each other back to back, or `--loop-pause` seconds apart (a served report taking 10 ms back to back is a
   hundred requests a second). Each run starts with the diary's cache cleared.
`--no-sql` skips step 3 (the hand-written statement takes minutes on the city year) when only the app is timed.
Writes JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import RESULTS, ROOT, django_setup

GOALS = {"report_s": 5.0, "report_from_aggregates_s": 1.0, "diary_p95_ratio": 1.2}

# The journal figures of `school_month_indicators`, per school, in one statement. %(tz)s is the app's time zone
# (the app truncates timestamps to local dates); `rules` carries each school's Regulation values.
SQL = """
WITH rules (school_id, same_day, homework, half_year, threshold, low, high) AS (VALUES {rules}),
lessons AS (
    SELECT l.school_id, l.date, l.topic <> '' AS has_topic,
           (n.topic_set_at AT TIME ZONE %(tz)s)::date AS t_day,
           (h.published_at AT TIME ZONE %(tz)s)::date AS h_day,
           (SELECT (min(c.at) AT TIME ZONE %(tz)s)::date FROM journal_changerecord c WHERE c.lesson_id = l.id) AS k_day,
           EXISTS (SELECT 1 FROM journal_attendance a WHERE a.lesson_id = l.id) AS has_row
    FROM timetable_lesson l
    LEFT JOIN journal_lessonnote n ON n.lesson_id = l.id
    LEFT JOIN journal_homework h ON h.lesson_id = l.id
    WHERE l.school_id = ANY(%(ids)s) AND l.date BETWEEN %(first)s AND %(last)s AND l.status IN ('scheduled', 'extra')
),
filling AS (
    SELECT l.school_id, count(*) AS lessons,
           count(*) FILTER (WHERE l.has_topic AND l.t_day <= l.date + r.same_day) AS topic,
           count(*) FILTER (WHERE l.h_day <= l.date + r.homework) AS homework,
           count(*) FILTER (WHERE l.has_row OR l.k_day <= l.date + r.same_day) AS kept
    FROM lessons l JOIN rules r USING (school_id) GROUP BY l.school_id
),
marks AS (
    SELECT m.school_id, count(*) AS marks,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM journal_changerecord c WHERE c.entity = 'mark'
                            AND c.entity_id = m.id AND c.action = 'create' AND c.is_late)) AS late
    FROM journal_mark m JOIN timetable_lesson l ON l.id = m.lesson_id
    WHERE m.school_id = ANY(%(ids)s) AND l.date BETWEEN %(first)s AND %(last)s
    GROUP BY m.school_id
),
month_terms AS (
    SELECT * FROM schools_term WHERE school_id = ANY(%(ids)s) AND starts_on <= %(last)s AND ends_on >= %(first)s
),
terms AS (  -- per school the terms in progress at the month's end, else those that ended in it
    SELECT t.* FROM month_terms t
    WHERE t.ends_on >= %(last)s
       OR NOT EXISTS (SELECT 1 FROM month_terms c WHERE c.school_id = t.school_id AND c.ends_on >= %(last)s)
),
pair_marks AS (
    SELECT m.school_id, m.student_id, l.assignment_id, a.hours_per_week AS hours, t.kind, count(*) AS n
    FROM journal_mark m
    JOIN timetable_lesson l ON l.id = m.lesson_id
    JOIN schools_schoolclass sc ON sc.id = l.school_class_id
    JOIN curriculum_teachingassignment a ON a.id = l.assignment_id
    JOIN terms t ON t.school_id = m.school_id AND l.date BETWEEN t.starts_on AND LEAST(t.ends_on, %(last)s)
                AND sc.grade BETWEEN t.min_grade AND t.max_grade
    WHERE m.school_id = ANY(%(ids)s) AND l.status IN ('scheduled', 'extra')
    GROUP BY m.school_id, m.student_id, l.assignment_id, a.hours_per_week, t.kind
),
met AS (
    SELECT p.school_id, count(*) AS met FROM pair_marks p JOIN rules r USING (school_id)
    WHERE p.n >= CASE WHEN p.kind = 'half_year' THEN r.half_year WHEN p.hours <= r.threshold THEN r.low
                      ELSE r.high END
    GROUP BY p.school_id
),
live_assignments AS (
    SELECT a.* FROM curriculum_teachingassignment a JOIN schools_schoolclass sc ON sc.id = a.school_class_id
    WHERE a.school_id = ANY(%(ids)s) AND a.starts_on <= %(last)s AND (a.ends_on IS NULL OR a.ends_on >= %(last)s)
      AND EXISTS (SELECT 1 FROM terms t WHERE t.school_id = a.school_id AND sc.grade BETWEEN t.min_grade AND t.max_grade)
),
pairs AS (
    SELECT school_id, sum(n) AS pairs FROM (
        SELECT a.school_id, count(e.id) AS n FROM live_assignments a
        JOIN people_enrolment e ON e.school_class_id = a.school_class_id
             AND e.starts_on <= %(last)s AND (e.ends_on IS NULL OR e.ends_on >= %(last)s)
        WHERE a.subgroup_id IS NULL GROUP BY a.school_id
        UNION ALL
        SELECT a.school_id, count(s.id) FROM live_assignments a
        JOIN people_subgroupmembership s ON s.subgroup_id = a.subgroup_id
             AND s.starts_on <= %(last)s AND (s.ends_on IS NULL OR s.ends_on >= %(last)s)
        WHERE a.subgroup_id IS NOT NULL GROUP BY a.school_id
    ) AS parts GROUP BY school_id
),
students AS (
    SELECT school_id, count(DISTINCT student_id) AS students FROM people_enrolment
    WHERE school_id = ANY(%(ids)s) AND (starts_on IS NULL OR starts_on <= %(last)s)
      AND (ends_on IS NULL OR ends_on >= %(first)s)
    GROUP BY school_id
)
SELECT s.id, coalesce(f.lessons, 0), coalesce(f.topic, 0), coalesce(f.homework, 0), coalesce(f.kept, 0),
       coalesce(m.marks, 0), coalesce(m.late, 0), coalesce(st.students, 0), coalesce(me.met, 0),
       coalesce(p.pairs, 0)
FROM schools_school s
LEFT JOIN filling f ON f.school_id = s.id
LEFT JOIN marks m ON m.school_id = s.id
LEFT JOIN students st ON st.school_id = s.id
LEFT JOIN met me ON me.school_id = s.id
LEFT JOIN pairs p ON p.school_id = s.id
WHERE s.id = ANY(%(ids)s)
"""

# The figures compared: what SQL gives and how the app words it.
COMPARED = (
    "lessons_total",
    "lessons_topic_on_time_pct",
    "lessons_homework_on_time_pct",
    "lessons_attendance_pct",
    "marks_per_student",
    "marks_late_pct",
    "density_norm_met_pct",
)


def sql_figures(ids: list[int], first: dt.date, last: dt.date) -> dict[int, dict]:
    """The hand-written aggregate: raw counts from SQL, the app's percentages and ratios (one decimal, half up)."""
    from django.conf import settings
    from django.db import connection

    from ejournal.control.common import percent, ratio, rules_of_schools

    rules = rules_of_schools(ids)
    values = ", ".join(
        f"({sid}, {r.same_day_grace_days}, {r.homework_grace_days}, {r.density_min_half_year}, "
        f"{Decimal(r.density_hours_threshold)}, {r.density_min_low_hours}, {r.density_min_high_hours})"
        for sid, r in rules.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            SQL.replace("{rules}", values), {"ids": ids, "first": first, "last": last, "tz": settings.TIME_ZONE}
        )
        rows = cursor.fetchall()
    out = {}
    for sid, lessons, topic, homework, kept, marks, late, students, met, pairs in rows:
        out[sid] = {
            "lessons_total": lessons,
            "lessons_topic_on_time_pct": percent(topic, lessons),
            "lessons_homework_on_time_pct": percent(homework, lessons),
            "lessons_attendance_pct": percent(kept, lessons),
            "marks_per_student": ratio(marks, students),
            "marks_late_pct": percent(late, marks),
            "density_norm_met_pct": percent(min(met, int(pairs)), int(pairs)),
        }
    return out


def city_actor():
    """The department's actor (a municipal officer of the city): what the consolidated report runs as."""
    from ejournal.access.policy import Actor
    from ejournal.access.roles import Role
    from ejournal.people.models import RoleAssignment
    from ejournal.schools.models import School

    officer = RoleAssignment.objects.filter(role=Role.MUNICIPAL_OFFICER).order_by("pk").first()
    ids = frozenset(School.objects.filter(municipality_id=officer.municipality_id).values_list("id", flat=True))
    return Actor(user_id=officer.user_id, role=Role.MUNICIPAL_OFFICER, municipality_id=officer.municipality_id,
                 school_ids=ids)  # fmt: skip


def report_compute(actor, year: int, month: int) -> int:
    """What the consolidated city report computes: the rows of every district's schools on this system, in one
    call as `city_report` does (its live values of all districts together)."""
    from ejournal.city.monitoring.selectors import monitoring_schools, on_another_system
    from ejournal.city.selectors import computed_values, districts_reached

    reached = {d.id for d in districts_reached(actor=actor)}
    mine = [s for s in monitoring_schools(actor=actor) if s.district_id in reached and not on_another_system(s)]
    return len(computed_values(actor=actor, schools=mine, year=year, month=month))


def computed():
    """Within it the report computes every figure from the journal: no stored figures are fresh enough."""
    from django.conf import settings
    from django.test import override_settings

    return override_settings(EJ_CITY={**(getattr(settings, "EJ_CITY", None) or {}), "figures_max_age_minutes": -1})


def timed(func, repeat: int) -> dict:
    """The first (cold) run and the median of `repeat` more (warm), in seconds."""
    started = time.perf_counter()
    result = func()
    cold = time.perf_counter() - started
    warm = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        warm.append(time.perf_counter() - started)
    return {"cold_s": round(cold, 3), "warm_s": [round(s, 3) for s in warm],
            "warm_median_s": round(statistics.median(warm), 3) if warm else None, "result": result}  # fmt: skip


def compare(app: dict[int, object], sql: dict[int, dict]) -> dict:
    mismatches = []
    for sid, ind in app.items():
        for key in COMPARED:
            mine, theirs = getattr(ind, key), sql.get(sid, {}).get(key)
            if mine != theirs:
                mismatches.append({"school": sid, "figure": key, "app": str(mine), "sql": str(theirs)})
    sample = sorted(app)[:3]
    return {
        "schools": len(app),
        "figures_compared": len(app) * len(COMPARED),
        "mismatches": mismatches[:20],
        "mismatch_count": len(mismatches),
        "sample": {sid: {k: str(getattr(app[sid], k)) for k in COMPARED} for sid in sample},
    }


def served(args, actor, year: int, month: int) -> dict:
    """Refresh the stored monthly figures (timed): every school, then as the beat does with nothing changed and
    with one school changed; then the report served from them, cold and warm."""
    from django.db import connection

    from ejournal.city.models import SchoolMonthFigures
    from ejournal.city.selectors import _indicators, stored_month_figures
    from ejournal.control.indicators import school_month_indicators

    ids = sorted(actor.school_ids)
    refresh = timed(lambda: refresh_figures(actor, year, month, full=True), 0)
    print(
        f"  refresh, every school recomputed     {refresh['cold_s']:7.2f} s ({refresh['result']} schools)", flush=True
    )
    unchanged = timed(lambda: refresh_figures(actor, year, month), 0)
    print(f"  refresh, nothing changed             {unchanged['cold_s']:7.2f} s ({unchanged['result']} schools)")
    # One school "changed": its watermark forgotten (no journal data is written), as a change record would do.
    SchoolMonthFigures.objects.filter(school_id=ids[0], year=year, month=month).update(changes_from=None)
    one = timed(lambda: refresh_figures(actor, year, month), 0)
    print(f"  refresh, one school changed          {one['cold_s']:7.2f} s ({one['result']} schools)", flush=True)
    connection.close()  # a new connection: the first serving is as cold as this process can make it
    report = timed(lambda: report_compute(actor, year, month), args.repeat)
    print(f"  report served from stored figures cold {report['cold_s']:7.2f} s   warm {report['warm_median_s']} s")
    indicators = timed(lambda: _indicators(ids, year, month), args.repeat)
    stored = stored_month_figures(school_ids=ids, year=year, month=month)
    live = school_month_indicators(school_ids=list(stored), year=year, month=month)
    equal = sum(1 for sid, figures in stored.items() if live[sid] == figures)
    print(f"  stored figures equal to computed: {equal} of {len(stored)} schools")
    indicators.pop("result")
    return {"refresh": refresh, "refresh_unchanged": unchanged, "refresh_one_school": one, "report": report,
            "indicators": indicators, "stored_schools": len(stored), "stored_equal_to_computed": equal}  # fmt: skip


def refresh_figures(actor, year: int, month: int, full: bool = False) -> int:
    """`month_figures_refresh` of the actor's city (what `manage.py city_month_figures` and the beat run)."""
    from ejournal.city.services import month_figures_refresh
    from ejournal.schools.models import Municipality

    municipality = Municipality.objects.get(pk=actor.municipality_id)
    return month_figures_refresh(municipality=municipality, year=year, month=month, full=full)


def diary_impact(args, actor, year: int, month: int) -> dict:
    """The diary's p95 alone and while the report recomputes in a loop (bench/diary_load.py as a subprocess)."""
    script = ROOT / "bench" / "diary_load.py"
    if args.diary_seconds <= 0 or not script.exists():
        return {"skipped": "bench/diary_load.py missing" if not script.exists() else "--diary-seconds 0"}
    command = [str(ROOT / ".venv" / "bin" / "python"), str(script), *args.diary_args.split(),
               "--database", args.database, "--seconds", str(args.diary_seconds),
               "--rate", str(args.diary_rate), "--users", str(args.diary_users)]  # fmt: skip

    def run(tag: str) -> dict:
        proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        log = RESULTS / f"city_report-diary-{tag}-{time.strftime('%Y%m%d-%H%M%S')}.log"
        log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
        found = re.findall(r"Result written to (\S+\.json)", proc.stdout)
        figures = json.loads((ROOT / found[-1]).read_text(encoding="utf-8"))["figures"] if found else {}
        if not figures:  # a later stage of diary_load.py failed: the fixed-rate run's line is enough
            rate = re.search(r"rate: (\d+) requests, ([\d.]+) req/s, p95 ([\d.]+) ms, (\d+) failures", proc.stdout)
            if rate:
                figures = {"requests": int(rate[1]), "rate_achieved": float(rate[2]), "p95_ms": float(rate[3]),
                           "errors": int(rate[4])}  # fmt: skip
        return {"returncode": proc.returncode, "log": str(log.relative_to(ROOT)), "result": found[-1] if found else None,
                **{k: figures.get(k) for k in ("rate_offered", "rate_achieved", "p50_ms", "p95_ms", "p99_ms", "errors")}}  # fmt: skip

    def looping(tag: str, work, serve_stored: bool = False) -> dict:
        """A diary run while this process runs `work` in a loop (the report computed or served, the refresh)."""
        stop, loops = threading.Event(), []

        def loop():
            from django.db import connection

            while not stop.is_set():
                started = time.perf_counter()
                work()
                loops.append(round(time.perf_counter() - started, 3))
                stop.wait(args.loop_pause)
            connection.close()

        with contextlib.nullcontext() if serve_stored else computed():
            worker = threading.Thread(target=loop, daemon=True)
            worker.start()
            result = run(tag)
            stop.set()
            worker.join()
        result["report_runs_s"] = loops
        result["p95_ratio"] = (
            round(result["p95_ms"] / alone["p95_ms"], 2) if alone["p95_ms"] and result["p95_ms"] else None
        )
        runs = f"{len(loops)} runs beside it, median {statistics.median(loops) if loops else '—'} s"
        print(f"  diary, {tag}: p95 {result['p95_ms']} ms (×{result['p95_ratio']}); {runs}", flush=True)
        return result

    alone = run("alone")
    print(f"  diary alone: p95 {alone['p95_ms']} ms ({alone['rate_achieved']} req/s)", flush=True)
    out = {"command": " ".join(command), "alone": alone, "goal_ratio": GOALS["diary_p95_ratio"]}

    def report() -> int:
        return report_compute(actor, year, month)

    out["with_computed_report"] = looping("with-computed-report", report)
    if args.aggregates:
        out["with_refresh"] = looping("with-refresh", lambda: refresh_figures(actor, year, month, full=True))
        out["with_served_report"] = looping("with-served-report", report, serve_stored=True)
    for key in ("with_computed_report", "with_refresh", "with_served_report"):
        if key in out:
            print(f"  diary p95 {key.replace('_', ' ')}: {out[key]['p95_ms']} ms vs {alone['p95_ms']} ms alone "
                  f"(×{out[key]['p95_ratio']}, goal ≤ ×{GOALS['diary_p95_ratio']})")  # fmt: skip
    return out


def migrations_missing() -> list[str]:
    """The city app's migrations not applied to the database (the code reads their columns)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan if m.app_label == "city"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--year", type=int, help="default: this month's")
    parser.add_argument("--month", type=int, help="default: this month")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs of each computation")
    parser.add_argument("--aggregates", action="store_true", help="refresh the stored figures (writes), serve them")
    parser.add_argument("--no-sql", action="store_true",
                        help="skip the hand-written SQL stage (minutes on the city year) and its comparison")  # fmt: skip
    parser.add_argument("--diary-seconds", type=int, default=60, help="0 skips the diary part")
    parser.add_argument("--diary-rate", type=float, default=40,
                        help="the diary's fixed offered rate (req/s): one the machine sustains alone")  # fmt: skip
    parser.add_argument("--diary-users", type=int, default=40, help="locust users sharing that rate")
    parser.add_argument("--loop-pause", type=float, default=0,
                        help="seconds between two runs of the report (or refresh) beside the diary; 0: back to back")  # fmt: skip
    parser.add_argument(
        "--diary-args",
        default="--guardians 500 --warmup-seconds 30 --max-seconds 5 --hello-seconds 5 --raw-seconds 2 --samples 5",
        help="more arguments for bench/diary_load.py (its server's workers, guardians…)",
    )
    args = parser.parse_args()

    django_setup(f"{args.server}/{args.database}")
    if unapplied := migrations_missing():
        print(f"  {args.database} lacks migrations {', '.join(unapplied)}: run "
              f"DATABASE_URL={args.server}/{args.database} .venv/bin/python manage.py migrate city")  # fmt: skip
        return 2
    from django.db import connection
    from django.utils import timezone

    from ejournal.control.common import month_bounds
    from ejournal.control.indicators import school_month_indicators
    from ejournal.schools.models import School

    today = timezone.localdate()
    year, month = args.year or today.year, args.month or today.month
    first, last = month_bounds(year, month)
    last = min(last, today)
    actor = city_actor()
    ids = sorted(actor.school_ids)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM journal_mark")
        marks_in_db = cursor.fetchone()[0]
    print(f"  {args.database}: {len(ids)} schools, {marks_in_db:,} marks; month {month:02d}.{year} up to {last}")

    with computed():
        report = timed(lambda: report_compute(actor, year, month), args.repeat)
    print(f"  report (all districts' rows)      cold {report['cold_s']:7.2f} s   warm {report['warm_median_s']} s")
    indicators = timed(lambda: school_month_indicators(school_ids=ids, year=year, month=month), args.repeat)
    print(
        f"  school_month_indicators (city)    cold {indicators['cold_s']:7.2f} s   warm {indicators['warm_median_s']} s"
    )
    if args.no_sql:
        indicators.pop("result")
        sql, check = {"skipped": "--no-sql"}, {"skipped": "--no-sql", "mismatch_count": 0}
        app_warm = sql_warm = None
    else:
        sql = timed(lambda: sql_figures(ids, first, last), args.repeat)
        print(f"  hand-written SQL (same figures)   first {sql['cold_s']:6.2f} s   warm {sql['warm_median_s']} s")
        check = compare(indicators.pop("result"), sql.pop("result"))
        print(f"  figures compared: {check['figures_compared']}, mismatches: {check['mismatch_count']}")
        app_warm, sql_warm = indicators["warm_median_s"], sql["warm_median_s"]
    ratio = round(app_warm / sql_warm, 2) if app_warm and sql_warm else None
    print(f"  ratio app/SQL (warm medians): {ratio}")
    aggregates = served(args, actor, year, month) if args.aggregates else {"skipped": "no --aggregates (read-only run)"}
    diary = diary_impact(args, actor, year, month)

    summary = {
        "benchmark": "city_report",
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "database": args.database,
        "schools": len(ids),
        "schools_in_db": School.objects.count(),
        "marks_in_db": marks_in_db,
        "month": f"{year}-{month:02d}",
        "up_to": last.isoformat(),
        "report": report,
        "indicators": indicators,
        "sql": sql,
        "ratio_app_sql_warm": ratio,
        "check": check,
        "aggregates": aggregates,
        "diary": diary,
        "goals": GOALS,
        "meets_report_goal": report["cold_s"] <= GOALS["report_s"]
        and (report["warm_median_s"] or 0) <= GOALS["report_s"],
        "meets_aggregates_goal": (aggregates.get("report", {}).get("cold_s") or 99)
        <= GOALS["report_from_aggregates_s"],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"city_report-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    print(f"  result: {out.relative_to(ROOT)}")
    return 0 if check["mismatch_count"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
