"""Benchmark: the families' whole evening over HTTP — week, marks, year, files and sign-ins — against hello-world.

    flock /tmp/bench/machine.lock .venv/bin/python bench/evening_mix.py               # ejournal_benchcity
    flock /tmp/bench/machine.lock .venv/bin/python bench/evening_mix.py --isolate --warm   # sign-ins apart, warmed
    .venv/bin/python bench/evening_mix.py --database ejournal_peak_small --guardians 300 --signers 50 \\
        --cold-seconds 10 --seconds 15 --peak-seconds 10 --max-seconds 10 --hello-seconds 5   # smoke run

Issue 20: signed-in guardians doing week 55 %, term marks 25 %, year marks 5 %, homework files 5 % and
sign-ins 10 % (the login form with a right password: Argon2 at the site's cost), at the city's evening
rate (150 req/s) and at 3× that for 60 s. Targets: the marks pages p95 ≤ 30 ms within the mix at 150 req/s;
≥ 200 marks pages/s closed-loop; the mix's p95 with its sign-ins on target; p95 ≤ 60 ms in the first
minute after a cache flush; the pages at ≥ 0.30 of hello-world in the same run.

1. Uses an existing database (default `ejournal_benchcity`). Writes only what the scenario needs: a known
   password for `--signers` guardians (as journal_load.py does for its teachers; a sign-in then writes
   their session and last_login), and a homework file on the week of the pool's children that have none
   (`HomeworkAttachment`, token «benchpeak…», files under /tmp/bench/media-peak; deleted at the end unless
   `--keep-files`). `--guardians` guardians get sessions made in-process (diary_load.py).
2. gunicorn `-w 3 --threads 2` as diary_load.py (`--workers`, `--threads`); with `--isolate` the sign-ins go to their own pool
   (`-w 1 --threads 32`, `nice -n 10`, SIGNIN_CONCURRENCY=1) on the next port, as nginx would route
   /accounts/login/ in production; without it they share the pages' workers with no limit (before).
3. The diary's cache (weeks, frames, marks) is emptied (not with `--no-flush`: a deploy that changes no page);
   with `--warm` `manage.py diary_warm` (`--warm-args`) fills the pages of the students of guardians signed in
   within the day (timed): before the cold run (a deploy warmed before it takes traffic) or, with `--warm-live`,
   during it (a cache flush in the evening: the families do not wait). Then, each a
   locust run (`bench/locustfile_evening.py`): cold (the first minute), rate, peak (3×), marks closed loop,
   pages closed loop (the mix without sign-ins), hello closed loop; the CPU seconds of each process.
4. Raw SQL: the cached marks page's queries (captured in-process) replayed with psycopg: pages/s.
Prints a table and writes JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import diary_load
from city_build import RESULTS, ROOT, django_setup
from diary_load import BIN, REDIS, cpu_seconds, guardians_prepare, postgres_cpu, server_env

MEDIA = Path("/tmp/bench/media-peak")
PASSWORD = "Вечер-2026-peak"
TARGETS = {"marks_p95_ms": 30, "mix_p95_ms": 50, "cold_p95_ms": 60, "marks_closed_loop": 200, "ratio_hello": 0.30}
PREFIXES = ("diary:week:*", "diary:weekdays:*", "diary:frame:*", "diary:marks:*")
SIGNIN_RATE = 0.25  # sign-ins a second of each sign-in user: a sign-in may take 4 s without lowering the offered rate


def files_prepare(targets: dict) -> int:
    """The homework files of each child's this and previous week (one made where a week has homework but no file)."""
    from django.core.files.base import ContentFile

    from ejournal.journal.models import Homework, HomeworkAttachment
    from ejournal.people.models import Enrolment

    monday = dt.date.fromisoformat(targets["monday"])
    made = 0
    for guardian in targets["guardians"]:
        guardian["files"] = {}
        for student in guardian["children"]:
            classes = list(Enrolment.objects.filter(student_id=student, ends_on__isnull=True)
                           .values_list("school_class_id", flat=True))  # fmt: skip
            homework = Homework.objects.filter(school_class_id__in=classes, lesson__subgroup__isnull=True,
                                               lesson__date__range=(monday - dt.timedelta(7), monday + dt.timedelta(6)))  # fmt: skip
            ids = list(HomeworkAttachment.objects.filter(homework__in=homework).values_list("id", flat=True)[:3])
            if not ids:
                first = homework.order_by("lesson__date").first()
                if first is not None:
                    token = f"benchpeak{secrets.token_hex(8)}"
                    item = HomeworkAttachment(school_id=first.school_id, homework=first, token=token,
                                              original_name="задание.pdf", size=24_000,
                                              uploaded_by_id=first.created_by_id)  # fmt: skip
                    item.file.save(token, ContentFile(b"%PDF-1.4\n" + os.urandom(24_000 - 9)), save=True)
                    ids, made = [item.pk], made + 1
            guardian["files"][str(student)] = ids
    return made


