"""Benchmark: the journal under load over HTTP, on a city with a year of journal data, against raw SQL.

    .venv/bin/python bench/journal_load.py                          # 30 schools, 50,000 students (1/4 of the city)
    .venv/bin/python bench/journal_load.py --schools 2 --students 3000 --seconds 10 --sustain 20   # smoke run
    .venv/bin/python bench/journal_load.py --skip-build             # reuse the database of the last run

1. Recreates the database `ejournal_bench4` (server BENCH_PG) and builds the demo city with its lessons and
   journal up to today (`CITY_STEPS`, the code of `manage.py demo_city`), then ANALYZE.
2. Gives the teachers of the run a known password and picks, per teacher, their current-term journals and
   empty cells of the term's lessons from today on (the journal accepts those marks: their deadline has not
   passed; a Sunday "today" has no lessons of its own).
3. Serves the app with gunicorn (`-w 4 --threads 2`, DEBUG off, bench_settings: the app's settings plus a
   hello-world view) on 127.0.0.1, and runs locust headless, one mode after another, each with its own teachers:
   a warm-up of every worker (pages and saves, not measured), journal page GET, one mark per request, a 30-cell
   column per request (fixed rates), then as many marks as possible for `--sustain` seconds, then the
   hello-world view. The users of a run sign in first and start together after that; rates are those of the
   measured window; each run lists its slowest requests with their second of the run.
4. Counts rows: every save answered 200 must be exactly one new mark (client tokens), none lost or doubled.
5. Inserts the same kind of rows with raw psycopg (one mark per statement, autocommit): latency sequentially,
   throughput with as many connections as gunicorn has threads; reports app/raw ratios.
6. Profiles one journal page and one single-mark save in-process (cProfile, SQL query counts).
Writes JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import RESULTS, ROOT, database_recreate, django_setup, table_rows

BIN = ROOT / ".venv" / "bin"
PASSWORD = "bench12345"
TARGETS = {"grid_p95_ms": 100, "mark_p95_ms": 30, "column_p95_ms": 100, "marks_per_second": 500}


def build(args, timed) -> None:
    t = time.perf_counter()
    database_recreate(args.server, args.database)
    django_setup(f"{args.server}/{args.database}")
    from django.core.management import call_command
    from django.db import connection

    from ejournal.demo.builder import CityPlan, city_build

    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    timed("create + migrate", time.perf_counter() - t)
    plan = CityPlan(schools=args.schools, students=args.students, seed=args.seed, password="demo12345")
    t = time.perf_counter()
    city_build(plan, on_step=lambda name, s: timed(f"demo: {name}", s))
    timed("demo_city total", time.perf_counter() - t)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timed("analyze", time.perf_counter() - t)


def targets_prepare(teachers: int, cells_per_teacher: int) -> dict:
    """Teachers with lessons from today on in their current term; their journals and empty cells (lesson order)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from ejournal.access.roles import Role
    from ejournal.accounts.models import User
    from ejournal.curriculum.models import TeachingAssignment
    from ejournal.journal.models import Attendance, Mark
    from ejournal.journal.selectors import class_terms, journal_lessons, journal_students, term_current
    from ejournal.people.models import RoleAssignment

    today = timezone.localdate()
    admins = RoleAssignment.objects.filter(role__in=[Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR])
    ids = list(
        TeachingAssignment.objects.filter(school_class__grade__gte=2)
        .exclude(teacher_id__in=admins.values("user_id"))
        .order_by("teacher_id")
        .values_list("teacher_id", flat=True)
        .distinct()[: teachers * 3]
    )
    ids = ids[:: max(1, len(ids) // teachers)][:teachers]
    User.objects.filter(pk__in=ids).update(password=make_password(PASSWORD), must_change_password=False)
    out = []
    for user in User.objects.filter(pk__in=ids).order_by("pk"):
        journals, cells = [], []
        for assignment in TeachingAssignment.objects.filter(teacher=user).select_related("school_class"):
            term = term_current(class_terms(assignment.school_class), today)
            if term is None:
                continue
            journals.append((assignment.pk, term.pk))
            lessons = journal_lessons(assignment, term).filter(date__gte=today, teacher=user, assignment=assignment)
            lessons = list(lessons.order_by("date", "lesson_number"))
            students = journal_students(assignment.school_class_id, assignment.subgroup_id, today, term.ends_on)
            taken = set(Mark.objects.filter(lesson__in=lessons).values_list("lesson_id", "student_id"))
            # a cell with attendance is not empty: the page would send its version (the load sends none)
            taken |= set(Attendance.objects.filter(lesson__in=lessons).values_list("lesson_id", "student_id"))
            free = [(ls.pk, s.student.pk) for ls in lessons for s in students if (ls.pk, s.student.pk) not in taken]
            if free:
                cells.append({"assignment": assignment.pk, "term": term.pk, "cells": free[:cells_per_teacher]})
        if journals and cells:
            out.append({"username": user.username, "user_id": user.pk, "journals": journals, "cells": cells})
    return {"today": today.isoformat(), "teachers": out}


def server_start(args, url: str) -> subprocess.Popen:
    env = {
        **os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}", "AXES_FAILURE_LIMIT": "1000",
        "REDIS_URL": "redis://127.0.0.1:6379/1",  # shared cache: sessions and access cached across the workers
    }  # fmt: skip
    command = [
        str(BIN / "gunicorn"), "ejournal.wsgi", "-w", str(args.workers), "--threads", str(args.threads),
        "-b", f"127.0.0.1:{args.port}", "--chdir", str(ROOT), "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/bench/hello/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def locust_run(
    args, label: str, mode: str, *, users: int, rate: float, seconds: int, offset: int, targets: Path, per_user: int = 1
) -> dict:
    """One headless locust run; return its stats per request name (and the saved tokens for writes)."""
    prefix = RESULTS / f"locust-{label}"
    tokens, log = RESULTS / f"tokens-{label}.json", RESULTS / f"requests-{label}.json"
    tokens.unlink(missing_ok=True)
    lead = 0 if mode == "hello" else round(3 + users * per_user * 0.5)  # all sign in, then start together
    env = {
        **os.environ, "BENCH_TARGETS": str(targets), "BENCH_MODE": mode, "BENCH_OFFSET": str(offset),
        "BENCH_RATE": str(rate), "BENCH_TOKENS": str(tokens), "BENCH_PASSWORD": PASSWORD, "BENCH_LOG": str(log),
        "BENCH_START_AT": str(time.time() + lead + 1), "BENCH_TEACHERS_PER_USER": str(per_user),
    }  # fmt: skip
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile_journal.py"), "--headless", "-u", str(users),
        "-r", str(users), "--run-time", f"{seconds + lead + 1}s", "--host", f"http://127.0.0.1:{args.port}", "--csv",
        str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, env=env, check=False, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2), "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]), "avg_ms": round(float(row["Average Response Time"]), 1),
            }  # fmt: skip
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
            failures = [dict(r) for r in csv.DictReader(f)][:5]
    saved = json.loads(tokens.read_text()) if tokens.exists() else []
    rows = [r for r in json.loads(log.read_text()) if r[1] not in ("login", "login form")] if log.exists() else []
    for name, entry in stats.items():  # locust's rate counts the sign-in wait: the measured window's rate instead
        mine = [r for r in rows if r[1] == name]
        if len(mine) > 1:
            window = max(at + ms / 1000 for at, _n, ms, _ok in mine) - min(r[0] for r in mine)
            entry["rps"], entry["window_s"] = round(len(mine) / window, 2), round(window, 1)
    return {"mode": mode, "users": users, "rate_per_user": rate, "seconds": seconds, "wall": round(elapsed, 1),
            "stats": stats, "failures": failures, "slowest": slowest(rows), "saved_tokens": saved}  # fmt: skip


