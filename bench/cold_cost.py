"""Benchmark: what each diary page costs in the first minute after a cache flush — in-process, per request.

    flock /tmp/bench/machine.lock .venv/bin/python bench/cold_cost.py --database ejournal_benchcity --guardians 100
    … --profile marks    # and where the time of a warmed miss of the term's marks goes (cProfile, top functions)

Issue 20, item 4. For `--guardians` guardians' first child, one request after another through Django's WSGI stack
(as bench/marks_cpu.py: DEBUG off, the cache in Redis db 1), each page (week, term marks, year marks) in three
states of the diary's cache:

- **flushed**: every diary key deleted (a full miss: the child's days or marks read and rendered, the site's
  frame around them, the page kept);
- **warmed**: flushed, then `manage.py diary_warm`'s work for these children (`diary.marks.warm`, `week_warm`):
  the child's content is there, the guardian's page and frame are not — what the evening asks in its first
  minute after a flush and a warm-up (each parent's first page);
- **hit**: the same again.

Per state: the median and p95 of the process's CPU time, the wall time and the queries. Deletes only the diary's
keys of the bench cache (run it under the machine lock: other benchmarks' caches are the same Redis db).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import RESULTS, django_setup
from diary_load import REDIS, _signed_in, guardians_prepare
from marks_cpu import _clear, _pct

PAGES = {"week": "/diary/{}/", "marks": "/diary/{}/marks/", "year": "/diary/{}/marks/?term=year"}


def _warm(students: list[int]) -> float:
    """`diary_warm`'s work for these students (the content of the term and the year, the days of the week)."""
    from django.utils import timezone, translation

    from ejournal.diary.marks import YEAR, warm
    from ejournal.diary.week import week_warm
    from ejournal.timetable.calendar import week_start

    started, monday = time.perf_counter(), week_start(timezone.localdate())
    with translation.override("ru"):
        for student in students:
            warm(student), warm(student, YEAR), week_warm(student, monday)
    return time.perf_counter() - started


def _measure(clients, url: str, profile: cProfile.Profile | None = None) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    cpu, wall, queries = [], [], []
    for client, student in clients:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            c, w = time.process_time(), time.perf_counter()
            if profile:
                profile.enable()
            response = client.get(url.format(student))
            if profile:
                profile.disable()
            cpu.append((time.process_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    return {"cpu_ms_p50": round(statistics.median(cpu), 2), "cpu_ms_p95": _pct(cpu, 0.95),
            "cpu_ms_mean": round(statistics.mean(cpu), 2), "wall_ms_p50": round(statistics.median(wall), 2),
            "wall_ms_p95": _pct(wall, 0.95), "queries_p50": statistics.median(queries)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--guardians", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile", default="", help="a page (week, marks, year): profile its warmed miss")
    parser.add_argument("--profile-sort", default="tottime", help="cumulative, tottime…")
    parser.add_argument("--profile-top", type=int, default=30)
    args = parser.parse_args()
    os.environ.update(REDIS_URL=REDIS, DJANGO_SETTINGS_MODULE="bench_settings", DJANGO_DEBUG="0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    django_setup(f"{args.server}/{args.database}")
    import redis

    store = redis.Redis.from_url(REDIS)
    targets = guardians_prepare(args.guardians, args.seed)
    clients = [(_signed_in(targets, g), g["children"][0]) for g in targets["guardians"]]
    students = [student for _client, student in clients]
    for client, student in clients[:5]:  # the process's first requests (URLs, templates, connections)
        for url in PAGES.values():
            client.get(url.format(student))
    out: dict = {"warm_seconds": {}}
    for name, url in PAGES.items():
        for state in ("flushed", "warmed", "hit"):
            if state != "hit":
                _clear(store)
            if state == "warmed":
                out["warm_seconds"][name] = round(_warm(students), 2)
            profile = cProfile.Profile(time.process_time) if state == "warmed" and name == args.profile else None
            out[f"{name}_{state}"] = r = _measure(clients, url, profile)
            print(f"  {name:<6} {state:<8} cpu p50 {r['cpu_ms_p50']:>7} ms  p95 {r['cpu_ms_p95']:>7}  wall p50 "
                  f"{r['wall_ms_p50']:>7}  p95 {r['wall_ms_p95']:>7}  queries {r['queries_p50']}", flush=True)  # fmt: skip
            if profile:
                pstats.Stats(profile).sort_stats(args.profile_sort).print_stats(args.profile_top)
    result = {"benchmark": "cold_cost", "at": dt.datetime.now().isoformat(timespec="seconds"),
              "database": args.database, "guardians": len(clients), "load_average": os.getloadavg(), "pages": out}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"cold_cost-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"Result written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
