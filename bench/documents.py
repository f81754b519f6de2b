"""Benchmark: the filling-control справка (HTML and PDF) and a class's credential slips, as the pages make them.

    DATABASE_URL=postgres://…/db .venv/bin/python bench/documents.py                 # the demo school
    DATABASE_URL=postgres://…/db .venv/bin/python bench/documents.py --school CODE   # another school
    … bench/documents.py --periods month --parts summary --skip slips                 # one PDF only

Runs against a database built by `manage.py demo_city` (or `bench/city_build.py`). Signs in through the test
client as the school's deputy head and its journal coordinator and times, for the period from the start of
the school year to today (the longest a deputy asks for) and for the current month:
- the справка page (HTML), its summary PDF, the details PDF of the teacher with most findings
  (`part=details&teacher=…`) and the whole school's details (the background job, run synchronously here);
  pages counted;
- the sheet of slips of the school's largest class: new passwords for all its guardians («и тем, у кого логин
  уже есть», confirmed), then the slips page.
Everything the slips write is rolled back. Prints one line per measure and writes them as JSON to
bench/results/documents-<school>-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Rollback(Exception):
    pass


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def staff_user(school, role):
    from ejournal.people.models import RoleAssignment

    assignment = RoleAssignment.objects.filter(school=school, role=role).order_by("pk").first()
    if assignment is None:
        raise SystemExit(f"no {role} in {school}")
    return assignment.user


def timed(label: str, results: dict, call):
    """Run `call`; keep its wall time and this process's CPU time (the machine may be shared: CPU is the cost)."""
    started, cpu = time.perf_counter(), time.process_time()
    value = call()
    results[label] = {"wall_s": round(time.perf_counter() - started, 2), "cpu_s": round(time.process_time() - cpu, 2)}
    print(f"{label:<55} {results[label]['wall_s']:>7.2f} s wall {results[label]['cpu_s']:>7.2f} s CPU", flush=True)
    return value


def pdf_pages(content: bytes) -> int:
    """Pages of a PDF by poppler's pdfinfo (0 when it is not installed)."""
    try:
        out = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return 0
    found = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(found.group(1)) if found else 0


PARTS = {"summary": "", "details": "part=details&teacher={teacher}&"}


def bench_note(client, results: dict, query: str, tag: str, parts: list[str]) -> None:
    from django.urls import reverse

    response = timed(f"справка HTML ({tag})", results, lambda: client.get(f"{reverse('control:note')}?{query}"))
    assert response.status_code == 200, response.status_code
    found = re.search(r"part=details&amp;teacher=(\d+)", response.content.decode())  # rows: most findings first
    teacher = found.group(1) if found else 0
    for name in parts:
        part = PARTS[name].format(teacher=teacher)
        label = "summary" if name == "summary" else "details of the teacher with most findings"
        url = f"{reverse('control:note_pdf')}?{part}{query}"
        response = timed(f"справка PDF {label} ({tag})", results, lambda url=url: _pdf(client, url))
        results[f"pages {label} ({tag})"] = pdf_pages(response)
        print(f"{'  pages':<55} {results[f'pages {label} ({tag})']:>7}", flush=True)
    if "details" in parts:
        bench_note_job(client, results, query, tag)


def bench_note_job(client, results: dict, query: str, tag: str) -> None:
    """The whole school's second part: the background job, run here synchronously to time it."""
    from django.conf import settings
    from django.urls import reverse

    from ejournal.control.models import NoteJob

    settings.TASK_RUNNER = "sync"
    label = f"справка PDF details, whole school, background job ({tag})"
    response = timed(label, results, lambda: client.post(f"{reverse('control:note_job_start')}?{query}"))
    job = NoteJob.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == NoteJob.Status.DONE, job.error
    results[f"pages {label}"] = pdf_pages(bytes(job.pdf))
    print(f"{'  pages':<55} {results[f'pages {label}']:>7}", flush=True)
    job.delete()


def _pdf(client, url: str) -> bytes:
    """The PDF of `url`: at once, or through the background job's page when the server hands it over."""
    response = client.get(url)
    if response.status_code == 200 and response["Content-Type"] == "application/pdf":
        return response.content
    raise SystemExit(f"{url}: {response.status_code} {response.content[:300]!r}")


def bench_slips(client, school, results: dict) -> None:
    from django.db import transaction
    from django.db.models import Count
    from django.urls import reverse

    from ejournal.schools.models import SchoolClass

    cls = (
        SchoolClass.objects.filter(school=school, year__is_current=True)
        .annotate(n=Count("students"))
        .order_by("-n", "pk")
        .first()
    )
    url = reverse("people:class_slips", args=[cls.pk])
    try:
        with transaction.atomic():
            response = timed(
                f"slips: new passwords, guardians of {cls} (issue)", results,
                lambda: client.post(url, {"who": "guardians", "reissue": "on", "confirmed": "yes"}),
            )  # fmt: skip
            assert response.status_code == 302, response.status_code
            page = timed("slips: the slips page", results, lambda: client.get(reverse("people:slips")))
            results["slips"] = page.content.decode().count('class="slip"')
            print(f"{'  slips':<55} {results['slips']:>7}", flush=True)
            raise Rollback
    except Rollback:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--school", help="school code (default: the demo school of demo_deputy)")
    parser.add_argument("--skip", default="", help="comma-separated: note, slips")
    parser.add_argument("--periods", default="month,year", help="comma-separated: month (this month), year (to date)")
    parser.add_argument("--parts", default="summary,details", help="PDFs of the справка: summary, details")
    args = parser.parse_args()
    django_setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from ejournal.access.roles import Role
    from ejournal.schools.models import AcademicYear, School

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    if args.school:
        school = School.objects.get(code=args.school)
    else:
        from ejournal.people.models import RoleAssignment

        school = RoleAssignment.objects.get(user__username="demo_deputy", role=Role.DEPUTY_HEAD).school
    today = timezone.localdate()
    year = AcademicYear.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
    results: dict = {"school": school.code, "today": today.isoformat(), "started": time.time()}
    print(f"{school} ({school.code}), today {today}", flush=True)
    skip = set(filter(None, args.skip.split(",")))
    if "note" not in skip:
        deputy = Client()
        deputy.force_login(staff_user(school, Role.DEPUTY_HEAD))
        parts = args.parts.split(",")
        if "month" in args.periods:
            bench_note(deputy, results, "", "this month", parts)
        if "year" in args.periods:
            bench_note(deputy, results, f"date_from={year.starts_on}&date_to={today}", "year to date", parts)
    if "slips" not in skip:
        coordinator = Client()
        coordinator.force_login(staff_user(school, Role.JOURNAL_COORDINATOR))
        bench_slips(coordinator, school, results)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"documents-{school.code}-{int(results['started'])}.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"→ {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
