"""Benchmark: CPU of the pages whose HTML the Jinja2 fragments make (decision 0025), in-process, per request.

    .venv/bin/python bench/fragments_cpu.py --database ejournal_benchcity
    cd /tmp/html-before && .venv/bin/python /work/wt-html/bench/fragments_cpu.py …   # the same against main's tree

Through Django's WSGI stack (the test client; DEBUG off; the local-memory cache, emptied before each request
of a "miss"), one request after another: a journal grid of the current term as its teacher (inputs) and as the
school's director (buttons), the diary's week rendered (a miss) and from the cache (a hit), the term's marks (a
miss). It reports per page the median and p95 of `time.process_time` (which other processes do not inflate the
way they inflate wall time). The code is the tree of the current directory; the script reads only. Writes
bench/results/fragments_cpu-<time>-<tree>.json beside itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path


def _setup(url: str) -> None:
    sys.path.insert(0, str(Path.cwd()))  # the tree under test: this script may be another tree's
    os.environ.update(DATABASE_URL=url, DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="testserver")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    import django

    django.setup()


def _cpu(client, url: str, count: int, miss: bool) -> dict:
    from django.core.cache import cache

    assert client.get(url).status_code == 200, url
    spent = []
    for _ in range(count):
        if miss:
            cache.clear()
        start = time.process_time()
        client.get(url)
        spent.append((time.process_time() - start) * 1000)
    spent.sort()
    return {"median_ms": round(statistics.median(spent), 2), "p95_ms": round(spent[round(0.95 * (count - 1))], 2)}


def _targets(assignment_id: int | None):
    """A teaching assignment of the current term with at least 25 students, its teacher and director; a
    guardian with a child in a class."""
    from django.utils import timezone

    from ejournal.curriculum.models import TeachingAssignment
    from ejournal.people.models import Enrolment, GuardianLink, RoleAssignment
    from ejournal.schools.models import Term

    today = timezone.localdate()
    found = TeachingAssignment.objects.filter(teacher__isnull=False, subgroup__isnull=True).order_by("pk")
    for ta in found.filter(pk=assignment_id) if assignment_id else found[:500]:
        term = Term.objects.filter(school_id=ta.school_class.school_id, starts_on__lte=today, ends_on__gte=today,
                                   min_grade__lte=ta.school_class.grade, max_grade__gte=ta.school_class.grade).first()  # fmt: skip
        students = Enrolment.objects.filter(school_class=ta.school_class, ends_on__isnull=True).count()
        director = RoleAssignment.objects.filter(school_id=ta.school_class.school_id, role="director").first()
        if term and director and (students >= 25 or assignment_id):
            link = GuardianLink.objects.filter(student__school_class=ta.school_class, student__is_active=True).first()
            return ta, term, director.user, link
    raise SystemExit("no teaching assignment of the current term with 25 students")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--assignment", type=int, default=None)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    _setup(f"{args.server}/{args.database}")
    from django.test import Client

    ta, term, director, link = _targets(args.assignment)
    grid = f"/journal/{ta.pk}/{term.pk}/"
    out = {"tree": str(Path.cwd()), "label": args.label, "assignment": ta.pk, "term": term.pk}
    for name, user in (("grid, teacher", ta.teacher), ("grid, director", director)):
        client = Client()
        client.force_login(user)
        out[name] = _cpu(client, grid, args.count, miss=False)
        out["cells"] = client.get(grid).content.decode().count(' id="c-')
    client = Client()
    client.force_login(link.guardian.user)
    week, marks = f"/diary/{link.student_id}/", f"/diary/{link.student_id}/marks/"
    out["week, miss"] = _cpu(client, week, args.count, miss=True)
    out["week, hit"] = _cpu(client, week, args.count, miss=False)
    out["marks, miss"] = _cpu(client, marks, args.count, miss=True)
    out["load_average"] = os.getloadavg()
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(text)
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    name = f"fragments_cpu-{time.strftime('%Y%m%d-%H%M%S')}-{Path.cwd().name}.json"
    (results / name).write_text(text)
    print("result:", results / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
