"""Drills of the production topology (deploy/cluster.sh): failover, backup and PITR, the diary spike, slow clients.

    deploy/cluster.sh up                                   # or `make cluster`
    .venv/bin/python bench/cluster_drills.py failover      # or `make cluster-test` (all four)
    .venv/bin/python bench/cluster_drills.py backup | spike | slowloris | all

Each drill prints its figures, writes JSON under bench/results/ and exits non-zero when a target is missed:

- failover: teachers save marks through nginx (one cell a request with its client token, a refused or lost
  answer retried with the same token, as the grid does), parents read the diary (served by the standby); the
  primary is stopped (pg_autoctl stop --immediate), pg_auto_failover promotes the standby, the app reconnects by
  itself (libpq's host list with target_session_attrs=read-write). Every save answered 200 must be in the
  database exactly once. Write downtime ≤ 30 s, read downtime ≤ 5 s (the longest gap between answers 200).
  Then the old primary is started again and rejoins as the standby (pg_rewind by pg_auto_failover).
- backup: a full backup, marks written on, a chosen second noted, more marks; point-in-time restore to that
  second into a new PostgreSQL on its own port and directory; the rows compared with the primary's as of that
  second (every mark saved before it there, none after). RPO (archive_timeout/WAL not yet archived) and RTO
  (the restore's time) printed.
- spike: the diary at a base rate, then 5× the evening rate (750 req/s offered) for 60 s through nginx, then the
  base rate again: errors ≤ 1 %, p95 back to the base's ≤ 60 s after, every app node still answering.
- slowloris: 50 connections that send their headers a byte at a time; meanwhile other users' pages must be as
  fast as without them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import itertools
import json
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results"
CLUSTER = ROOT / "deploy" / "cluster.sh"
PASSWORD = "bench12345"
args_pause = 0.2  # between two saves of one writer (a teacher types; and the machine is shared)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def cluster_conf() -> dict:
    out = subprocess.run(["bash", "-c", f". {ROOT}/deploy/cluster.env; set | grep -E '^[A-Z0-9_]+='"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    conf = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    env_file = Path(conf["CLUSTER_DIR"]) / "app.env"
    for line in env_file.read_text().splitlines():
        key, _eq, value = line.partition("=")
        conf[key] = shlex.split(value)[0] if value else ""
    return conf


CONF: dict = {}


def cluster(*args: str, check: bool = True) -> str:
    return subprocess.run([str(CLUSTER), *args], capture_output=True, text=True, check=check).stdout.strip()


def django_setup() -> None:
    """Django on the cluster's primary as the owner (the drill prepares its teachers and checks rows)."""
    os.environ.update({"DATABASE_URL": CONF["MIGRATE_DATABASE_URL"], "DATABASE_REPLICA_URL": "",
                       "REDIS_URL": CONF["REDIS_URL"], "DJANGO_SETTINGS_MODULE": "ejournal.settings",
                       "DJANGO_SECRET_KEY": CONF["DJANGO_SECRET_KEY"],
                       "DB_POOL_MAX": "0"})  # fmt: skip  # its threads keep their connections (no requests here)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class Client:
    """One browser's HTTP/1.1 connection to nginx (or `port`), reopened after an error."""

    def __init__(self, cookie: str = "", timeout: float = 30, port: int | None = None) -> None:
        self.port, self.cookie, self.timeout, self.conn = port or int(CONF["NGINX_PORT"]), cookie, timeout, None

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        head = {"Host": "127.0.0.1", **({"Cookie": self.cookie} if self.cookie else {}), **(headers or {})}
        try:
            self.conn.request(method, path, body=body, headers=head)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            return 0, b"", {}
        headers = dict(response.getheaders())
        headers["Set-Cookie"] = "; ".join(response.msg.get_all("Set-Cookie") or [])
        return response.status, data, headers


