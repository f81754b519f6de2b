"""Benchmark: the diary's week through the open API beside the page, in the same run, at the diary's rate.

    flock /tmp/bench/machine.lock .venv/bin/python bench/api_load.py          # the city of bench/city_year.py
    .venv/bin/python bench/api_load.py --database ejournal_wt_api_bench --guardians 300 --seconds 60 \\
        --warmup-seconds 20 --floor-seconds 10                               # a small city

Issue 18: the week through the API at the diary's rate (150 req/s) with the same p95 target as the page
(p95 ≤ 50 ms, p99 ≤ 100 ms, no errors; bench/diary_load.py), reported beside the page in the same run.

1. The same pool of guardians as bench/diary_load.py (sessions made in-process, in Redis); each also gets
   an OAuth access token (scope `family`) of one benchmark application, written to the database.
2. gunicorn as in diary_load (`-w 3 --threads 2`, REDIS_URL); the cached weeks of the page and of the API
   are deleted first.
3. locust (bench/locustfile_diary.py): the page — warmup then the rate run — then the API (`BENCH_MODE=api`,
   `GET /api/v1/family/children/{id}/week?week=…` with the guardian's token) — warmup then the rate run —,
   then the hello-world floor at the same rate. Every API read writes its `ApiRead` row, as in production.
4. Afterwards the benchmark application, its tokens and its `ApiRead` rows are deleted; if this run had to
   create the API's tables (`migrate oauth2_provider api`), it removes them again (`migrate … zero`), so the
   database is left as it was found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import RESULTS, ROOT, django_setup
from diary_load import REDIS, TARGETS, cache_clear, guardians_prepare, locust_run, server_start


def api_tables_ensure() -> bool:
    """Apply the API's migrations when the database lacks them; True when this run created them."""
    from django.core.management import call_command
    from django.db import connection

    if "api_apiread" in connection.introspection.table_names():
        return False
    call_command("migrate", "oauth2_provider", verbosity=0)
    call_command("migrate", "api", verbosity=0)
    return True


def api_tables_drop() -> None:
    from django.core.management import call_command

    call_command("migrate", "api", "zero", verbosity=0)
    call_command("migrate", "oauth2_provider", "zero", verbosity=0)


def tokens_issue(targets: dict, hours: int = 6) -> int:
    """One benchmark application and an access token (scope `family`) per guardian of the pool."""
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    app = Application.objects.create(
        name="bench: api_load", client_id=f"bench-{secrets.token_hex(6)}", client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE, redirect_uris="https://bench.invalid/cb",
        skip_authorization=True,
    )  # fmt: skip
    expires = timezone.now() + dt.timedelta(hours=hours)
    rows = []
    for guardian in targets["guardians"]:
        guardian["token"] = secrets.token_urlsafe(32)
        rows.append(AccessToken(user_id=guardian["user_id"], application=app, token=guardian["token"],
                                scope="family", expires=expires))  # fmt: skip
    AccessToken.objects.bulk_create(rows, batch_size=1000)
    return app.pk


def tokens_remove(app_id: int) -> int:
    from oauth2_provider.models import Application

    from ejournal.api.models import ApiRead

    reads, _ = ApiRead.objects.filter(application_id=app_id).delete()
    Application.objects.filter(pk=app_id).delete()
    return reads