def slowest(rows: list, count: int = 8) -> list[dict]:
    """The run's slowest measured requests, with their second of the run: a cold worker, a checkpoint..."""
    if not rows:
        return []
    first = min(r[0] for r in rows)
    return [{"at_s": round(at - first, 1), "name": name, "ms": ms, "ok": ok}
            for at, name, ms, ok in sorted(rows, key=lambda r: -r[2])[:count]]  # fmt: skip


def marks_check(saved: list[str]) -> dict:
    """Every save answered 200 is exactly one new mark (token "<cell token>:0"); nothing lost or doubled."""
    from collections import Counter

    from ejournal.journal.models import Mark

    bench = list(
        Mark.objects.filter(client_token__startswith="b").values_list("client_token", "lesson_id", "student_id")
    )
    rows = len(bench)  # one scan of the table (a city year holds tens of millions of marks)
    found = {token for token, _lesson, _student in bench}
    expected = {f"{t}:0" for t in saved}
    doubled = sum(1 for n in Counter((lesson, student) for _t, lesson, student in bench).values() if n > 1)
    return {"saves_ok": len(saved), "distinct_saves": len(expected), "new_rows": rows, "lost": len(expected - found),
            "unexpected": len(found - expected), "cells_with_two_bench_marks": doubled,
            "ok": rows == len(expected) == len(saved) and doubled == 0}  # fmt: skip


