"""Benchmark: the latency of one mark save with Redis running, stopped and frozen, on PostgreSQL.

    .venv/bin/python bench/redis_outage.py --database ejournal_bench_outage --saves 100

1. Recreates the database (server BENCH_PG), migrates, and builds the test world with one class of 50
   students and 8 maths lessons on a Monday of the first quarter (the clock is frozen there).
2. Starts a redis-server of its own (a free port of 6391–6395, no persistence) as the app's cache
   (REDIS_URL), signs the teacher in with Django's test client (in process: no HTTP server, so the figure
   is the app's own time: middleware, session, access, the save and its answer).
3. Saves one mark per request into an empty cell, `--saves` times in each mode, one after another:
   Redis running; stopped (SIGTERM: connections refused); frozen (SIGSTOP: connections accepted by the
   kernel, no answer, each read waits for CACHE_TIMEOUT_MS); back (SIGCONT: the breaker's background try
   finds it and the cache is used again). Prints p50/p95/max per mode and checks every save answered 200
   is exactly one mark in the database.
Writes JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import RESULTS, ROOT, database_recreate, django_setup

STUDENTS, LESSONS = 50, 8


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _setup():
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from ejournal.access.roles import Role
    from ejournal.journal.services import work_types_ensure
    from ejournal.testing import build_world, login, make_student
    from ejournal.timetable.tests.helpers import MON, assignment, bells, lesson

    call_command("migrate", verbosity=0)
    world = build_world()
    for n in range(STUDENTS - 2):
        make_student(world.cls, f"Ученик{n:02d}", "Тест")
    bells(world, numbers=range(1, LESSONS + 1))
    maths = assignment(world, teacher=world.teacher)
    lessons = [lesson(world, maths, MON, number) for number in range(1, LESSONS + 1)]
    work_types_ensure(world.school)
    term = world.school.terms.get(number=1)
    client = login(Client(), world.teacher, Role.CLASS_TEACHER)
    url = reverse("journal:cells", kwargs={"assignment_id": maths.pk, "term_id": term.pk})
    cells = [(s.pk, day.pk) for day in lessons for s in world.cls.students.order_by("pk")]
    return client, url, cells


class _Statements:
    """Counts the SQL statements sent (the test client resets Django's own query log on every request)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _save(client, url, cell, token: str) -> float:
    student, lesson = cell
    payload = json.dumps([{"student": student, "lesson": lesson, "text": "5", "att": 0, "marks": "", "token": token}])
    started = time.perf_counter()
    response = client.post(url, {"cells": payload}, HTTP_HX_REQUEST="true")
    took = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"save answered {response.status_code}: {response.content[:300]!r}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_bench_outage")
    parser.add_argument("--saves", type=int, default=100, help="saves per mode (at most 100: 400 empty cells, 4 modes)")
    args = parser.parse_args()

    database_recreate(args.server, args.database)
    sys.path.insert(0, str(ROOT))
    from ejournal.core.tests.redis_process import RedisProcess

    redis = RedisProcess().start()
    os.environ["REDIS_URL"] = redis.url
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    django_setup(f"{args.server}/{args.database}")
    import time_machine
    from django.conf import settings
    from django.db import connection

    from ejournal.core.cache import cache_available
    from ejournal.journal.models import Mark

    modes = ["running", "stopped", "frozen", "back"]
    if args.saves * len(modes) > STUDENTS * LESSONS:
        raise SystemExit(f"--saves at most {STUDENTS * LESSONS // len(modes)}")
    results, token = {}, 0
    try:
        with time_machine.travel(dt.datetime(2026, 9, 7, 12, 0, tzinfo=dt.UTC), tick=True):
            client, url, cells = _setup()
            for _ in range(5):  # warm: the school's constants, the session and the access in the cache
                client.get(url.replace("cells/", ""))
            for mode in modes:
                if mode == "stopped":
                    redis.stop()
                elif mode == "frozen":
                    redis.start()
                    while not cache_available():  # the breaker lets Redis back in by itself
                        client.get(url.replace("cells/", ""))
                        time.sleep(0.1)
                    redis.freeze()
                elif mode == "back":
                    redis.thaw()
                    deadline = time.monotonic() + settings.CACHE_DOWN_SECONDS + 5
                    while not cache_available() and time.monotonic() < deadline:
                        client.get(url.replace("cells/", ""))
                        time.sleep(0.1)
                times, statements = [], _Statements()
                with connection.execute_wrapper(statements):
                    for _ in range(args.saves):
                        times.append(_save(client, url, cells[token], f"bench-{token}"))
                        token += 1
                results[mode] = {
                    "saves": len(times),
                    "p50_ms": round(statistics.median(times) * 1000, 1),
                    "p95_ms": round(_percentile(times, 0.95) * 1000, 1),
                    "max_ms": round(max(times) * 1000, 1),
                    "sql_per_save": round(statements.count / len(times), 1),
                    "cache_in_use_after": cache_available(),
                }
                row = results[mode]
                print(f"{mode:8s} saves={row['saves']:4d}  p50={row['p50_ms']:7.1f} ms  p95={row['p95_ms']:7.1f} ms  "
                      f"max={row['max_ms']:7.1f} ms  SQL/save={row['sql_per_save']:5.1f}  cache in use: {row['cache_in_use_after']}")  # fmt: skip
        saved = Mark.objects.filter(client_token__startswith="bench-").count()
        print(f"marks saved: {saved} of {token} answered 200")
        if saved != token:
            raise SystemExit("a save answered 200 is missing from the database")
    finally:
        redis.close()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"redis_outage-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps({"database": args.database, "modes": results, "marks": token}, indent=2))
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
