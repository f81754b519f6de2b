"""Benchmark: build the whole demo city on PostgreSQL into a fresh database.

    .venv/bin/python bench/city_build.py            # 120 schools, 200,000 students
    .venv/bin/python bench/city_build.py --schools 10 --students 15000   # a quick smoke run
    .venv/bin/python bench/city_build.py --without lessons,journal       # the school network and people only

Drops and creates the database `ejournal_bench` (PostgreSQL at BENCH_PG, by
default postgres://postgres@127.0.0.1:5432), migrates it, runs the steps of
`ejournal.demo.builder.CITY_STEPS` (the code behind `manage.py demo_city --city`),
then prints the time of each step, rows per table and the database size, and
writes the same as JSON under bench/results/ (git-ignored). Goal: < 10 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GOAL_SECONDS = 600


def database_recreate(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def table_rows() -> dict[str, int]:
    from django.db import connection

    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return {t: n for t, n in counts.items() if n}


def database_size(name: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(%s)", [name])
        return cursor.fetchone()[0]


def report(args: argparse.Namespace, timings: dict[str, float], total: float) -> dict:
    """Print rows per table and the database size; write and return the JSON result."""
    from django.db import connection

    rows = table_rows()
    size = database_size(args.database)
    print(f"\nTotal: {total:.1f} s (goal < {GOAL_SECONDS} s) — {'OK' if total < GOAL_SECONDS else 'TOO SLOW'}")
    print(f"Database size: {size / 2**20:.0f} MiB")
    for table, count in sorted(rows.items(), key=lambda kv: -kv[1]):
        print(f"  {table:<36} {count:>10,}")
    print(f"  {'total rows':<36} {sum(rows.values()):>10,}")

    result = {
        "benchmark": "city_build",
        "at": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "postgres": connection.cursor().connection.info.server_version,
        "plan": {"schools": args.schools, "students": args.students, "seed": args.seed},
        "seconds": {"total": round(total, 2), **timings},
        "rows": rows,
        "total_rows": sum(rows.values()),
        "database_bytes": size,
        "goal_seconds": GOAL_SECONDS,
        "ok": total < GOAL_SECONDS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"city_build-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"\nResult written to {path.relative_to(ROOT)}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_bench")
    parser.add_argument("--schools", type=int, default=120)
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=271)
    parser.add_argument("--without", default="", help="comma-separated steps to skip, e.g. lessons,journal")
    args = parser.parse_args()

    timings: dict[str, float] = {}

    def timed(name: str, seconds: float) -> None:
        timings[name] = round(seconds, 2)
        print(f"  {name:<24} {seconds:8.1f} s", flush=True)

    started = time.perf_counter()
    t = time.perf_counter()
    database_recreate(args.server, args.database)
    timed("create database", time.perf_counter() - t)
    django_setup(f"{args.server}/{args.database}")
    from django.core.management import call_command
    from django.db import connection

    from ejournal.demo.builder import CITY_STEPS, CityPlan, city_build

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timed("migrate", time.perf_counter() - t)
    plan = CityPlan(schools=args.schools, students=args.students, seed=args.seed, password="demo12345")
    t = time.perf_counter()
    skipped = {name.strip() for name in args.without.split(",") if name.strip()}
    unknown = skipped - {step.name for step in CITY_STEPS}
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    steps = [step for step in CITY_STEPS if step.name not in skipped]
    city_build(plan, steps=steps, on_step=lambda name, s: timed(f"demo: {name}", s))
    timed("demo_city total", time.perf_counter() - t)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timed("analyze", time.perf_counter() - t)
    total = time.perf_counter() - started

    result = report(args, timings, total)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