def sign_in(username: str) -> tuple[str, str]:
    """Sign in through nginx with the login form: the session cookie header and the CSRF token."""
    client = Client()
    status, page, headers = client.request("GET", "/accounts/login/")
    cookies = dict(re.findall(r"(csrftoken)=([^;]+)", headers.get("Set-Cookie", "")))
    token = CSRF.search(page.decode()).group(1)
    client.cookie = f"csrftoken={cookies['csrftoken']}"
    body = f"username={username}&password={PASSWORD}&csrfmiddlewaretoken={token}"
    for _ in range(10):  # a sign-in that met the database away is tried again
        status, _page, headers = client.request("POST", "/accounts/login/", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": "http://127.0.0.1/"})  # fmt: skip
        if status != 503:
            break
        time.sleep(1)
    session = re.search(r"sessionid=([^;]+)", headers.get("Set-Cookie", ""))
    assert status == 302 and session, f"sign-in of {username} answered {status}"
    return f"sessionid={session.group(1)}; csrftoken={cookies['csrftoken']}", cookies["csrftoken"]


def session_for(user_id: int) -> tuple[str, str]:
    """A signed-in session made as `login()` makes it (many teachers at once would meet nginx's sign-in limit)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_ALLOWED_CHARS
    from django.utils.crypto import get_random_string

    from ejournal.accounts.models import User

    user = User.objects.get(pk=user_id)
    store = __import__("importlib").import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = get_random_string(32, CSRF_ALLOWED_CHARS)
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}", csrf


def guardians(count: int) -> dict:
    from diary_load import guardians_prepare

    return guardians_prepare(count, seed=17)


DRILL_NOTE = "cluster drill"  # the reason of the extra lessons the drills add


def mark_day() -> dt.date:
    """The day whose lessons the drills mark: today, a Sunday's Saturday (there are no lessons on a Sunday)."""
    from django.utils import timezone

    today = timezone.localdate()
    return today - dt.timedelta(days=1) if today.isoweekday() == 7 else today


def lessons_ensure(day: dt.date, count: int) -> list:
    """`count` extra lessons of `day` added by the drills (the timetable's own lessons may be none: a weekend, a
    holiday), added as a deputy head adds them (timetable's `lesson_add_extra`) in free periods of their classes
    and teachers. On a Sunday the marks go on Saturday's lessons: the school's Regulation is re-adopted by its
    director with a day of grace for oral marks (`regulation.services.school_regulation_adopt`), so a mark of
    yesterday's lesson is on time as it would be on the lesson's day."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from ejournal.access.policy import Actor
    from ejournal.access.roles import Role
    from ejournal.curriculum.models import TeachingAssignment
    from ejournal.journal.rules import rules_for
    from ejournal.people.models import RoleAssignment
    from ejournal.regulation.models import NORM_FIELDS, Regulation
    from ejournal.regulation.services import school_regulation_adopt
    from ejournal.schools.models import School
    from ejournal.timetable.models import Lesson
    from ejournal.timetable.services.changes import lesson_add_extra

    lessons = [lesson for lesson in Lesson.objects.filter(date=day, status=Lesson.Status.EXTRA, change_note=DRILL_NOTE)
               .select_related("school_class") if free_cells(lesson, day)]  # fmt: skip
    admins = RoleAssignment.objects.filter(role__in=[Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR])
    assignments = (
        TeachingAssignment.objects.filter(school_class__grade__gte=2, subgroup__isnull=True)
        .exclude(teacher_id__in=admins.values("user_id"))
        .select_related("school_class__school", "teacher")
        .order_by("teacher_id", "school_class_id", "pk")
    )
    actors: dict[int, Actor] = {}
    refusal = "no teaching assignment"
    for assignment in assignments:
        if len(lessons) >= count:
            break
        school = assignment.school_class.school
        if school.pk not in actors:
            deputy = admins.filter(school=school, role__in=[Role.DEPUTY_HEAD, Role.DIRECTOR]).order_by("role").first()
            actors[school.pk] = Actor(user_id=deputy.user_id, role=deputy.role, school_id=school.pk)
        for number in range(12, 0, -1):  # the last periods of the day are the free ones
            try:
                lessons.append(lesson_add_extra(assignment=assignment, date=day, lesson_number=number, room=None,
                                                reason=DRILL_NOTE, actor=actors[school.pk]))  # fmt: skip
                break
            except ValidationError as exc:  # the class or the teacher is busy then: an earlier period
                refusal = " ".join(exc.messages)
    if not lessons:
        raise RuntimeError(f"no lesson could be added on {day}: {refusal}")
    grace = (timezone.localdate() - day).days
    for school in School.objects.filter(pk__in={lesson.school_id for lesson in lessons}) if grace else ():
        if rules_for(school).same_day_grace_days >= grace:
            continue
        # the Regulation in force (the school's, else the city's), else the norms in force with their defaults
        regulation = (Regulation.objects.filter(school=school).first()
                      or Regulation.objects.filter(municipality_id=school.municipality_id, school__isnull=True).first())  # fmt: skip
        rules = rules_for(school)
        values = {name: getattr(regulation, name) if regulation else getattr(rules, name, None)
                  if hasattr(rules, name) else Regulation._meta.get_field(name).get_default() for name in NORM_FIELDS}  # fmt: skip
        director = RoleAssignment.objects.filter(school=school, role=Role.DIRECTOR).first()
        school_regulation_adopt(school=school, values={**values, "same_day_grace_days": grace}, adopted_on=day,
                                order_number=DRILL_NOTE,
                                actor=Actor(user_id=director.user_id, role=Role.DIRECTOR, school_id=school.pk))  # fmt: skip
    return lessons


def free_cells(lesson, day: dt.date) -> list[tuple[int, int]]:
    """The (lesson, student) cells of `lesson` without a mark or attendance."""
    from ejournal.journal.models import Attendance, Mark
    from ejournal.journal.selectors import journal_students

    students = journal_students(lesson.school_class_id, lesson.subgroup_id, day, day)
    taken = set(Mark.objects.filter(lesson=lesson).values_list("student_id", flat=True))
    taken |= set(Attendance.objects.filter(lesson=lesson).values_list("student_id", flat=True))
    return [(lesson.pk, s.student.pk) for s in students if s.student.pk not in taken]


def teachers(count: int, lessons: int = 40) -> list[dict]:
    """Teachers with empty cells of the drills' lessons of the mark day (an oral mark is accepted on its lesson's
    day only), signed in with PASSWORD: [{username, user_id, cells: [{assignment, term, cells: [(lesson,
    student)]}]}], the teachers with the most cells first."""
    from django.contrib.auth.hashers import make_password

    from ejournal.accounts.models import User
    from ejournal.journal.selectors import class_terms, term_current

    day = mark_day()
    by_teacher: dict[int, dict] = {}
    for lesson in lessons_ensure(day, lessons):
        term = term_current(class_terms(lesson.school_class), day)
        free = free_cells(lesson, day)
        if free and term is not None:
            teacher = by_teacher.setdefault(lesson.teacher_id, {"user_id": lesson.teacher_id, "cells": []})
            teacher["cells"].append({"assignment": lesson.assignment_id, "term": term.pk, "cells": free})
    users = User.objects.filter(pk__in=by_teacher)
    users.update(password=make_password(PASSWORD), must_change_password=False)
    for user in users:
        by_teacher[user.pk]["username"] = user.username
    out = sorted(by_teacher.values(), key=lambda t: -sum(len(j["cells"]) for j in t["cells"]))[:count]
    if not out:
        raise RuntimeError(f"no empty cells on the drills' lessons of {day}")
    return out


def longest_gap(events: list[tuple[float, bool]], start: float, end: float) -> float:
    """The longest time without an answer 200 in [start, end] (events: (time answered, ok))."""
    oks = sorted(t for t, ok in events if ok and start <= t <= end)
    points = [start, *oks, end]
    return max(b - a for a, b in itertools.pairwise(points)) if len(points) > 1 else end - start


def write_result(name: str, data: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"cluster_{name}_{stamp}.json").write_text(json.dumps(data, indent=1, default=str))


# --- failover -----------------------------------------------------------------------------------------------


def writer(
    share: list[dict],
    sessions: dict,
    prefix: str,
    stop: threading.Event,
    saved: list,
    events: list,
    retries: list,
    refusals: list,
) -> None:
    from urllib.parse import quote

    signed = [(teacher, *sessions[teacher["user_id"]]) for teacher in share]
    work = [(t, c, csrf, j, cell) for t, c, csrf in signed for j in t["cells"] for cell in j["cells"]]
    client = Client(timeout=10)
    for n, (teacher, cookie, csrf, journal, (lesson, student)) in enumerate(work):
        if stop.is_set():
            return
        client.cookie = cookie
        headers = {"X-CSRFToken": csrf, "HX-Request": "true", "Referer": "http://127.0.0.1/",
                   "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
        token = f"{prefix}-{teacher['user_id']}-{n}"
        cell = [{"student": student, "lesson": lesson, "text": "5", "att": 0, "marks": "", "token": token}]
        body = "cells=" + quote(json.dumps(cell))
        path = f"/journal/{journal['assignment']}/{journal['term']}/cells/"
        first = time.time()
        while True:  # the grid: a failed cell is sent again with its token until it is saved
            status, data, _h = client.request("POST", path, body, headers)
            events.append((time.time(), status == 200))
            if status not in (0, 200, 502, 503, 504):
                refusals.append((status, data[-300:].decode(errors="replace")))
            if status == 200:
                saved.append(token)
                break
            retries.append((time.time(), status))
            if time.time() - first > 120 or (stop.is_set() and time.time() - first > 60):
                return
            time.sleep(0.5)
        time.sleep(args_pause)


def reader(family: dict, targets: dict, stop: threading.Event, events: list) -> None:
    cookie = f"{targets['cookie']}={family['session']}; {targets['csrf_cookie']}={family['csrf']}"
    client = Client(cookie, timeout=10)
    while not stop.is_set():
        status, data, _h = client.request("GET", f"/diary/{family['children'][0]}/")
        events.append((time.time(), status == 200 and b"diary-day" in data))
        time.sleep(0.1)


def cluster_whole(seconds: int = 240) -> float:
    """Wait until there are a primary and a secondary again (a node left stopped by an earlier drill started)."""
    started = time.time()
    for n in ("1", "2"):
        if cluster("node-state", n, check=False) not in ("primary", "secondary", "wait_primary"):
            cluster("start-node", n, check=False)
    while subprocess.run([str(CLUSTER), "both-up"], capture_output=True).returncode != 0:
        if time.time() - started > seconds:
            raise RuntimeError("the cluster has no primary and secondary: deploy/cluster.sh status")
        for n in ("1", "2"):  # a node stopped meanwhile (its pg_autoctl exited) is started again
            if subprocess.run(["bash", "-c", f"kill -0 $(cat {CONF['CLUSTER_DIR']}/run/node{n}.pid)"],
                              capture_output=True).returncode:  # fmt: skip
                cluster("start-node", n, check=False)
        time.sleep(1)
    return time.time() - started


def failover(args) -> dict:
    django_setup()
    from django.db import connections

    from ejournal.journal.models import Mark

    cluster_whole()

    primary = cluster("primary-port")
    node = "1" if primary == CONF["NODE1_PORT"] else "2"
    people = teachers(40)
    shares = [people[i :: args.writers] for i in range(args.writers)]
    sessions = {t["user_id"]: session_for(t["user_id"]) for t in people}
    sign_in(people[0]["username"])  # the sign-in form through nginx works too
    families = guardians(args.readers)
    prefix = f"fo{int(time.time())}"
    stop = threading.Event()
    saved: list[str] = []
    writes: list[tuple[float, bool]] = []
    reads: list[tuple[float, bool]] = []
    retries: list[tuple[float, int]] = []
    refusals: list[tuple[int, str]] = []
    threads = [threading.Thread(target=writer, args=(share, sessions, prefix, stop, saved, writes, retries, refusals))
               for share in shares if share]  # fmt: skip
    threads += [threading.Thread(target=reader, args=(f, families, stop, reads)) for f in families["guardians"]]
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)
    print(f"failover: {len(shares)} writers for {len(people)} teachers saving, {len(families['guardians'])} parents reading; "
          f"stopping the primary node{node} (port {primary})", flush=True)  # fmt: skip
    stopped = time.time()
    cluster("stop-node", node)
    promoted = None
    while time.time() - stopped < 90:
        other = "2" if node == "1" else "1"
        if cluster("node-state", other, check=False) in ("wait_primary", "primary"):
            promoted = time.time() - stopped
            break
        time.sleep(0.2)
    time.sleep(args.after)
    end = time.time()
    stop.set()
    for thread in threads:
        thread.join(timeout=130)
    before = [t for t, ok in writes if ok and t < stopped]
    baseline = sum(1 for _ in before) / max(1e-9, stopped - min((t for t, _ in writes), default=stopped))
    write_down = longest_gap(writes, stopped, end)
    read_down = longest_gap(reads, stopped, end)
    tokens = [f"{t}:0" for t in saved]
    connections.close_all()  # the drill's own connection went with the old primary
    found = Counter(Mark.objects.filter(client_token__startswith=prefix).values_list("client_token", flat=True))
    rows = dict(found)
    lost = [t for t in tokens if rows.get(t, 0) == 0]
    doubled = [t for t, n in rows.items() if n > 1]
    cluster("start-node", node)
    rejoined = cluster_whole()
    # the new primary archives its WAL into the same repository (a backup after a failover needs it)
    archive = pg_as_postgres("pgbackrest", f"--config={CONF['CLUSTER_DIR']}/pgbackrest.conf", "--stanza=ejournal",
                             "check", cwd="/tmp")  # fmt: skip
    result = {
        "stopped_node": f"node{node}", "promoted_after_s": round(promoted, 1) if promoted else None,
        "saves_answered_200": len(saved), "rows_found": sum(rows.values()), "lost": len(lost),
        "doubled": len(doubled), "saves_retried": len(retries),
        "write_downtime_s": round(write_down, 1), "read_downtime_s": round(read_down, 1),
        "reads": len(reads), "reads_failed": sum(1 for _t, ok in reads if not ok),
        "saves_per_s_before": round(baseline, 1), "old_primary_rejoined_after_s": rejoined and round(rejoined, 1),
        "retry_statuses": sorted({s for _t, s in retries}), "refusals": refusals[:3],
        "wal_archive_after_failover": "ok" if archive.returncode == 0 else archive.stdout + archive.stderr,
    }  # fmt: skip
    result["ok"] = bool(
        archive.returncode == 0
        and promoted
        and not lost
        and not doubled
        and write_down <= 30
        and read_down <= 5
        and len(saved) > 0
    )
    return result


# --- backup and point-in-time restore -----------------------------------------------------------------------


def pg_as_postgres(*cmd: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{CONF['PG_BIN']}:{os.environ['PATH']}"}
    return subprocess.run(["runuser", "-u", "postgres", "--", *cmd], env=env, text=True, capture_output=True,
                          **kwargs)  # fmt: skip


def primary_sql(sql: str) -> str:
    port = cluster("primary-port")
    out = pg_as_postgres("psql", "-h", "/var/run/postgresql", "-p", port, "-XqAt", "-d", "ejournal", "-c", sql)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return out.stdout.strip()


def marks_write(teacher: dict, prefix: str, count: int, start: int) -> list[str]:
    cookie, csrf = sign_in(teacher["username"]) if "cookie" not in teacher else (teacher["cookie"], teacher["csrf"])
    teacher["cookie"], teacher["csrf"] = cookie, csrf
    client = Client(cookie)
    from urllib.parse import quote

    cells = [(j, c) for j in teacher["cells"] for c in j["cells"]][start : start + count]
    headers = {"X-CSRFToken": csrf, "HX-Request": "true", "Referer": "http://127.0.0.1/",
               "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    out = []
    for n, (journal, (lesson, student)) in enumerate(cells, start):
        token = f"{prefix}-{n}"
        cell = [{"student": student, "lesson": lesson, "text": "4", "att": 0, "marks": "", "token": token}]
        path = f"/journal/{journal['assignment']}/{journal['term']}/cells/"
        status, _d, _h = client.request("POST", path, "cells=" + quote(json.dumps(cell)), headers)
        if status == 200:
            out.append(token)
    return out


def backup(args) -> dict:
    django_setup()
    teacher = max(teachers(40), key=lambda t: sum(len(j["cells"]) for j in t["cells"]))
    prefix = f"pitr{int(time.time())}"
    t0 = time.time()
    out = subprocess.run([str(CLUSTER), "backup", "full"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    full_s = time.time() - t0
    before = marks_write(teacher, prefix, 40, 0)
    time.sleep(1.5)
    target = primary_sql("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00'")
    time.sleep(1.5)
    after = marks_write(teacher, prefix, 40, 40)
    # the WAL up to now reaches the archive (in production archive_timeout bounds how long it may wait)
    switched = time.time()
    primary_sql("SELECT pg_switch_wal()")
    t1 = time.time()
    out = subprocess.run([str(CLUSTER), "backup", "incr"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    incr_s = time.time() - t1
    restore_dir = Path(CONF["CLUSTER_DIR"]) / "pg" / "restore"
    port = str(int(CONF["NODE2_PORT"]) + 10)
    pg_as_postgres("pg_ctl", "-D", str(restore_dir), "stop", "-m", "immediate")
    subprocess.run(["rm", "-rf", str(restore_dir)], check=True)
    restore_dir.mkdir(parents=True)
    subprocess.run(["chown", "postgres:", str(restore_dir)], check=True)
    t2 = time.time()
    out = pg_as_postgres(
        "pgbackrest", f"--config={CONF['CLUSTER_DIR']}/pgbackrest.conf", "--stanza=ejournal", f"--pg1-path={restore_dir}",
        "--type=time", f"--target={target}", "--target-action=promote", "restore",
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    conf = restore_dir / "postgresql.auto.conf"
    with conf.open("a") as f:  # a new cluster of its own: own port, no archiving into the live repository
        f.write(f"\nport = {port}\narchive_mode = off\nprimary_conninfo = ''\nsynchronous_standby_names = ''\n")
    started = pg_as_postgres("pg_ctl", "-D", str(restore_dir), "-l", f"{restore_dir}.log", "-w", "-t", "300",
                             "start", "-o", f"-p {port} -c archive_mode=off -c hot_standby=on")  # fmt: skip
    assert started.returncode == 0, started.stdout + started.stderr + Path(f"{restore_dir}.log").read_text()[-2000:]
    for _ in range(300):
        ready = pg_as_postgres("psql", "-h", "/var/run/postgresql", "-p", port, "-XqAt", "-d", "ejournal", "-c",
                               "SELECT NOT pg_is_in_recovery()")  # fmt: skip
        if ready.stdout.strip() == "t":
            break
        time.sleep(0.5)
    rto = time.time() - t2
    query = f"SELECT client_token FROM journal_mark WHERE client_token LIKE '{prefix}-%' ORDER BY 1"
    restored = pg_as_postgres("psql", "-h", "/var/run/postgresql", "-p", port, "-XqAt", "-d", "ejournal", "-c", query)
    restored_tokens = {line.split(":")[0] for line in restored.stdout.split()}
    total_restored = pg_as_postgres("psql", "-h", "/var/run/postgresql", "-p", port, "-XqAt", "-d", "ejournal", "-c",
                                    "SELECT count(*) FROM journal_mark").stdout.strip()  # fmt: skip
    total_primary = primary_sql(f"SELECT count(*) FROM journal_mark WHERE client_token IS NULL "
                                f"OR client_token NOT LIKE '{prefix}-%'")  # fmt: skip
    pg_as_postgres("pg_ctl", "-D", str(restore_dir), "stop", "-m", "fast")
    size = pg_as_postgres("pgbackrest", f"--config={CONF['CLUSTER_DIR']}/pgbackrest.conf", "--stanza=ejournal",
                          "info", "--output=json").stdout  # fmt: skip
    info = json.loads(size)[0]["backup"]
    result = {
        "target": target, "saved_before_target": len(before), "saved_after_target": len(after),
        "restored_of_before": len(restored_tokens & set(before)), "restored_of_after": len(restored_tokens & set(after)),
        "other_marks_restored": int(total_restored) - len(restored_tokens), "other_marks_on_primary": int(total_primary),
        "full_backup_s": round(full_s, 1), "incr_backup_s": round(incr_s, 1), "restore_rto_s": round(rto, 1),
        "database_bytes": info[-1]["info"]["size"], "repo_bytes_last_full": info[-2]["info"]["repository"]["size"]
        if len(info) > 1 else None, "wal_switch_s": round(t1 - switched, 2),
    }  # fmt: skip
    result["ok"] = (
        result["restored_of_before"] == len(before) > 0
        and result["restored_of_after"] == 0
        and result["other_marks_restored"] == result["other_marks_on_primary"]
    )
    return result


# --- slow clients -------------------------------------------------------------------------------------------


def page_times(path: str, cookie: str, count: int) -> list[float]:
    client = Client(cookie)
    times = []
    for _ in range(count):
        t = time.perf_counter()
        status, _d, _h = client.request("GET", path)
        times.append((time.perf_counter() - t) * 1000 if status == 200 else float("inf"))
    return times


def slowloris(args) -> dict:
    django_setup()
    fam = guardians(1)
    g = fam["guardians"][0]
    cookie = f"{fam['cookie']}={g['session']}; {fam['csrf_cookie']}={g['csrf']}"
    path = f"/diary/{g['children'][0]}/"
    page_times(path, cookie, 20)  # warm
    alone = page_times(path, cookie, 100)
    stop = threading.Event()
    socks: list[socket.socket] = []

    def slow() -> None:
        s = socket.create_connection(("127.0.0.1", int(CONF["NGINX_PORT"])))
        socks.append(s)
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nX-Slow: "
        for ch in request.encode():
            if stop.is_set():
                break
            try:
                s.send(bytes([ch]))
            except OSError:
                return
            time.sleep(1)

    threads = [threading.Thread(target=slow, daemon=True) for _ in range(args.connections)]
    for t in threads:
        t.start()
    time.sleep(3)
    during = page_times(path, cookie, 100)
    open_now = sum(1 for s in socks if s.fileno() != -1)
    stop.set()
    for s in socks:
        s.close()

    def p(values, q):
        return round(statistics.quantiles(values, n=100)[q - 1], 1)

    result = {"slow_connections": args.connections, "open_during": open_now,
              "alone_p50_ms": p(alone, 50), "alone_p95_ms": p(alone, 95),
              "during_p50_ms": p(during, 50), "during_p95_ms": p(during, 95),
              "failed_during": sum(1 for v in during if v == float("inf"))}  # fmt: skip
    # A slow client holding a worker would show as seconds (nginx waits 10 s for its headers), not milliseconds;
    # on a shared machine the noise is tens of milliseconds.
    limit = max(2 * result["alone_p95_ms"], result["alone_p95_ms"] + 100)
    result["ok"] = result["failed_during"] == 0 and result["during_p95_ms"] <= limit and open_now == args.connections
    return result


# --- the spike ----------------------------------------------------------------------------------------------


def locust_run(env: dict, csv: Path, args, locustfile: str = "locustfile_spike.py", extra: tuple = ()) -> int:
    """locust headless against nginx in `args.processes` processes (FastHttpUser, connections kept alive)."""
    command = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / locustfile), "--headless",
               "--host", f"http://127.0.0.1:{CONF['NGINX_PORT']}", "--csv", str(csv), "--only-summary",
               "--loglevel", "WARNING", "--processes", str(args.processes), *extra]  # fmt: skip
    out = subprocess.run(command, env=env, capture_output=True, text=True, cwd=str(ROOT / "bench"))
    if out.returncode or not Path(f"{csv}_stats.csv").exists():
        print(f"locust exited {out.returncode}: {out.stderr[-1500:]}", flush=True)
    return out.returncode


def generator_ceiling(env: dict, args) -> float:
    """The most requests/s this machine's locust generates at all: a small static file that nginx serves itself
    (no app node, no database), as many users as the spike's, each asking as fast as answered, for 15 s."""
    csv = RESULTS / "cluster_spike_ceiling"
    env = {**env, "BENCH_MODE": "hello", "BENCH_HELLO_PATH": "/static/favicon.svg", "BENCH_RATE": "0"}
    locust_run(env, csv, args, "locustfile_diary.py", ("-u", str(args.spike_users), "-r", str(args.spike_users),
                                                       "--run-time", "15s"))  # fmt: skip
    stats = {r["Name"]: r for r in __import__("csv").DictReader(open(f"{csv}_stats.csv", encoding="utf-8"))}  # noqa: SIM115
    return round(float(stats["Aggregated"]["Requests/s"]), 1)