def api_cache_clear(store) -> int:
    keys = list(store.scan_iter(match="*api:week:*", count=1000))
    for n in range(0, len(keys), 1000):
        store.delete(*keys[n : n + 1000])
    return len(keys)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--guardians", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--port", type=int, default=8049)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rate", type=float, default=150)
    parser.add_argument("--users", type=int, default=10, help="as bench/diary_load.py (see there why 10)")
    parser.add_argument("--keep-alive", action="store_true")
    parser.add_argument("--seconds", type=int, default=300, help="each rate run: the page's, then the API's")
    parser.add_argument("--warmup-seconds", type=int, default=120, help="each cold start before its rate run")
    parser.add_argument("--floor-seconds", type=int, default=30)
    args = parser.parse_args()
    url = f"{args.server}/{args.database}"
    os.environ["REDIS_URL"] = REDIS
    django_setup(url)
    import redis

    RESULTS.mkdir(parents=True, exist_ok=True)
    created = api_tables_ensure()
    targets = guardians_prepare(args.guardians, args.seed)
    app_id = tokens_issue(targets)
    path = RESULTS / "api_targets.json"
    path.write_text(json.dumps(targets))
    store = redis.Redis.from_url(REDIS)
    print(f"  {len(targets['guardians'])} guardians with a session and a token; weeks {targets['weeks']}; "
          f"{cache_clear(store) + api_cache_clear(store)} cached weeks deleted; tables created: {created}",
          flush=True)  # fmt: skip
    server = server_start(args, url)
    runs: dict = {}
    spawn = max(1.0, args.users / 10)
    try:
        for label, mode in (("page", "week"), ("api", "api")):
            if args.warmup_seconds:
                runs[f"{label}-warmup"] = locust_run(args, f"{label}-warmup", mode, users=args.users,
                                                     rate=args.rate / args.users, seconds=args.warmup_seconds,
                                                     spawn=spawn, targets=path, server=server)  # fmt: skip
                _say(f"{label}-warmup", runs[f"{label}-warmup"])
            runs[label] = locust_run(args, label, mode, users=args.users, rate=args.rate / args.users,
                                     seconds=args.seconds, spawn=spawn, targets=path, server=server)  # fmt: skip
            _say(label, runs[label])
        runs["floor"] = locust_run(args, "floor", "hello", users=args.users, rate=args.rate / args.users,
                                   seconds=args.floor_seconds, spawn=spawn, targets=path, server=server)  # fmt: skip
        _say("floor", runs["floor"])
    finally:
        server.terminate()
        server.wait(timeout=30)
        reads = tokens_remove(app_id)
        if created:
            api_tables_drop()
    result = _summary(args, runs, targets, reads, created)
    out = RESULTS / f"api_load-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    _table(result)
    print(f"\nResult written to {out.relative_to(ROOT)}")
    return 0


def _stats(run: dict) -> dict:
    return next(iter(run["stats"].values()), {}) if run else {}


def _say(label: str, run: dict) -> None:
    s = _stats(run)
    print(f"  {label}: {s.get('requests')} requests, {s.get('rps')} req/s, p50 {s.get('p50_ms')} p95 "
          f"{s.get('p95_ms')} p99 {s.get('p99_ms')} ms, {s.get('failures')} failures; cpu {run['cpu_seconds']}; "
          f"load {tuple(round(x, 1) for x in run['load_average_after'])}", flush=True)  # fmt: skip


def _summary(args, runs: dict, targets: dict, reads: int, created: bool) -> dict:
    figures, met = {}, {}
    for label in ("page", "api"):
        s = {k: v for k, v in _stats(runs.get(label, {})).items() if k != "avg_ms"}
        figures[label] = s
        met[label] = {"p95_ms": s.get("p95_ms", 1e9) <= TARGETS["p95_ms"],
                      "p99_ms": s.get("p99_ms", 1e9) <= TARGETS["p99_ms"], "errors": s.get("failures", 1) == 0,
                      "rate_held": s.get("rps", 0) >= 0.97 * args.rate}  # fmt: skip
    figures["floor"] = _stats(runs.get("floor", {}))
    return {
        "benchmark": "api_load", "at": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "plan": {"database": args.database, "guardians": len(targets["guardians"]), "rate": args.rate,
                 "users": args.users, "seconds": args.seconds, "warmup_seconds": args.warmup_seconds,
                 "server": f"gunicorn -w {args.workers} --threads {args.threads}", "tables_created": created},
        "figures": figures, "targets": {k: TARGETS[k] for k in ("p95_ms", "p99_ms", "errors")}, "met": met,
        "api_reads_logged": reads, "runs": runs,
    }  # fmt: skip


def _table(result: dict) -> None:
    f = result["figures"]
    print(f"\n  {'':<34} {'page /diary/<id>/':<30} {'API /api/v1/…/week':<30}")
    for name, keys in (("achieved req/s", ("rps",)), ("p50 / p95 / p99 / max ms", ("p50_ms", "p95_ms", "p99_ms",
                       "max_ms")), ("requests / failures", ("requests", "failures"))):  # fmt: skip
        cells = [" / ".join(str(f[label].get(k)) for k in keys) for label in ("page", "api")]
        print(f"  {name:<34} {cells[0]:<30} {cells[1]:<30}")
    floor = f["floor"]
    print(f"  floor (hello at the same rate): p50 / p95 / p99 {floor.get('p50_ms')} / {floor.get('p95_ms')} / "
          f"{floor.get('p99_ms')} ms")  # fmt: skip
    print(f"  API reads logged: {result['api_reads_logged']}; met: {result['met']}")


if __name__ == "__main__":
    sys.exit(main())
