"""Benchmark: the parents' diary week page in the evening peak, over HTTP, against hello-world and raw SQL.

    flock /tmp/bench/machine.lock .venv/bin/python bench/diary_load.py     # the city of bench/city_year.py
    .venv/bin/python bench/diary_load.py --database ejournal_h3small --guardians 300 --seconds 20 --max-seconds 10 \\
        --hello-seconds 5 --raw-seconds 5                                  # smoke run

Issue 5: the week page under a fixed offered rate of 150 requests/s for 5 minutes: p95 ≤ 50 ms,
p99 ≤ 100 ms, no errors; the maximum sustained throughput; in the same run the throughput of a
Django hello-world view and of the page's raw SQL, and the ratios (goal: the page at ≥ 30 % of
hello-world).

1. Uses an existing database (default `ejournal_benchcity`, built by bench/city_year.py) and only
   reads it: `--guardians` guardians are signed in by sessions made in-process (what `login()`
   stores, in the session store the server reads): parents who signed in earlier in the evening.
2. Serves the app with gunicorn (DEBUG off, bench_settings: the app's settings plus /bench/hello/)
   on 127.0.0.1 with REDIS_URL (the cache shared by the workers, as in production). The diary's
   cached weeks of an earlier run are deleted first, so every run starts cold.
3. locust headless (bench/locustfile_diary.py, FastHttpUser, one process): every request a random
   guardian of the pool opening a child's week (this week 80 %, the previous 15 %, the next 5 %).
   - rate: `--rate` req/s offered (`--users` users × constant throughput) for `--seconds`;
   - max: `--max-users` closed-loop users for `--max-seconds`;
   - hello: the same closed loop on /bench/hello/ for `--hello-seconds`.
4. Raw SQL: the queries the week page runs (captured in-process from the view, cache missed and
   cache hit), replayed with psycopg on as many connections as gunicorn has threads: pages/s.
5. Profiles one week page in-process (cProfile, SQL count), both from the cache and rendered.
Prints a table and writes JSON under bench/results/.
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
import random
import subprocess
import sys
import threading
import time
import urllib.request
from importlib import import_module
from pathlib import Path

import psutil
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from city_build import RESULTS, ROOT, django_setup

BIN = ROOT / ".venv" / "bin"
TARGETS = {"p95_ms": 50, "p99_ms": 100, "errors": 0, "ratio_hello": 0.30}
REDIS = "redis://127.0.0.1:6379/1"


def guardians_prepare(count: int, seed: int) -> dict:
    """`count` guardians of children in a class (spread over the city), each with a fresh signed-in session."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Q
    from django.middleware.csrf import CSRF_ALLOWED_CHARS
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from ejournal.accounts.models import User
    from ejournal.diary.selectors import week_param
    from ejournal.people.models import GuardianLink
    from ejournal.timetable.calendar import week_start

    pairs = GuardianLink.objects.filter(
        student__is_active=True, student__school_class__isnull=False, guardian__user__is_active=True
    ).exclude(Q(guardian__user__must_change_password=True))
    children: dict[int, list[int]] = {}
    for user_id, student_id in pairs.values_list("guardian__user_id", "student_id").order_by("guardian__user_id"):
        children.setdefault(user_id, []).append(student_id)
    picked = random.Random(seed).sample(sorted(children), min(count, len(children)))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    out = []
    for user in User.objects.filter(pk__in=picked).order_by("pk"):
        session = store()  # what `login()` stores, without its writes to the user (last_login)
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        # and the CSRF cookie its browser got on its first page (without it every page would set a new one)
        csrf = get_random_string(32, CSRF_ALLOWED_CHARS)
        out.append({"user_id": user.pk, "session": session.session_key, "csrf": csrf,
                    "children": sorted(children[user.pk])})  # fmt: skip
    monday = week_start(timezone.localdate())
    weeks = [week_param(monday + dt.timedelta(days=d)) for d in (0, -7, 7)]
    return {"guardians": out, "weeks": weeks, "cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME, "monday": monday.isoformat()}  # fmt: skip


def server_env(url: str) -> dict:
    return {
        **os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}", "REDIS_URL": REDIS,
    }  # fmt: skip