def spike(args) -> dict:
    django_setup()
    fam = guardians(600)
    targets = RESULTS / "cluster_spike_targets.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    targets.write_text(json.dumps(fam))
    csv = RESULTS / "cluster_spike"
    # Each user keeps its connection to nginx (nginx still spreads the requests over the nodes, per request).
    env = {**os.environ, "BENCH_TARGETS": str(targets), "BENCH_MODE": "week", "BENCH_RATE": str(args.user_rate),
           "BENCH_KEEP_ALIVE": "1",
           "SPIKE_BASE_USERS": str(args.base_users), "SPIKE_USERS": str(args.spike_users),
           "SPIKE_BASE_S": str(args.base_seconds), "SPIKE_S": str(args.seconds), "SPIKE_AFTER_S": str(int(args.after))}  # fmt: skip
    ceiling = generator_ceiling(env, args)
    started = time.time()
    rc = locust_run(env, csv, args, extra=("--csv-full-history",))
    rows = list(__import__("csv").DictReader(open(f"{csv}_stats_history.csv", encoding="utf-8")))  # noqa: SIM115
    rows = [r for r in rows if r["Name"] == "Aggregated" and r["95%"] not in ("N/A", "0")]
    t0 = int(rows[0]["Timestamp"]) if rows else int(started)
    base_end, spike_end = t0 + args.base_seconds, t0 + args.base_seconds + args.seconds
    stats = {r["Name"]: r for r in __import__("csv").DictReader(open(f"{csv}_stats.csv", encoding="utf-8"))}  # noqa: SIM115
    total = stats["Aggregated"]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    base_p95 = max(float(r["95%"]) for r in rows if int(r["Timestamp"]) <= base_end) if rows else 0
    during = [r for r in rows if base_end < int(r["Timestamp"]) <= spike_end]
    after = [r for r in rows if int(r["Timestamp"]) > spike_end]
    normal = next((int(r["Timestamp"]) - spike_end for r in after
                   if float(r["95%"]) <= max(1.5 * base_p95, base_p95 + 50)), None)  # fmt: skip
    achieved = max((float(r["Requests/s"]) for r in during), default=0)
    answered = sum(1 for r in during)  # seconds of the spike with a history row
    mean = (int(during[-1]["Total Request Count"]) - int(during[0]["Total Request Count"])) / max(1, answered - 1) \
        if len(during) > 1 else 0  # fmt: skip
    stuck = [p for p in (CONF["APP1_PORT"], CONF["APP2_PORT"]) if not all(
        __import__("urllib.request").request.urlopen(f"http://127.0.0.1:{p}/healthz", timeout=5).status == 200
        for _ in range(8))]  # fmt: skip
    timeouts = sum(Path(CONF["CLUSTER_DIR"], "log", f"app{i}.log").read_text().count("WORKER TIMEOUT") for i in (1, 2))
    result = {
        "offered_rps": args.spike_users * args.user_rate, "base_rps": args.base_users * args.user_rate,
        "generator_ceiling_rps": ceiling, "generator_processes": args.processes,
        "achieved_rps_peak_10s": round(achieved, 1), "achieved_rps_mean_spike": round(mean, 1),
        "requests": requests, "failures": failures,
        "error_pct": round(100 * failures / max(1, requests), 2), "base_p95_ms": base_p95,
        "spike_p95_ms_max": max((float(r["95%"]) for r in during), default=None),
        "p95_back_to_normal_after_s": normal, "nodes_not_answering": stuck, "worker_timeouts_in_logs": timeouts,
        "locust_rc": rc,
    }  # fmt: skip
    result["ok"] = result["error_pct"] <= 1 and normal is not None and normal <= 60 and not stuck and not timeouts
    return result


