"""Benchmark: the year-end archive of a city's largest school (target ≤ 10 minutes), its size; the hash chain's cost.

    DATABASE_URL=postgres://…/ejournal_benchcity .venv/bin/python bench/archive_build.py            # largest school
    DATABASE_URL=postgres://…/db .venv/bin/python bench/archive_build.py --school CODE --term 1     # one term
    DATABASE_URL=postgres://…/db .venv/bin/python bench/archive_build.py --workers 2               # PDFs in 2 processes
    DATABASE_URL=postgres://…/db .venv/bin/python bench/archive_build.py --chain-save 200          # + chain cost

Read-only against the database (it prints the row counts of the tables a build could write to — archive jobs,
audit events, change records, anchors — before and after, to show it): builds the archive of the school with most students (or `--school`) for its
current academic year (or `--term N`) with `ejournal.archive.build.archive_build` into a temporary directory,
zips it, runs the standalone verifier over the zip, and prints the time of each stage, the number of PDFs and
pages, the size of the directory and of the zip. A database whose schema predates the hash chain (no
`journal_changerecord.hash` column: the city-year database built before this change) is archived without the
chain's tables (they are empty there anyway: the generator writes no change records).

`--chain-save N`: the cost of the chain on the journal's save path: N single-mark saves through
`journal.services.mark_set` with the chain and N with the chain's two statements skipped (the append reduced to
the plain insert), each in its own transaction, all rolled back at the end; the median and p95 of each.
Writes JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def largest_school(code: str | None):
    from django.db.models import Count

    from ejournal.schools.models import School

    if code:
        return School.objects.get(code=code)
    return School.objects.annotate(n=Count("students")).order_by("-n", "pk").first()


def chain_columns_present() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "journal_changerecord")}
    return "hash" in columns


def without_chain_tables() -> None:
    """An old schema: archive the journal without the chain's tables (the generator wrote no change records)."""
    from ejournal.archive import build
    from ejournal.journal.chain import GENESIS

    build._chain_rows = lambda machine, period: {"first_prev_hash": GENESIS, "last_hash": None, "last_id": None}


