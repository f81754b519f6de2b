"""Benchmark: CPU time and queries per request of the week through the open API beside the page, in-process.

    .venv/bin/python bench/api_cpu.py --database ejournal_wt_api_bench --guardians 200
    .venv/bin/python bench/api_cpu.py --database ejournal_wt_api_bench --profile api_hit   # cProfile of one kind

As bench/marks_cpu.py (the app's WSGI stack through the test client, sessions and cache in Redis, DEBUG off;
`time.process_time`, which other processes on the machine do not inflate): for `--guardians` guardians, one
request after another, the hello-world view, the week page and the week through the API (a bearer token of a
benchmark application, as bench/api_load.py issues), each with the diary's and the API's cached weeks emptied
(miss) and then again (hit). Reports per kind the median and p95 of CPU per request, the wall time, the
queries (and with `--sql` the SQL of one API request). The benchmark application, its tokens and `ApiRead`
rows are deleted afterwards.
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

from api_load import api_cache_clear, api_tables_ensure, tokens_issue, tokens_remove
from city_build import RESULTS, django_setup
from diary_load import REDIS, _signed_in, cache_clear, guardians_prepare


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))], 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--guardians", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--label", default="")
    parser.add_argument("--profile", default="", help="cProfile one kind (e.g. api_hit), top functions printed")
    parser.add_argument("--sql", action="store_true", help="print the SQL of one API request (a hit)")
    args = parser.parse_args()
    os.environ["REDIS_URL"] = REDIS
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    django_setup(f"{args.server}/{args.database}")
    import redis
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    store = redis.Redis.from_url(REDIS)
    created = api_tables_ensure()
    targets = guardians_prepare(args.guardians, args.seed)
    app_id = tokens_issue(targets)
    api_client = Client()
    pages = {
        "hello": lambda g, s: _signed_in(targets, g).get("/bench/hello/"),
        "page": lambda g, s: g["_client"].get(f"/diary/{s}/"),
        "api": lambda g, s: api_client.get(
            f"/api/v1/family/children/{s}/week", HTTP_AUTHORIZATION=f"Bearer {g['token']}"
        ),
    }
    guardians = targets["guardians"]
    for g in guardians:
        g["_client"] = _signed_in(targets, g)
    out: dict = {}
    try:
        for g in guardians[:5]:  # the process's first requests (URLs, templates, connections)
            for call in pages.values():
                call(g, g["children"][0])
        for g in guardians:  # each session read once, the child remembered
            pages["page"](g, g["children"][0])
        for name, call in pages.items():
            for phase in ("miss", "hit"):
                if phase == "miss":
                    cache_clear(store)
                    api_cache_clear(store)
                profiler = cProfile.Profile() if args.profile == f"{name}_{phase}" else None
                cpu, wall, queries, worst = [], [], [], None
                for g in guardians:
                    reset_queries()
                    with CaptureQueriesContext(connection) as captured:
                        if profiler:
                            profiler.enable()
                        c, w = time.process_time(), time.perf_counter()
                        response = call(g, g["children"][0])
                        cpu.append((time.process_time() - c) * 1000)
                        wall.append((time.perf_counter() - w) * 1000)
                        if profiler:
                            profiler.disable()
                    assert response.status_code == 200, (name, response.status_code, response.content[:300])
                    queries.append(len(captured))
                    if args.sql and name == "api" and len(captured) > (worst[1] if worst else -1):
                        worst = (phase, len(captured), list(captured.captured_queries))
                if args.sql and name == "api":
                    print(f"    the request with the most queries ({worst[1]}):")
                    for q in worst[2]:
                        print(f"    [{q['time']}] {q['sql'][:300]}")
                row = {"cpu_ms_p50": round(statistics.median(cpu), 2), "cpu_ms_p95": _pct(cpu, 0.95),
                       "cpu_ms_mean": round(statistics.mean(cpu), 2), "wall_ms_p50": round(statistics.median(wall), 2),
                       "wall_ms_p95": _pct(wall, 0.95), "queries_p50": statistics.median(queries),
                       "queries_max": max(queries)}  # fmt: skip
                out[f"{name}_{phase}"] = row
                print(f"  {name:<6} {phase:<4} cpu p50 {row['cpu_ms_p50']:>7} ms  p95 {row['cpu_ms_p95']:>7}  "
                      f"mean {row['cpu_ms_mean']:>7}  wall p50 {row['wall_ms_p50']:>7}  queries {row['queries_p50']}",
                      flush=True)  # fmt: skip
                if profiler:
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
                    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    finally:
        reads = tokens_remove(app_id)
        if created:
            from api_load import api_tables_drop

            api_tables_drop()
    ratio = round(out["api_hit"]["cpu_ms_mean"] / out["page_hit"]["cpu_ms_mean"], 2)
    print(f"  API / page CPU (hit, means): {ratio}; API reads logged: {reads}")
    result = {"benchmark": "api_cpu", "label": args.label, "at": dt.datetime.now().isoformat(timespec="seconds"),
              "database": args.database, "guardians": len(guardians), "load_average": os.getloadavg(),
              "kinds": out, "api_over_page_cpu_hit": ratio, "api_reads_logged": reads}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"api_cpu-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"Result written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