def closed_loop(path: str, cookie: str, port: int, threads: int, seconds: float) -> dict:
    """`threads` clients asking as fast as answered for `seconds`: requests/s, p50/p95 ms, errors."""
    times: list[float] = []
    errors = [0]
    end = time.time() + seconds

    def run() -> None:
        client = Client(cookie, port=port)
        while time.time() < end:
            t = time.perf_counter()
            status, _d, _h = client.request("GET", path)
            if status == 200:
                times.append((time.perf_counter() - t) * 1000)
            else:
                errors[0] += 1

    pool = [threading.Thread(target=run) for _ in range(threads)]
    return _loops_run(pool, times, errors, seconds)


def _loops_run(pool: list, times: list, errors: list, seconds: float) -> dict:
    """Start the closed loops' threads, wait for them, and sum up their answers 200 and the rest."""
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    q = statistics.quantiles(times, n=100) if len(times) > 1 else [0] * 99
    return {"rps": round(len(times) / seconds, 1), "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1),
            "errors": errors[0]}  # fmt: skip


def baseline(args) -> dict:
    """For comparison in the same run: a trivial view (/healthz, the whole middleware stack) and the diary's
    week, through nginx to both app nodes and straight to one node (the single-node figure)."""
    django_setup()
    fam = guardians(1)
    g = fam["guardians"][0]
    cookie = f"{fam['cookie']}={g['session']}; {fam['csrf_cookie']}={g['csrf']}"
    diary = f"/diary/{g['children'][0]}/"
    nginx, node = int(CONF["NGINX_PORT"]), int(CONF["APP1_PORT"])
    closed_loop(diary, cookie, nginx, 4, 3)  # warm
    result = {
        "hello_nginx_two_nodes": closed_loop("/healthz", "", nginx, args.threads, args.base_seconds),
        "hello_one_node": closed_loop("/healthz", "", node, args.threads, args.base_seconds),
        "diary_nginx_two_nodes": closed_loop(diary, cookie, nginx, args.threads, args.base_seconds),
        "diary_one_node": closed_loop(diary, cookie, node, args.threads, args.base_seconds),
        "threads": args.threads,
    }
    result["ok"] = all(v["errors"] == 0 for v in result.values() if isinstance(v, dict))
    return result