def signers_prepare(count: int, exclude: set[int], seed: int) -> list[tuple[str, str]]:
    """`count` guardians outside the page pool, with a known password (hashed once at the site's cost)."""
    from django.contrib.auth.hashers import make_password

    from ejournal.accounts.models import User

    ids = list(User.objects.filter(guardian__isnull=False, is_active=True).exclude(pk__in=exclude)
               .order_by("pk").values_list("pk", flat=True)[: count * 20])  # fmt: skip
    picked = random.Random(seed).sample(ids, min(count, len(ids)))
    User.objects.filter(pk__in=picked).update(password=make_password(PASSWORD), must_change_password=False)
    return [(u, PASSWORD) for u in User.objects.filter(pk__in=picked).values_list("username", flat=True)]


def cache_clear(store) -> int:
    keys = [k for prefix in PREFIXES for k in store.scan_iter(match=f"*{prefix}", count=1000)]
    for n in range(0, len(keys), 1000):
        store.delete(*keys[n : n + 1000])
    return len(keys)


def cached(store, prefix: str) -> int:
    return sum(1 for _ in store.scan_iter(match=f"*{prefix}", count=1000))


def start(args, url: str, port: int, workers: int, threads: int, env: dict, nice: str = "") -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "ejournal.wsgi", "-w", str(workers), "--threads", str(threads),
               "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--log-level", "warning", "--timeout", "60"]  # fmt: skip
    if (
        nice == "idle"
    ):  # SCHED_IDLE: the pool runs only on CPU time the pages leave (docs/deploy.md: CPUSchedulingPolicy)
        command = ["chrt", "--idle", "0", *command]
    elif nice:
        command = ["nice", "-n", nice, *command]
    server = subprocess.Popen(command, env={**server_env(url), "MEDIA_ROOT": str(MEDIA), **env})
    import urllib.request

    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def run(
    args,
    label: str,
    mode: str,
    *,
    users: int,
    rate: float,
    seconds: int,
    targets: Path,
    servers: dict,
    total_rate: float = 0,
) -> dict:
    """One headless locust run: stats per kind, CPU seconds of locust, each server and PostgreSQL. In the mix
    `users` offer the pages' 90 % of `total_rate` (`rate` each) and sign-in users of their own the other 10 %."""
    import csv

    import psutil

    prefix = RESULTS / f"locust-evening-{label}"
    signin = f"http://127.0.0.1:{args.port + 1}" if args.isolate else ""
    # The sign-ins (10 % of the mix's rate) are users of their own, each offering SIGNIN_RATE (see the locustfile).
    signin_users = max(1, round(total_rate * 0.10 / SIGNIN_RATE)) if mode == "mix" and total_rate else 0
    env = {**os.environ, "BENCH_TARGETS": str(targets), "BENCH_MODE": mode, "BENCH_RATE": str(rate),
           "BENCH_SIGNIN": signin, "BENCH_SIGNIN_USERS": str(signin_users), "BENCH_SIGNIN_RATE": str(SIGNIN_RATE)}  # fmt: skip
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile_evening.py"), "--headless", "-u",
               str(users + signin_users), "-r", str(max(1, users + signin_users)), "--run-time", f"{seconds}s", "--host",
               f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
               "--loglevel", "WARNING"]  # fmt: skip
    before = {name: cpu_seconds(s.pid) for name, s in servers.items()}
    pg, load = postgres_cpu(args.database), os.getloadavg()
    locust = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    locust_cpu = 0.0
    while locust.poll() is None:
        try:
            t = psutil.Process(locust.pid).cpu_times()
            locust_cpu = t.user + t.system
        except psutil.NoSuchProcess:
            break
        time.sleep(1)
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2), "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]), "max_ms": float(row["Max Response Time"]),
            }  # fmt: skip
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
            failures = [dict(r) for r in csv.DictReader(f)][:5]
    out = {"mode": mode, "users": users, "rate_per_user": rate, "signin_users": signin_users, "seconds": seconds, "stats": stats,
           "failures": failures, "load_average_before": load, "load_average_after": os.getloadavg(),
           "cpu_seconds": {"locust": round(locust_cpu, 1), "postgres": round(postgres_cpu(args.database) - pg, 1),
                           **{n: round(cpu_seconds(s.pid) - before[n], 1) for n, s in servers.items()}}}  # fmt: skip
    agg = stats.get("Aggregated", {})
    print(f"  {label}: {agg.get('requests')} requests, {agg.get('rps')} req/s, p50 {agg.get('p50_ms')} p95 "
          f"{agg.get('p95_ms')} ms, {agg.get('failures')} failures; " + "; ".join(
              f"{k} p95 {v['p95_ms']} ({v['requests']})" for k, v in stats.items() if k != "Aggregated")
          + f"; cpu {out['cpu_seconds']}; load {load[0]:.1f}", flush=True)  # fmt: skip
    return out