def server_start(args, url: str) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"), "ejournal.wsgi", "-w", str(args.workers), "--threads", str(args.threads),
        "-b", f"127.0.0.1:{args.port}", "--chdir", str(ROOT), "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=server_env(url))
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/bench/hello/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its live children (the gunicorn master and its workers)."""
    proc = psutil.Process(pid)
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def postgres_cpu(database: str) -> float:
    """CPU of the PostgreSQL backends serving `database` now (other databases' jobs left out)."""
    total = 0.0
    for p in psutil.process_iter(["name", "cmdline"]):
        if (p.info["name"] or "").startswith("postgres") and f" {database} " in " ".join(p.info["cmdline"] or ()):
            try:
                times = p.cpu_times()
                total += times.user + times.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
    return total


def cache_keys(client) -> int:
    return sum(1 for _ in client.scan_iter(match="*diary:week:*", count=1000))


def cache_clear(client) -> int:
    """The cached weeks and the frames around them (a run starts with nothing of the diary cached)."""
    keys = [
        *client.scan_iter(match="*diary:week:*", count=1000),
        *client.scan_iter(match="*diary:frame:*", count=1000),
        *client.scan_iter(match="*diary:weekdays:*", count=1000),
    ]
    for n in range(0, len(keys), 1000):
        client.delete(*keys[n : n + 1000])
    return len(keys)


def locust_run(args, label: str, mode: str, *, users: int, rate: float, seconds: int, spawn: float,
               targets: Path, server: subprocess.Popen) -> dict:  # fmt: skip
    """One headless locust run; its stats, and the CPU seconds of locust, gunicorn and PostgreSQL."""
    prefix = RESULTS / f"locust-diary-{label}"
    env = {**os.environ, "BENCH_TARGETS": str(targets), "BENCH_MODE": mode, "BENCH_RATE": str(rate),
           "BENCH_KEEP_ALIVE": "1" if args.keep_alive else ""}  # fmt: skip
    command = [
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile_diary.py"), "--headless", "-u", str(users),
        "-r", str(spawn), "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{args.port}", "--csv",
        str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
    ]  # fmt: skip
    cpu = (cpu_seconds(server.pid), postgres_cpu(args.database))
    started = time.perf_counter()
    locust = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    locust_cpu = 0.0
    while locust.poll() is None:
        try:
            times = psutil.Process(locust.pid).cpu_times()
            locust_cpu = times.user + times.system
        except psutil.NoSuchProcess:
            break
        time.sleep(1)
    elapsed = time.perf_counter() - started
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 2), "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]), "max_ms": float(row["Max Response Time"]),
                "avg_ms": round(float(row["Average Response Time"]), 1),
            }  # fmt: skip
    failures = []
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
            failures = [dict(r) for r in csv.DictReader(f)][:5]
    return {
        "mode": mode, "users": users, "rate_per_user": rate, "seconds": seconds, "wall": round(elapsed, 1),
        "load_average_after": os.getloadavg(),
        "stats": stats, "failures": failures,
        "cpu_seconds": {"locust": round(locust_cpu, 1), "gunicorn": round(cpu_seconds(server.pid) - cpu[0], 1),
                        "postgres": round(postgres_cpu(args.database) - cpu[1], 1)},
    }  # fmt: skip


# --- the page's raw SQL ----------------------------------------------------------------------


def _signed_in(targets: dict, guardian: dict):
    """A test client with the guardian's session (no sign-in: nothing written to the user)."""
    from django.test import Client

    client = Client()
    client.cookies[targets["cookie"]] = guardian["session"]
    client.cookies[targets["csrf_cookie"]] = guardian["csrf"]
    return client