def raw_sql(url: str, cells: list[tuple], threads: int, seconds: float) -> dict:
    """The same rows as the app's marks, as single-row INSERTs in autocommit: latency (1 connection), throughput."""
    sql = (
        "INSERT INTO journal_mark (school_id, lesson_id, student_id, value, symbol, work_type_id, weight, comment, "
        "created_by_id, created_at, updated_at, version, client_token) "
        "VALUES (%s, %s, %s, %s, '', %s, %s, '', %s, now(), now(), 1, %s)"
    )
    latencies = []
    half = len(cells) // 2
    with psycopg.connect(url, autocommit=True) as conn:
        for n, row in enumerate(cells[: min(2000, half)]):
            t = time.perf_counter()
            conn.execute(sql, (*row, f"raw-l{n}"))
            latencies.append((time.perf_counter() - t) * 1000)
    rest = cells[half:]
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(k: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            for n in range(k, len(rest), threads):
                if time.perf_counter() > stop:
                    return
                conn.execute(sql, (*rest[n], f"raw-t{n}"))
                done[k] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for p in pool:
        p.start()
    for p in pool:
        p.join()
    elapsed = time.perf_counter() - started
    return {"latency_p50_ms": round(statistics.median(latencies), 3), "latency_p95_ms": round(_p95(latencies), 3),
            "inserts": len(latencies), "throughput_rows_s": round(sum(done) / elapsed, 1),
            "throughput_rows": sum(done), "connections": threads, "seconds": round(elapsed, 1)}  # fmt: skip


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def raw_cells(targets: dict, teachers: list[dict]) -> list[tuple]:
    """(school, lesson, student, value, work type «answer», weight, teacher) of the cells of unused teachers."""
    from ejournal.journal.models import WorkType
    from ejournal.timetable.models import Lesson

    lesson_ids = {lesson for t in teachers for j in t["cells"] for lesson, _ in j["cells"]}
    schools = dict(Lesson.objects.filter(pk__in=lesson_ids).values_list("pk", "school_id"))
    answer = {w.school_id: w for w in WorkType.objects.filter(code="answer")}
    return [
        (schools[lesson], lesson, student, 4, answer[schools[lesson]].pk, answer[schools[lesson]].weight, t["user_id"])
        for t in teachers for j in t["cells"] for lesson, student in j["cells"]
    ]  # fmt: skip


def profile(teacher: dict) -> dict:
    """cProfile of one journal page and one single-mark save in-process, with their SQL query counts."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ejournal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=teacher["username"]))
    assignment, term = teacher["journals"][0]
    journal = max(teacher["cells"], key=lambda j: len(j["cells"]))
    free = [{"student": s, "lesson": lesson, "text": "5", "att": 0, "marks": ""} for lesson, s in journal["cells"][:31]]
    one = json.dumps([{**free[0], "token": "p1"}])
    column = json.dumps([{**cell, "token": f"p1c{n}"} for n, cell in enumerate(free[1:])])
    url = f"/journal/{journal['assignment']}/{journal['term']}/cells/"
    out = {}
    for name, call in [
        ("grid", lambda: client.get(f"/journal/{assignment}/{term}/")),
        ("cells:1", lambda: client.post(url, {"cells": one}, HTTP_HX_REQUEST="true")),
        ("cells:30", lambda: client.post(url, {"cells": column}, HTTP_HX_REQUEST="true")),
    ]:
        client.get(f"/journal/{assignment}/{term}/")  # warm caches
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            profiler.enable()
            response = call()
            profiler.disable()
            elapsed = (time.perf_counter() - t) * 1000
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(r"ejournal|django/(template|db)", 40)
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(15)
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        out[name] = {"status": response.status_code, "ms": round(elapsed, 1), "queries": len(queries),
                     "sql_ms": round(sql_ms, 1), "top": text.getvalue()[-12000:]}  # fmt: skip
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_bench4")
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--students", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=271)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--port", type=int, default=8047)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=60, help="duration of each fixed-rate run")
    parser.add_argument("--sustain", type=int, default=120, help="duration of the maximum-throughput run")
    args = parser.parse_args()
    url = f"{args.server}/{args.database}"
    timings: dict[str, float] = {}

    def timed(name: str, seconds: float) -> None:
        timings[name] = round(seconds, 2)
        print(f"  {name:<28} {seconds:8.1f} s", flush=True)

    if args.skip_build:
        django_setup(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False, skip_checks=True)  # a database built by older code
    else:
        build(args, timed)
    from django.db.models import Q

    from ejournal.journal.models import Mark

    Mark.objects.filter(
        Q(client_token__startswith="b") | Q(client_token__regex=r"^(raw-|p1)")
    ).delete()  # a rerun's marks
    # Teachers (= locust users) per run, each with cells of their own.
    plan = {"warm": 16, "grid": 3, "mark": 4, "column": 2, "sustain": 192, "raw": 20, "profile": 1}
    per_user = {"sustain": 12}  # 16 users, each signing in as its next teacher when one has no empty cell left
    RESULTS.mkdir(parents=True, exist_ok=True)
    targets = targets_prepare(sum(plan.values()), cells_per_teacher=6000)
    path = RESULTS / "journal_targets.json"
    path.write_text(json.dumps(targets))
    teachers = targets["teachers"]
    print(f"  {len(teachers)} teachers with empty cells from {targets['today']}", flush=True)
    offsets, start = {}, 0
    for name, n in plan.items():
        offsets[name] = start
        start += n
    marks_before = Mark.objects.count()
    server = server_start(args, url)
    runs = {}
    try:
        for label, mode, rate, seconds in [
            # Every worker's first page and first save build what Django and the app make once per process
            # (URL resolver, templates, prepared statements: 0.4-0.6 s); a server in service has done that
            # long before. Sixteen users, kept-alive connections spread over the workers, not measured.
            ("warm-grid", "grid", 0, 5),
            ("warm-save", "column", 0, 5),
            ("grid", "grid", 1, args.seconds),
            ("mark", "mark", 1, args.seconds),
            ("column", "column", 0.25, args.seconds),
            ("sustain", "column", 0, args.sustain),
        ]:
            name = label.split("-")[0]
            share = per_user.get(name, 1)
            runs[label] = locust_run(args, label, mode, users=plan[name] // share, rate=rate, seconds=seconds,
                                     offset=offsets[name], targets=path, per_user=share)  # fmt: skip
        runs["hello"] = locust_run(args, "hello", "hello", users=16, rate=0, seconds=30, offset=0, targets=path)
    finally:
        server.terminate()
        server.wait(timeout=30)
    saved = [t for r in runs.values() for t in r.pop("saved_tokens")]
    check = marks_check(saved)
    raw_teachers = teachers[offsets["raw"] : offsets["raw"] + plan["raw"]]
    raw = raw_sql(url, raw_cells(targets, raw_teachers), args.workers * args.threads, 20)
    result = summary(args, runs, check, raw, timings, marks_before, teachers)
    if args.skip_build:  # the database may not be the one `--schools`/`--students` would build
        from ejournal.people.models import Student
        from ejournal.schools.models import School

        result["plan"].update(schools=School.objects.count(), students=Student.objects.count(), built="earlier")
    result["plan"]["database"] = args.database
    result["profile"] = profile(teachers[offsets["profile"]])
    out = RESULTS / f"journal_load-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k not in ("profile", "rows", "runs")}, indent=2))
    for name, p in result["profile"].items():
        print(f"\n--- profile {name}: {p['ms']} ms, {p['queries']} queries, {p['sql_ms']} ms in SQL\n{p['top'][:3000]}")
    print(f"\nResult written to {out.relative_to(ROOT)}")
    return 0


def rows_estimated() -> dict[str, int]:
    """Rows per table from the planner's statistics (exact counts of a city year would take minutes)."""
    from django.db import connection

    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)", [tables])
        return {name: n for name, n in sorted(cursor.fetchall()) if n > 0}


