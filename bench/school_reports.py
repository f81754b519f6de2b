"""Benchmark: a school's term report (issue 16, item 2) through its pages, and the whole city's term figures.

    .venv/bin/python bench/city_term_marks.py                                                  # once: every school's term marks
    flock /tmp/bench/machine.lock .venv/bin/python bench/school_reports.py                     # ejournal_benchcity
    .venv/bin/python bench/school_reports.py --database ejournal_wt_reports --repeat 1         # a demo_city smoke run

Read-only. Signs in through the test client as the deputy head of the school with most students enrolled
among those whose term marks are confirmed (or `--largest`, or `--school CODE`) and times, for the last finished term (or `--term N`, the term's number among the
school's quarters), each page of the school report as the deputy opens it — every section («Успеваемость и
качество» with the dynamics, the lists, attendance, programme, density), the section grouped by subject and by
teacher, and its XLSX and PDF — and the class teacher's whole term report of the school's largest class with
its PDF. Then `city_term_figures` of every school of the city for that term (what the department's figures
of a term read). The first run of each is cold (a new process; nothing flushed), then `--repeat` warm runs,
median. Goals (issue 16): a school's term report ≤ 2 s, the city's term figures ≤ 10 s.
Writes JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


ONLY: list[str] = []  # --only: time just the measures whose label contains one of these


def timed(label: str, results: dict, call, repeat: int):
    """Run `call` once cold and `repeat` times warm; keep wall and CPU times (the machine may be shared)."""
    if ONLY and not any(part in label for part in ONLY):
        return {}
    walls, cpus, value = [], [], None
    for _ in range(1 + repeat):
        started, cpu = time.perf_counter(), time.process_time()
        value = call()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    warm = walls[1:] or walls
    results[label] = {"cold_s": round(walls[0], 3), "warm_median_s": round(statistics.median(warm), 3),
                      "cpu_warm_median_s": round(statistics.median(cpus[1:] or cpus), 3)}  # fmt: skip
    r = results[label]
    print(f"{label:<62} cold {r['cold_s']:>7.3f} s  warm {r['warm_median_s']:>7.3f} s  "
          f"(CPU {r['cpu_warm_median_s']:.3f} s)", flush=True)  # fmt: skip
    return value


def _get(client, url: str, **params):
    response = client.get(url, params)
    if response.status_code != 200:
        raise SystemExit(f"{url} {params}: {response.status_code} {response.content[:300]!r}")
    return response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="ejournal_benchcity")
    parser.add_argument("--school", help="school code (default: the largest school with confirmed term marks)")
    parser.add_argument("--largest", action="store_true", help="the largest school, with or without term marks")
    parser.add_argument("--term", type=int, help="number of the quarter (default: the last one ended)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", default=[], help="time only measures whose label contains this")
    args = parser.parse_args()
    ONLY.extend(args.only)
    django_setup(f"{args.server}/{args.database}")
    from django.conf import settings
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from ejournal.access.roles import Role
    from ejournal.journal.models import PeriodMark
    from ejournal.people.models import RoleAssignment
    from ejournal.reports import selectors
    from ejournal.schools.models import School, SchoolClass, Term

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    today = timezone.localdate()
    by_size = School.objects.annotate(n=Count("students", filter=Q(students__is_active=True))).order_by("-n", "pk")
    if args.school:
        school = by_size.get(code=args.school)
    elif args.largest:
        school = by_size.first()
    else:  # the largest school with confirmed term marks (the city build: 14; after bench/city_term_marks.py: all)
        marked = PeriodMark.objects.filter(kind="term").values("school_id").distinct()
        school = by_size.filter(pk__in=marked).first() or by_size.first()
    terms = Term.objects.filter(school=school, year__is_current=True, kind=Term.Kind.QUARTER).order_by("starts_on")
    term = terms.get(number=args.term) if args.term else terms.filter(ends_on__lt=today).last() or terms.first()
    results: dict = {"database": args.database, "school": school.code, "term": str(term), "today": str(today),
                     "started": time.time(), "load_average": os.getloadavg()}  # fmt: skip
    cls = (SchoolClass.objects.filter(school=school, year__is_current=True, grade__gte=5).annotate(n=Count("enrolments"))
           .order_by("-n", "pk").first())  # fmt: skip
    marks = PeriodMark.objects.filter(school=school, term=term).count()
    city_marks = PeriodMark.objects.filter(kind="term", term__kind=term.kind, term__number=term.number).count()
    results.update(students=school.n if hasattr(school, "n") else None, period_marks_school=marks,
                   period_marks_city=city_marks)  # fmt: skip
    print(
        f"{school} ({school.code}), {results['students']} students, {term}: {marks} term marks; "
        f"the city: {city_marks} term marks of the term; today {today}; load {results['load_average']}",
        flush=True,
    )
    deputy = Client()
    deputy.force_login(RoleAssignment.objects.filter(school=school, role=Role.DEPUTY_HEAD).order_by("pk").first().user)
    period = f"t{term.pk}"
    page = reverse("reports:school")
    for section in ("achievement", "lists", "attendance", "programme", "density"):
        timed(f"school report page: {section}", results, lambda s=section: _get(deputy, page, period=period, section=s),
              args.repeat)  # fmt: skip
    for by in ("subject", "teacher"):
        timed(f"school report page: achievement by {by}", results,
              lambda b=by: _get(deputy, page, period=period, by=b), args.repeat)  # fmt: skip
    timed("school report page: every section («Весь отчёт»)", results,
          lambda: _get(deputy, page, period=period, section="all"), args.repeat)  # fmt: skip
    timed("school report XLSX (every section)", results,
          lambda: _get(deputy, reverse("reports:school_xlsx"), period=period, section="all"), args.repeat)  # fmt: skip
    timed("school report PDF (achievement by class)", results,
          lambda: _get(deputy, reverse("reports:school_pdf"), period=period), args.repeat)  # fmt: skip
    timed(f"class report page, {cls} (every section)", results,
          lambda: _get(deputy, reverse("reports:class", args=[cls.pk]), period=period), args.repeat)  # fmt: skip
    timed(f"class report PDF, {cls}", results,
          lambda: _get(deputy, reverse("reports:class_pdf", args=[cls.pk]), period=period), args.repeat)  # fmt: skip
    timed(f"summary sheet PDF, {cls}", results,
          lambda: _get(deputy, reverse("reports:sheet_pdf", args=[cls.pk])), args.repeat)  # fmt: skip
    ids = list(School.objects.values_list("pk", flat=True))
    figures = timed(f"city term figures, {len(ids)} schools", results,
                    lambda: selectors.city_term_figures(school_ids=ids, kind=term.kind, number=term.number),
                    args.repeat)  # fmt: skip
    results["city_schools_with_figures"] = len(figures)
    results["city_students_counted"] = sum(f.total for f in figures.values())
    print(f"  schools with figures {len(figures)}, students counted {results['city_students_counted']}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"school_reports-{args.database}-{int(results['started'])}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"→ {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
