"""Benchmark: what each middleware costs a cached diary week (and hello-world), in-process, CPU per request.

    .venv/bin/python bench/middleware_cpu.py --database ejournal_benchcity --guardians 100 --rounds 5
    /tmp/before/.venv/bin/python /tmp/before/bench/middleware_cpu.py …   # the same against another tree

Through Django's WSGI stack (the test client, DEBUG off, `bench_settings`, sessions and the diary's cache in
Redis as the server has them) it serves the week of `--guardians` guardians' children from a warm cache
under the full MIDDLEWARE and under variants that each leave one middleware out, interleaved round by round
(so that the machine's other load falls on every variant alike). Per variant: the median and mean CPU of the
process (`time.process_time`), the SQL queries and the Redis commands of a request. The difference between
the full list and a variant without one middleware is that middleware's cost. Read-only (sessions are made
in Redis and the session table, as diary_load.py does).
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

LEFT_OUT = (
    "ejournal.core.metrics.MetricsMiddleware",
    "ejournal.core.routing.ReadRoutingMiddleware",
    "ejournal.accounts.middleware.SignInSessionMiddleware",
    "axes.middleware.AxesMiddleware",
    "ejournal.core.middleware.OutageMiddleware",
    "ejournal.core.middleware.RequestSizeLimitMiddleware",
    "ejournal.core.middleware.SecurityHeadersMiddleware",
    "ejournal.people.middleware.PasswordChangeRequiredMiddleware",
)


def _redis_counter():
    """Count the Redis commands sent by this process (redis-py's connection, all pools)."""
    from redis.connection import AbstractConnection

    counter = {"n": 0}
    original = AbstractConnection.send_packed_command

    def counted(self, command, check_health=True):
        counter["n"] += 1 if not isinstance(command, list) else len(command)
        return original(self, command, check_health)

    AbstractConnection.send_packed_command = counted
    return counter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--guardians", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--page",
        default="/diary/{}/",
        help="the page, {} the child (default: the week); «file»: a homework file of the child's week "
        "(made for the run as evening_mix.py does, deleted after)",
    )
    parser.add_argument("--only-full", action="store_true", help="the full MIDDLEWARE only (no variants)")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    os.environ["REDIS_URL"] = REDIS
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1")
    django_setup(f"{args.server}/{args.database}")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    redis_commands = _redis_counter()
    full = list(settings.MIDDLEWARE)
    variants = {"full": full}
    for name in LEFT_OUT:
        if name in full:
            variants["-" + name.rsplit(".", 1)[-1]] = [m for m in full if m != name]
    variants["-session6_new"] = [m for m in full if m not in LEFT_OUT[:4]]  # all four added in session 8
    if args.only_full:
        variants = {"full": full}
    targets = guardians_prepare(args.guardians, args.seed)
    if args.page == "file":
        from evening_mix import MEDIA, files_prepare

        settings.MEDIA_ROOT = str(MEDIA)
        MEDIA.mkdir(parents=True, exist_ok=True)
        files_prepare(targets)
        base = [(_signed_in(targets, g), f"{s}/files/{ids[0]}") for g in targets["guardians"]
                for s, ids in list(g["files"].items())[:1] if ids]  # fmt: skip
        args.page = "/diary/{}/"
    else:
        base = [(_signed_in(targets, g), g["children"][0]) for g in targets["guardians"]]
    pages = {"hello": "/bench/hello/", "page": args.page}
    for client, student in base:  # the pages cached, each session's child remembered
        client.get(pages["page"].format(student))
        client.get(pages["page"].format(student))
    samples: dict[str, dict[str, dict[str, list]]] = {
        v: {p: {"cpu": [], "wall": [], "queries": [], "redis": []} for p in pages} for v in variants
    }
    for _ in range(args.rounds):
        for variant, middleware in variants.items():
            with override_settings(MIDDLEWARE=middleware):
                clients = []
                for client, student in base:
                    other = Client()
                    other.cookies = client.cookies
                    clients.append((other, student))
                for page, url in pages.items():
                    clients[0][0].get(url.format(clients[0][1]))  # the variant's chain built
                    s = samples[variant][page]
                    for client, student in clients:
                        r0 = redis_commands["n"]
                        with CaptureQueriesContext(connection) as captured:
                            c, w = time.process_time(), time.perf_counter()
                            response = client.get(url.format(student))
                            s["cpu"].append((time.process_time() - c) * 1000)
                            s["wall"].append((time.perf_counter() - w) * 1000)
                        assert response.status_code == 200, (variant, url, response.status_code)
                        s["queries"].append(len(captured))
                        s["redis"].append(redis_commands["n"] - r0)
    out = {}
    for variant, by_page in samples.items():
        out[variant] = {}
        for page, s in by_page.items():
            out[variant][page] = {
                "cpu_ms_p50": round(statistics.median(s["cpu"]), 3),
                "cpu_ms_mean": round(statistics.mean(s["cpu"]), 3),
                "wall_ms_p50": round(statistics.median(s["wall"]), 3),
                "queries": statistics.median(s["queries"]),
                "redis_commands": statistics.median(s["redis"]),
            }
    ref = out["full"]
    print(f"  {'variant':<40} {'page cpu p50':>12} {'mean':>7} {'Δ mean':>7} {'SQL':>4} {'Redis':>5}   "
          f"{'hello p50':>9} {'mean':>6} {'SQL':>4}")  # fmt: skip
    for variant, by_page in out.items():
        p, h = by_page["page"], by_page["hello"]
        print(f"  {variant:<40} {p['cpu_ms_p50']:>12} {p['cpu_ms_mean']:>7} "
              f"{p['cpu_ms_mean'] - ref['page']['cpu_ms_mean']:>+7.3f} {p['queries']:>4} {p['redis_commands']:>5}   "
              f"{h['cpu_ms_p50']:>9} {h['cpu_ms_mean']:>6} {h['queries']:>4}")  # fmt: skip
    if "files" in targets["guardians"][0]:
        from ejournal.journal.models import HomeworkAttachment

        for item in HomeworkAttachment.objects.filter(token__startswith="benchpeak"):
            item.file.delete(save=False)
            item.delete()
    result = {"benchmark": "middleware_cpu", "label": args.label, "at": dt.datetime.now().isoformat(timespec="seconds"),
              "database": args.database, "page": args.page, "guardians": len(base), "rounds": args.rounds,
              "load_average": os.getloadavg(), "variants": out}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"middleware_cpu-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"  load average {os.getloadavg()}; result written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