def summary(args, runs, check, raw, timings, marks_before, teachers) -> dict:
    sustain = runs["sustain"]["stats"].get("cells:30", {})
    # Sustained: the writes went on for the whole run (users with no empty cell left stop early).
    sustained = sustain.get("window_s", 0) >= 0.95 * args.sustain
    marks_per_s = round(sustain.get("rps", 0) * 30, 1) if sustained else 0.0
    mark = runs["mark"]["stats"].get("cells:1", {})
    app_rows_s = marks_per_s
    figures = {
        "grid_p95_ms": runs["grid"]["stats"].get("grid", {}).get("p95_ms"),
        "mark_p95_ms": mark.get("p95_ms"),
        "column_p95_ms": runs["column"]["stats"].get("cells:30", {}).get("p95_ms"),
        "marks_per_second": marks_per_s,
        "sustain_window_s": sustain.get("window_s"),
        "hello_rps": runs["hello"]["stats"].get("hello", {}).get("rps"),
        "raw_insert_p95_ms": raw["latency_p95_ms"],
        "raw_rows_per_second": raw["throughput_rows_s"],
        "ratio_mark_latency_app_raw": round(mark.get("p95_ms", 0) / raw["latency_p95_ms"], 1),
        "ratio_throughput_app_raw": round(app_rows_s / raw["throughput_rows_s"], 4),
    }
    met = {k: (figures[k] is not None and (figures[k] >= v if k == "marks_per_second" else figures[k] <= v))
           for k, v in TARGETS.items()}  # fmt: skip
    return {
        "benchmark": "journal_load", "at": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "plan": {"schools": args.schools, "students": args.students, "seed": args.seed,
                 "server": f"gunicorn -w {args.workers} --threads {args.threads}"},
        "build_seconds": timings, "marks_before": marks_before, "teachers": len(teachers), "figures": figures,
        "targets": TARGETS, "met": met, "rows_check": check, "raw_sql": raw, "runs": runs,
        "rows": rows_estimated() if args.skip_build else table_rows(),
    }  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