def warm_start(args, url: str) -> tuple[subprocess.Popen, float]:
    import shlex

    command = [str(BIN / "python"), "manage.py", "diary_warm", "--since-hours", "24", *shlex.split(args.warm_args)]
    print(f"  warm-up: {' '.join(command[2:])}{' (during the cold run)' if args.warm_live else ''}", flush=True)
    process = subprocess.Popen(command, cwd=ROOT, env=server_env(url), stdout=subprocess.PIPE, text=True)
    return process, time.perf_counter()


def warm_done(live: tuple[subprocess.Popen, float], result: dict) -> None:
    process, started = live
    output, _ = process.communicate()
    seconds = round(time.perf_counter() - started, 1)
    result["warm"] = {"seconds": seconds, "output": output.strip()[-500:], "returncode": process.returncode}
    print(f"  warmed in {seconds} s: {result['warm']['output']}", flush=True)


def raw_marks(url: str, targets: dict, seconds: float, threads: int) -> dict:
    """The cached marks page's own queries (after the middleware's), captured in-process, replayed with psycopg."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ejournal.diary.marks import FINGERPRINT  # noqa: F401 - registers nothing; the statement is captured

    pages = []
    for guardian in random.Random(5).sample(targets["guardians"], min(20, len(targets["guardians"]))):
        client = diary_load._signed_in(targets, guardian)
        page = f"/diary/{guardian['children'][0]}/marks/"
        client.get(page)
        client.get(page)
        with CaptureQueriesContext(connection) as base:
            client.get("/diary/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        pages.append({"cached": [q["sql"] for q in queries.captured_queries][len(base) :]})
    return diary_load.raw_sql(url, pages, "cached", threads, seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--guardians", type=int, default=2000)
    parser.add_argument("--signers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--port", type=int, default=8058)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers of the pages")
    parser.add_argument("--threads", type=int, default=2, help="threads of each worker of the pages")
    parser.add_argument("--rate", type=float, default=150)
    parser.add_argument("--peak-factor", type=float, default=3)
    parser.add_argument("--users", type=int, default=10, help="locust users at the rate (diary_load.py: why 10)")
    parser.add_argument("--peak-users", type=int, default=30)
    parser.add_argument("--cold-seconds", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--peak-seconds", type=int, default=60)
    parser.add_argument("--max-users", type=int, default=32)
    parser.add_argument("--max-seconds", type=int, default=30)
    parser.add_argument("--hello-seconds", type=int, default=20)
    parser.add_argument("--raw-seconds", type=int, default=10)
    parser.add_argument(
        "--isolate", action="store_true", help="sign-ins to their own niced pool (SIGNIN_CONCURRENCY=1)"
    )
    parser.add_argument(
        "--signin-sched",
        default="idle",
        help="the sign-in pool's CPU share with --isolate: idle (SCHED_IDLE) or a nice level",
    )
    parser.add_argument("--warm", action="store_true", help="manage.py diary_warm after the cache is emptied")
    parser.add_argument("--warm-args", default="--year", help="diary_warm's options (beside --since-hours 24)")
    parser.add_argument(
        "--warm-live", action="store_true",
        help="the warm-up runs during the cold run (a flush in the evening), not before it (a deploy warmed first)",
    )  # fmt: skip
    parser.add_argument("--no-flush", action="store_true", help="the cold run on the cache as left (a deploy)")
    parser.add_argument(
        "--rate-mode", default="mix", choices=("mix", "pages"),
        help="pages: the cold and rate runs without the sign-ins (compare with mix at --rate 135: the same pages)",
    )  # fmt: skip
    parser.add_argument("--keep-files", action="store_true")
    parser.add_argument(
        "--skip", default="", help="runs to skip, comma-separated: cold,rate,peak,marks,pages,hello,raw"
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    url = f"{args.server}/{args.database}"
    os.environ["REDIS_URL"] = REDIS
    os.environ["MEDIA_ROOT"] = str(MEDIA)
    MEDIA.mkdir(parents=True, exist_ok=True)
    django_setup(url)
    import redis
    from django.contrib.auth.models import update_last_login  # noqa: F401

    from ejournal.accounts.models import User
    from ejournal.journal.models import HomeworkAttachment

    RESULTS.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    targets = guardians_prepare(args.guardians, args.seed)
    made = files_prepare(targets)
    targets["signers"] = signers_prepare(args.signers, {g["user_id"] for g in targets["guardians"]}, args.seed)
    # The pool signed in earlier this evening (what a sign-in writes): whom `diary_warm --since-hours` picks.
    User.objects.filter(pk__in=[g["user_id"] for g in targets["guardians"]]).update(last_login=dt.datetime.now(dt.UTC))
    path = RESULTS / "evening_targets.json"
    path.write_text(json.dumps(targets))
    files = sum(len(v) for g in targets["guardians"] for v in g["files"].values())
    print(f"  {len(targets['guardians'])} guardians, {files} files ({made} made), {len(targets['signers'])} signers "
          f"({time.perf_counter() - t:.0f} s)", flush=True)  # fmt: skip
    store = redis.Redis.from_url(REDIS)
    servers = {"gunicorn": start(args, url, args.port, args.workers, args.threads,
                                 {"SIGNIN_CONCURRENCY": "1" if args.isolate else "64"})}  # fmt: skip
    if args.isolate:
        # 32 threads: one hashes, the others wait at most SIGNIN_WAIT_MS for the slot and are then answered 503 at
        # once; with 4 the sign-ins beyond them queued unanswered in the worker (p95 35 s in a 30-s run).
        servers["signin_pool"] = start(args, url, args.port + 1, 1, 32, {"SIGNIN_CONCURRENCY": "1"},
                                       nice=args.signin_sched)  # fmt: skip
    runs, result = {}, {}
    try:
        if not args.no_flush:
            print(f"  {cache_clear(store)} cached pages of an earlier run deleted", flush=True)
        live = warm_start(args, url) if args.warm else None
        if live and not args.warm_live:
            warm_done(live, result)
        plan = [("cold", args.rate_mode, args.users, args.rate, args.cold_seconds),
                ("rate", args.rate_mode, args.users, args.rate, args.seconds),
                ("peak", "mix", args.peak_users, args.rate * args.peak_factor, args.peak_seconds),
                ("marks", "marks", args.max_users, 0, args.max_seconds),
                ("pages", "pages", args.max_users, 0, args.max_seconds),
                ("hello", "hello", args.max_users, 0, args.hello_seconds)]  # fmt: skip
        for label, mode, users, rate, seconds in plan:
            if label in skip or not seconds:
                continue
            page_rate = rate * (0.9 if mode == "mix" else 1)
            runs[label] = run(args, label, mode, users=users, rate=page_rate / users if rate else 0, seconds=seconds,
                              targets=path, servers=servers, total_rate=rate)  # fmt: skip
            runs[label]["cached"] = {p: cached(store, p) for p in PREFIXES}
            if live and "seconds" not in result.get("warm", {}):  # --warm-live: the warm-up done by the run after
                warm_done(live, result)
        if live and "warm" not in result:
            warm_done(live, result)
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(timeout=30)
    if "raw" not in skip:
        result["raw_marks_cached"] = raw_marks(url, targets, args.raw_seconds, 6)
        print(f"  raw SQL of a cached marks page: {result['raw_marks_cached']}", flush=True)
    if not args.keep_files:
        gone = HomeworkAttachment.objects.filter(token__startswith="benchpeak")
        for item in gone:
            item.file.delete(save=False)
        gone.delete()
    result.update(summary(args, runs))
    out = RESULTS / f"evening_mix-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result["figures"], ensure_ascii=False, indent=1))
    print(f"\nResult written to {out.relative_to(ROOT)}")
    return 0


def summary(args, runs: dict) -> dict:
    def stat(run: str, name: str, key: str):
        return runs.get(run, {}).get("stats", {}).get(name, {}).get(key)

    figures = {}
    for run in ("cold", "rate", "peak"):
        if run in runs:
            figures[run] = {name: {k: s[k] for k in ("requests", "rps", "p50_ms", "p95_ms", "p99_ms", "failures")}
                            for name, s in runs[run]["stats"].items()}  # fmt: skip
            total = stat(run, "Aggregated", "requests") or 1
            busy = stat(run, "signin-busy", "requests") or 0
            figures[run]["signin_busy_share"] = round(busy / max(1, stat(run, "signin", "requests") or 1), 3)
            cpu = runs[run]["cpu_seconds"]
            figures[run]["cpu_ms_per_request"] = {k: round(1000 * v / total, 2) for k, v in cpu.items()}
            figures[run]["load_average"] = runs[run]["load_average_before"]
    marks = stat("marks", "marks", "rps")
    pages, hello = stat("pages", "Aggregated", "rps"), stat("hello", "hello", "rps")
    figures["marks_closed_loop_rps"] = marks
    figures["pages_closed_loop_rps"] = pages
    figures["hello_rps"] = hello
    figures["ratio_pages_hello"] = round(pages / hello, 3) if pages and hello else None
    figures["ratio_marks_hello"] = round(marks / hello, 3) if marks and hello else None
    if "hello" in runs and hello:
        figures["hello_cpu_ms"] = round(
            1000 * runs["hello"]["cpu_seconds"]["gunicorn"] / (hello * args.hello_seconds), 2
        )
    for run in ("marks", "pages"):
        if run in runs:
            n = stat(run, "Aggregated", "requests") or 1
            figures[f"{run}_cpu_ms"] = round(1000 * runs[run]["cpu_seconds"]["gunicorn"] / n, 2)
    return {"benchmark": "evening_mix", "at": dt.datetime.now().isoformat(timespec="seconds"),
            "plan": dict(vars(args)), "figures": figures, "targets": TARGETS, "runs": runs}  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