def page_queries(targets: dict, samples: int, store) -> list[dict]:
    """Per sample page: the SQL of the week view (rendered, and from the cache), captured in-process; the
    queries of the middleware (session, user, role) are left out: those of the diary's home, which only
    redirects, run just before."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rng = random.Random(5)
    out = []
    for guardian in rng.sample(targets["guardians"], min(samples, len(targets["guardians"]))):
        client = _signed_in(targets, guardian)
        url = f"/diary/{guardian['children'][0]}/"
        client.get(url)  # the session remembers the child; the connection has the prepared fingerprint
        page = {}
        for kind in ("rendered", "cached"):
            if kind == "rendered":
                cache_clear(store)
            with CaptureQueriesContext(connection) as base:
                client.get("/diary/")
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            page[kind] = [q["sql"] for q in queries.captured_queries][len(base) :]
        out.append(page)
    return out


def raw_sql(url: str, pages: list[dict], kind: str, threads: int, seconds: float) -> dict:
    """The captured queries of one page after another, with psycopg (autocommit) on `threads` connections."""
    from ejournal.diary.week import STATEMENTS, prepare_sql

    prepares = [prepare_sql(name) for name in STATEMENTS]  # those the captured pages EXECUTE
    done = [0] * threads
    latencies: list[list[float]] = [[] for _ in range(threads)]
    stop = time.perf_counter() + seconds

    def worker(k: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            for prepare in prepares:
                conn.execute(prepare)
            n = k
            while time.perf_counter() < stop:
                t = time.perf_counter()
                for sql in pages[n % len(pages)][kind]:
                    if sql.startswith("PREPARE"):
                        continue
                    cursor = conn.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()
                latencies[k].append((time.perf_counter() - t) * 1000)
                done[k] += 1
                n += threads

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for p in pool:
        p.start()
    for p in pool:
        p.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for lat in latencies for x in lat)
    return {"pages_per_second": round(sum(done) / elapsed, 1), "pages": sum(done), "connections": threads,
            "queries_per_page": len(pages[0][kind]), "p50_ms": round(flat[len(flat) // 2], 2),
            "p95_ms": round(flat[int(0.95 * (len(flat) - 1))], 2), "seconds": round(elapsed, 1)}  # fmt: skip


# --- in-process profile ------------------------------------------------------------------------


def profile(targets: dict, guardian: dict, store) -> dict:
    """cProfile of one week page rendered and then from the cache, with SQL counts (middleware included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _signed_in(targets, guardian)
    url = f"/diary/{guardian['children'][0]}/"
    for _ in range(3):
        client.get(url)  # warm: the session remembers the child, the connection has its prepared statement
    out = {}
    for name, clear in (("rendered", True), ("cached", False)):
        timings = []
        for _ in range(20):
            if clear:
                cache_clear(store)
            t = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
        if clear:
            cache_clear(store)
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            profiler.enable()
            response = client.get(url)
            profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(r"ejournal|django/(template|db)", 30)
        out[name] = {"status": response.status_code, "median_ms": round(sorted(timings)[len(timings) // 2], 2),
                     "queries": len(queries), "top": text.getvalue()[-8000:]}  # fmt: skip
    return out


# --- the run -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--guardians", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--port", type=int, default=8048)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rate", type=float, default=150, help="offered requests/s of the fixed-rate run")
    parser.add_argument("--users", type=int, default=10,
                        help="locust users sharing the offered rate; each request is a parent picked at random. "
                             "More users do not model more parents but slow the generator: with 150 or 600 users "
                             "locust itself measured p50 220 ms where a client of threads measured 6 ms for the same "
                             "requests at the same rate; on session 6's slower machine 30 users measured p50 72 ms "
                             "where the server's own time was 12 ms and a client of 30 threads measured 13.5 ms "
                             "(bench/README.md); the floor run checks this")  # fmt: skip
    parser.add_argument("--keep-alive", action="store_true",
                        help="keep each locust user's connection open between requests (default: a connection a "
                             "request, as nginx in front of gunicorn opens one to its upstream for each request)")  # fmt: skip
    parser.add_argument("--seconds", type=int, default=300, help="duration of the fixed-rate run")
    parser.add_argument("--warmup-seconds", type=int, default=120,
                        help="the same fixed rate first, from an empty cache, reported apart as the cold start "
                             "(0: the measured run starts cold)")  # fmt: skip
    parser.add_argument("--max-users", type=int, default=32)
    parser.add_argument("--max-seconds", type=int, default=60)
    parser.add_argument("--hello-seconds", type=int, default=30)
    parser.add_argument("--floor-seconds", type=int, default=30, help="the hello-world view at the offered rate")
    parser.add_argument("--raw-seconds", type=int, default=20)
    parser.add_argument("--samples", type=int, default=40, help="pages whose SQL the raw run replays")
    args = parser.parse_args()
    url = f"{args.server}/{args.database}"
    os.environ["REDIS_URL"] = REDIS  # the sessions made here live where the server reads them
    django_setup(url)
    import redis

    from ejournal.journal.models import Mark

    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    targets = guardians_prepare(args.guardians, args.seed)
    path = RESULTS / "diary_targets.json"
    path.write_text(json.dumps(targets))
    children = sum(len(g["children"]) for g in targets["guardians"])
    print(f"  {len(targets['guardians'])} guardians, {children} children, weeks {targets['weeks']} "
          f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
    marks = Mark.objects.count()
    store = redis.Redis.from_url(REDIS)
    print(f"  {cache_clear(store)} cached weeks of an earlier run deleted; {marks:,} marks", flush=True)
    server = server_start(args, url)
    runs = {}
    try:
        spawn = max(1.0, args.users / 10)
        if args.warmup_seconds:  # the evening's first minutes: every week is rendered once, measured apart
            runs["warmup"] = locust_run(args, "warmup", "week", users=args.users, rate=args.rate / args.users,
                                        seconds=args.warmup_seconds, spawn=spawn, targets=path, server=server)  # fmt: skip
            runs["warmup"]["weeks_rendered"] = cache_keys(store)
            _say("warmup", runs["warmup"])
        runs["rate"] = locust_run(args, "rate", "week", users=args.users, rate=args.rate / args.users,
                                  seconds=args.seconds, spawn=spawn, targets=path, server=server)  # fmt: skip
        runs["rate"]["weeks_rendered"] = cache_keys(store)
        _say("rate", runs["rate"])
        # The generator's own floor: the hello-world view offered at the same rate by the same users.
        runs["floor"] = locust_run(args, "floor", "hello", users=args.users, rate=args.rate / args.users,
                                   seconds=args.floor_seconds, spawn=spawn, targets=path, server=server)  # fmt: skip
        _say("floor", runs["floor"])
        runs["max"] = locust_run(args, "max", "week", users=args.max_users, rate=0, seconds=args.max_seconds,
                                 spawn=args.max_users, targets=path, server=server)  # fmt: skip
        runs["max"]["weeks_rendered"] = cache_keys(store)
        _say("max", runs["max"])
        runs["hello"] = locust_run(args, "hello", "hello", users=args.max_users, rate=0, seconds=args.hello_seconds,
                                   spawn=args.max_users, targets=path, server=server)  # fmt: skip
        _say("hello", runs["hello"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    pages = page_queries(targets, args.samples, store)
    threads = args.workers * args.threads
    raw = {kind: raw_sql(url, pages, kind, threads, args.raw_seconds) for kind in ("rendered", "cached")}
    result = summary(args, runs, raw, targets, marks)
    result["profile"] = profile(targets, targets["guardians"][0], store)
    result["sample_sql"] = pages[0]
    out = RESULTS / f"diary_load-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    table(result)
    for name, p in result["profile"].items():
        print(f"\n--- profile {name}: median {p['median_ms']} ms, {p['queries']} queries\n{p['top'][:2500]}")
    print(f"\nResult written to {out.relative_to(ROOT)}")
    return 0


def _say(label: str, run: dict) -> None:
    s = next(iter(run["stats"].values()), {})
    print(f"  {label}: {s.get('requests')} requests, {s.get('rps')} req/s, p95 {s.get('p95_ms')} ms, "
          f"{s.get('failures')} failures; cpu {run['cpu_seconds']}", flush=True)  # fmt: skip


def summary(args, runs: dict, raw: dict, targets: dict, marks: int) -> dict:
    rate = runs["rate"]["stats"].get("week", {})
    top = runs["max"]["stats"].get("week", {})
    hello = runs["hello"]["stats"].get("hello", {})
    figures = {
        "rate_offered": args.rate, "rate_achieved": rate.get("rps"), "p50_ms": rate.get("p50_ms"),
        "p95_ms": rate.get("p95_ms"), "p99_ms": rate.get("p99_ms"), "max_ms": rate.get("max_ms"),
        "errors": rate.get("failures", 0) + top.get("failures", 0),
        "max_rps": top.get("rps"), "max_p95_ms": top.get("p95_ms"), "hello_rps": hello.get("rps"),
        "raw_pages_per_second_rendered": raw["rendered"]["pages_per_second"],
        "raw_pages_per_second_cached": raw["cached"]["pages_per_second"],
        "ratio_hello": round(top.get("rps", 0) / hello["rps"], 3) if hello.get("rps") else None,
        "ratio_raw_rendered": round(top.get("rps", 0) / raw["rendered"]["pages_per_second"], 3),
        "ratio_raw_cached": round(top.get("rps", 0) / raw["cached"]["pages_per_second"], 3),
    }  # fmt: skip
    if "floor" in runs:
        floor = runs["floor"]["stats"].get("hello", {})
        figures["floor_hello_at_rate"] = {k: floor.get(k) for k in ("rps", "p50_ms", "p95_ms", "p99_ms")}
    if "warmup" in runs:
        cold = runs["warmup"]["stats"].get("week", {})
        figures["cold_start"] = {"seconds": args.warmup_seconds, "rate_achieved": cold.get("rps"),
                                 "p50_ms": cold.get("p50_ms"), "p95_ms": cold.get("p95_ms"),
                                 "p99_ms": cold.get("p99_ms"), "weeks_rendered": runs["warmup"]["weeks_rendered"]}  # fmt: skip
    met = {"p95_ms": figures["p95_ms"] is not None and figures["p95_ms"] <= TARGETS["p95_ms"],
           "p99_ms": figures["p99_ms"] is not None and figures["p99_ms"] <= TARGETS["p99_ms"],
           "errors": figures["errors"] == 0,
           "rate_held": (figures["rate_achieved"] or 0) >= 0.97 * args.rate,
           "ratio_hello": (figures["ratio_hello"] or 0) >= TARGETS["ratio_hello"]}  # fmt: skip
    return {
        "benchmark": "diary_load", "at": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average": os.getloadavg()},
        "plan": {"database": args.database, "marks": marks, "guardians": len(targets["guardians"]),
                 "children": sum(len(g["children"]) for g in targets["guardians"]), "weeks": targets["weeks"],
                 "server": f"gunicorn -w {args.workers} --threads {args.threads}", "keep_alive": args.keep_alive, "rate": args.rate,
                 "users": args.users, "seconds": args.seconds, "max_users": args.max_users,
                 "max_seconds": args.max_seconds, "hello_seconds": args.hello_seconds,
                 "warmup_seconds": args.warmup_seconds},
        "figures": figures, "targets": TARGETS, "met": met, "raw_sql": raw, "runs": runs,
    }  # fmt: skip


def table(result: dict) -> None:
    f, runs = result["figures"], result["runs"]
    rows = [
        ("offered rate", f"{f['rate_offered']} req/s for {runs['rate']['seconds']} s", ""),
        ("achieved", f"{f['rate_achieved']} req/s", ""),
        ("p50 / p95 / p99 / max", f"{f['p50_ms']} / {f['p95_ms']} / {f['p99_ms']} / {f['max_ms']} ms",
         "p95 ≤ 50, p99 ≤ 100"),
        ("errors", str(f["errors"]), "none"),
        ("floor: hello-world at the same rate and users",
         "p50 / p95 / p99 {p50_ms} / {p95_ms} / {p99_ms} ms".format(**f.get("floor_hello_at_rate") or {}), ""),
        ("weeks in the cache after the rate run", str(runs["rate"].get("weeks_rendered")), ""),
        ("max throughput (closed loop)", f"{f['max_rps']} req/s (p95 {f['max_p95_ms']} ms)", ""),
        ("hello-world", f"{f['hello_rps']} req/s", ""),
        ("raw SQL, rendered page", f"{f['raw_pages_per_second_rendered']} pages/s", ""),
        ("raw SQL, cached page", f"{f['raw_pages_per_second_cached']} pages/s", ""),
        ("diary / hello", str(f["ratio_hello"]), "≥ 0.30"),
        ("diary / raw SQL (rendered, cached)", f"{f['ratio_raw_rendered']}, {f['ratio_raw_cached']}", ""),
    ]  # fmt: skip
    if "cold_start" in f:
        c = f["cold_start"]
        rows.insert(0, ("cold start (empty cache), same rate", f"{c['seconds']} s: {c['rate_achieved']} req/s, p50 / p95 / "
                        f"p99 {c['p50_ms']} / {c['p95_ms']} / {c['p99_ms']} ms, {c['weeks_rendered']} weeks", ""))  # fmt: skip
    print()
    for name, value, target in rows:
        print(f"  {name:<48} {value:<40} {target}")
    print("  cpu seconds: " + "; ".join(f"{k} {v['cpu_seconds']}" for k, v in runs.items()))
    print(f"  met: {result['met']}")


if __name__ == "__main__":
    sys.exit(main())