def backends_sampled(stop: threading.Event, out: list) -> None:
    """The app's PostgreSQL backends (role ejournal_app) on both nodes, every half second, until `stop`."""
    import psycopg

    nodes = []
    for port in (CONF["NODE1_PORT"], CONF["NODE2_PORT"]):
        nodes.append(psycopg.connect(f"host=127.0.0.1 port={port} user=ejournal_owner dbname={CONF['DB_NAME']}",
                                     autocommit=True))  # fmt: skip
    try:
        while not stop.wait(0.5):
            out.append(sum(node.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = 'ejournal_app'")
                           .fetchone()[0] for node in nodes))  # fmt: skip
    finally:
        for node in nodes:
            node.close()


def saves_loop(people: list[dict], threads: int, seconds: float, prefix: str) -> dict:
    """`threads` teachers saving one mark a request (the grid's cell save through nginx) as fast as answered."""
    from urllib.parse import quote

    times: list[float] = []
    errors = [0]
    end = time.time() + seconds

    def run(teacher: dict, n0: int) -> None:
        cookie, csrf = session_for(teacher["user_id"])
        client = Client(cookie)
        headers = {"X-CSRFToken": csrf, "HX-Request": "true", "Referer": "http://127.0.0.1/",
                   "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
        cells = [(j, c) for j in teacher["cells"] for c in j["cells"]]
        for n, (journal, (lesson, student)) in enumerate(cells):
            if time.time() >= end:
                return
            cell = [{"student": student, "lesson": lesson, "text": "5", "att": 0, "marks": "",
                     "token": f"{prefix}-{n0}-{n}"}]  # fmt: skip
            path = f"/journal/{journal['assignment']}/{journal['term']}/cells/"
            t = time.perf_counter()
            status, _d, _h = client.request("POST", path, "cells=" + quote(json.dumps(cell)), headers)
            if status == 200:
                times.append((time.perf_counter() - t) * 1000)
            else:
                errors[0] += 1

    pool = [threading.Thread(target=run, args=(people[i % len(people)], i)) for i in range(threads)]
    return _loops_run(pool, times, errors, seconds)


def pooling(args) -> dict:
    """The connections as configured now (DB_POOL_MAX in app.env: 0 persistent, else Django's psycopg pool):
    the diary's week and a mark save through nginx in closed loops (`--threads` clients each), and the app's
    PostgreSQL backends on both nodes (most seen during the loops, and idle after them)."""
    django_setup()
    fam = guardians(1)
    g = fam["guardians"][0]
    cookie = f"{fam['cookie']}={g['session']}; {fam['csrf_cookie']}={g['csrf']}"
    diary = f"/diary/{g['children'][0]}/"
    nginx = int(CONF["NGINX_PORT"])
    people = teachers(args.threads)
    closed_loop(diary, cookie, nginx, 4, 3)  # warm
    stop, counts = threading.Event(), []
    sampler = threading.Thread(target=backends_sampled, args=(stop, counts))
    sampler.start()
    result = {
        "mode": f"psycopg pool, DB_POOL_MAX={CONF.get('DB_POOL_MAX')}" if int(CONF.get("DB_POOL_MAX") or 0)
        else "persistent connections (DB_CONN_MAX_AGE)",
        "diary_week": closed_loop(diary, cookie, nginx, args.threads, args.base_seconds),
        "mark_save": saves_loop(people, args.threads, args.base_seconds, f"pool{int(time.time())}"),
        "threads": args.threads,
    }  # fmt: skip
    result["backends_max"] = max(counts, default=None)
    time.sleep(3)
    stop.set()
    sampler.join()
    result["backends_after"] = counts[-1] if counts else None
    result["ok"] = result["diary_week"]["errors"] == 0 and result["mark_save"]["errors"] == 0
    return result


DRILLS = {
    "failover": failover,
    "backup": backup,
    "slowloris": slowloris,
    "spike": spike,
    "baseline": baseline,
    "pooling": pooling,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("drill", nargs="+", choices=[*DRILLS, "all"])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--after", type=float, default=20, help="failover: seconds of load after the promotion")
    parser.add_argument("--connections", type=int, default=50, help="slowloris connections")
    parser.add_argument("--user-rate", type=float, default=2.5, help="spike: requests/s of each locust user")
    parser.add_argument("--base-users", type=int, default=12, help="spike: users before and after (30 req/s)")
    parser.add_argument("--spike-users", type=int, default=300, help="spike: users in the spike (750 req/s)")
    parser.add_argument("--processes", type=int, default=2, help="spike: locust processes (one a core)")
    parser.add_argument("--base-seconds", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60, help="spike: its length")
    parser.add_argument("--threads", type=int, default=8, help="baseline: clients of each closed loop")
    args = parser.parse_args()
    CONF.update(cluster_conf())
    names = ["failover", "backup", "slowloris", "spike"] if "all" in args.drill else args.drill
    failed = []
    for name in names:
        started = time.time()
        result = DRILLS[name](args)
        result["seconds"] = round(time.time() - started, 1)
        result["load_average"] = os.getloadavg()
        write_result(name, result)
        print(f"{name}: {'PASS' if result['ok'] else 'FAIL'} {json.dumps(result, default=str)}", flush=True)
        if not result["ok"]:
            failed.append(name)
    print(f"{len(names) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