def pdf_pages(directory: Path) -> int:
    pages = 0
    for pdf in directory.rglob("*.pdf"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
        pages += next((int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:")), 0)
    return pages


def dir_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def table_counts() -> dict[str, int]:
    """Rows of the tables a build could write to: the benchmark must leave the database as it found it."""
    from django.db import connection

    counts = {}
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in ("archive_archivejob", "core_auditevent", "journal_changerecord", "journal_chainanchor"):
            if table in existing:
                cursor.execute(f"SELECT count(*) FROM {table}")  # a fixed name from the tuple above
                counts[table] = cursor.fetchone()[0]
    return counts


def build_archive(args) -> dict:
    from ejournal.archive.build import Period, archive_build, archive_zip
    from ejournal.archive.verify import main as verify_main
    from ejournal.schools.models import AcademicYear, Term

    school = largest_school(args.school)
    year = AcademicYear.objects.filter(municipality_id=school.municipality_id, is_current=True).first()
    term = Term.objects.get(school=school, year=year, number=args.term) if args.term else None
    chain = chain_columns_present()
    if not chain:
        without_chain_tables()
    students = school.students.count()
    print(f"school {school.code} ({school.short_name}): {students} students; {term or year.name}; chain: {chain}")
    work = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    result = {"school": school.code, "students": students, "period": str(term or year.name), "chain": chain}
    try:
        cpu, t = time.process_time(), time.perf_counter()
        last = [0.0]

        def progress(done, total):
            if time.perf_counter() - last[0] > 30:
                last[0] = time.perf_counter()
                print(f"  {done}/{total} documents, {time.perf_counter() - t:.0f} s")

        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        built = archive_build(Period(school=school, year=year, term=term), work / "a", progress=progress)
        result["build_s"], result["build_cpu_s"] = time.perf_counter() - t, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        result["workers_cpu_s"] = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        t = time.perf_counter()
        digest, size = archive_zip(work / "a", work / "a.zip")
        result["zip_s"], result["zip_bytes"], result["sha256"] = time.perf_counter() - t, size, digest
        result["dir_bytes"] = dir_size(work / "a")
        result["files"] = len(built.files)
        result["pdfs"] = sum(1 for f in built.files if f["path"].endswith(".pdf"))
        result["rows"] = built.counts
        t = time.perf_counter()
        result["verify_rc"] = verify_main([str(work / "a.zip")])
        result["verify_s"] = time.perf_counter() - t
        result["pages"] = pdf_pages(work / "a")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["total_s"] = result["build_s"] + result["zip_s"]
    return result


def chain_cost(n: int) -> dict:
    """N single-mark saves with and without the chain's lock-and-move (all rolled back)."""
    from django.db import connection, transaction

    from ejournal.journal.models import Mark
    from ejournal.journal.services import chain as chain_module
    from ejournal.journal.services import mark_set

    def plain_append(rows):
        from ejournal.journal.models import ChangeRecord

        ChangeRecord.objects.bulk_create(rows)
        return rows

    cells = list(_empty_cells(2 * n))
    if len(cells) < 2 * n:
        raise SystemExit(f"only {len(cells)} empty cells of today's lessons")
    timings = {"chain": [], "plain": []}

    class Rollback(Exception):
        pass

    real = chain_module.change_records_append
    try:
        with transaction.atomic():
            for i, (lesson, student, actor) in enumerate(cells):
                mode = "chain" if i % 2 == 0 else "plain"
                chain_module.change_records_append = real if mode == "chain" else plain_append
                _patch_callers(chain_module.change_records_append)
                t = time.perf_counter()
                with transaction.atomic():
                    mark_set(lesson=lesson, student=student, value=5, actor=actor)
                timings[mode].append((time.perf_counter() - t) * 1000)
            raise Rollback
    except Rollback:
        pass
    finally:
        chain_module.change_records_append = real
        _patch_callers(real)
    assert Mark.objects.filter(pk__gt=0).exists() or True
    connection.close()
    return {mode: {"n": len(v), "median_ms": statistics.median(v), "p95_ms": sorted(v)[int(0.95 * len(v)) - 1]}
            for mode, v in timings.items()}  # fmt: skip


def _patch_callers(func) -> None:
    from ejournal.journal.services import common, marks, period_confirm

    for module in (common, marks, period_confirm):
        module.change_records_append = func


def _empty_cells(n: int):
    """(lesson, student, teacher's actor) of today's lessons without a mark: the journal accepts those saves."""
    from django.utils import timezone

    from ejournal.access.policy import Actor
    from ejournal.access.roles import Role
    from ejournal.journal.models import Mark
    from ejournal.people.models import Enrolment
    from ejournal.timetable.models import Lesson

    today = timezone.localdate()
    found = 0
    for lesson in Lesson.objects.filter(date=today, subgroup__isnull=True).select_related("school_class")[:200]:
        actor = Actor(user_id=lesson.teacher_id, role=Role.TEACHER, school_id=lesson.school_id,
                      class_ids=frozenset({lesson.school_class_id}))  # fmt: skip
        marked = set(Mark.objects.filter(lesson=lesson).values_list("student_id", flat=True))
        enrolled = Enrolment.objects.filter(school_class_id=lesson.school_class_id, ends_on__isnull=True)
        for e in enrolled.select_related("student"):
            if e.student_id not in marked:
                yield lesson, e.student, actor
                found += 1
                if found >= n:
                    return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--school", help="school code (default: the school with most students)")
    parser.add_argument("--term", type=int, help="archive this term of the current year (default: the whole year)")
    parser.add_argument("--workers", type=int, default=None, help="ARCHIVE_PDF_WORKERS for this run")
    parser.add_argument("--chain-save", type=int, default=0, help="also time N saves with and without the chain")
    parser.add_argument("--skip-archive", action="store_true")
    args = parser.parse_args()
    if args.workers:
        os.environ["ARCHIVE_PDF_WORKERS"] = str(args.workers)
    django_setup()
    result = {"load_average": os.getloadavg(), "workers": os.environ.get("ARCHIVE_PDF_WORKERS", "1")}
    before = table_counts()
    if not args.skip_archive:
        result["archive"] = build_archive(args)
        a = result["archive"]
        print(f"archive: {a['total_s']:.1f} s wall ({a['build_cpu_s']:.1f} s CPU in this process, "
              f"{a['workers_cpu_s']:.1f} s in {result['workers']} PDF workers), {a['pdfs']} PDFs, "
              f"{a['pages']} pages, {a['dir_bytes'] / 1e6:.1f} MB unpacked, zip {a['zip_bytes'] / 1e6:.1f} MB; "
              f"verifier {a['verify_s']:.1f} s, rc {a['verify_rc']}; rows {a['rows']}")  # fmt: skip
    result["load_average_after"] = os.getloadavg()
    result["tables_before"], result["tables_after"] = before, table_counts()
    print(f"load average before {result['load_average']}, after {result['load_average_after']}; "
          f"rows of written tables before {before}, after {result['tables_after']}")  # fmt: skip
    if args.chain_save:
        result["chain_save"] = chain_cost(args.chain_save)
        print(f"one mark saved, with the chain vs without: {result['chain_save']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"archive-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"written {out}")


if __name__ == "__main__":
    main()
