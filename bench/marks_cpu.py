"""Benchmark: CPU time per request of the diary's pages in-process — robust on a shared machine.

    .venv/bin/python bench/marks_cpu.py --database ejournal_benchcity --guardians 200
    /tmp/orig/.venv/bin/python /tmp/orig/bench/marks_cpu.py …        # the same against another tree (before)

Through Django's WSGI stack (the test client; the app's middleware, sessions and cache in Redis as the
server uses them; DEBUG off), one request after another, for `--guardians` guardians' children: the
hello-world view, the week, the term's marks and the year's marks, each first with the diary's cache
emptied (a miss: what the first minute after a deploy or a flush costs) and then again (a hit). It
reports per page the median and p95 of the process's CPU time (`time.process_time`, which other
processes on the machine do not inflate the way they inflate wall time), the wall time and the queries,
and the ratios to hello-world. Read-only (sessions are made in Redis and the session table, as diary_load.py).
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

from city_build import RESULTS, django_setup
from diary_load import REDIS, _signed_in, guardians_prepare

PREFIXES = ("diary:week:*", "diary:weekdays:*", "diary:frame:*", "diary:marks:*")


def _clear(store) -> None:
    keys = [k for p in PREFIXES for k in store.scan_iter(match=f"*{p}", count=1000)]
    for n in range(0, len(keys), 1000):
        store.delete(*keys[n : n + 1000])


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
    args = parser.parse_args()
    os.environ["REDIS_URL"] = REDIS
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    django_setup(f"{args.server}/{args.database}")
    import redis
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    store = redis.Redis.from_url(REDIS)
    targets = guardians_prepare(args.guardians, args.seed)
    clients = [(_signed_in(targets, g), g["children"][0]) for g in targets["guardians"]]
    pages = {"hello": "/bench/hello/", "week": "/diary/{}/", "marks": "/diary/{}/marks/",
             "year": "/diary/{}/marks/?term=year"}  # fmt: skip
    for client, student in clients[:5]:  # the process's first requests (URLs, templates, connections)
        for url in pages.values():
            client.get(url.format(student))
    for client, student in clients:  # each session read once, the child remembered
        client.get(pages["week"].format(student))
    out: dict = {}
    for name, url in pages.items():
        for phase in ("miss", "hit"):
            if phase == "miss":
                _clear(store)
            cpu, wall, queries = [], [], []
            for client, student in clients:
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    c, w = time.process_time(), time.perf_counter()
                    response = client.get(url.format(student))
                    cpu.append((time.process_time() - c) * 1000)
                    wall.append((time.perf_counter() - w) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                queries.append(len(captured))
            out[f"{name}_{phase}"] = {"cpu_ms_p50": round(statistics.median(cpu), 2), "cpu_ms_p95": _pct(cpu, 0.95),
                                      "cpu_ms_mean": round(statistics.mean(cpu), 2),
                                      "wall_ms_p50": round(statistics.median(wall), 2), "wall_ms_p95": _pct(wall, 0.95),
                                      "queries_p50": statistics.median(queries), "queries_max": max(queries)}  # fmt: skip
            print(f"  {name:<6} {phase:<4} cpu p50 {out[f'{name}_{phase}']['cpu_ms_p50']:>7} ms  p95 "
                  f"{out[f'{name}_{phase}']['cpu_ms_p95']:>7}  wall p50 {out[f'{name}_{phase}']['wall_ms_p50']:>7}  "
                  f"queries {out[f'{name}_{phase}']['queries_p50']}", flush=True)  # fmt: skip
    hello = out["hello_hit"]["cpu_ms_mean"]
    ratios = {k: round(hello / v["cpu_ms_mean"], 3) for k, v in out.items() if not k.startswith("hello")}
    print("  hello-world CPU / page CPU (means): " + ", ".join(f"{k} {v}" for k, v in ratios.items()))
    result = {"benchmark": "marks_cpu", "label": args.label, "at": dt.datetime.now().isoformat(timespec="seconds"),
              "database": args.database, "guardians": len(clients), "load_average": os.getloadavg(),
              "pages": out, "ratio_hello_cpu": ratios}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"marks_cpu-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"Result written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
