"""Benchmark: import a whole school (1,500 students, 2,500 guardians) from XLSX on SQLite.

    .venv/bin/python bench/import_school.py                  # 1,500 students, 2,500 guardians
    .venv/bin/python bench/import_school.py --students 300   # a quick smoke run

Creates a fresh SQLite database under var/bench/, a school with its current year,
generates classes.xlsx, students.xlsx and guardians.xlsx there with Faker (ru_RU),
imports them one after another through the same service the upload page uses
(the runner made synchronous; BENCH_RUNNER=thread runs them in a background
thread and polls the progress as the job page does), then imports them all again to time the
idempotent re-run ("0 created, N unchanged"). Goal: < 30 s for the first run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
GOAL_SECONDS = 30
LETTERS = "АБВГДЕ"


def django_setup(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ejournal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.TASK_RUNNER = os.environ.get("BENCH_RUNNER", "sync")
    settings.MEDIA_ROOT = WORK / "media"
    call_command("migrate", verbosity=0)


def school_create():
    from ejournal.access.policy import Actor
    from ejournal.access.roles import Role
    from ejournal.accounts.models import User
    from ejournal.people.models import RoleAssignment
    from ejournal.schools.models import AcademicYear, District, Municipality, School

    city = Municipality.objects.create(name="Краснодар", short_name="Краснодар")
    district = District.objects.create(municipality=city, name="Западный")
    AcademicYear.objects.create(
        municipality=city,
        name="2026/2027",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2027, 8, 31),
        is_current=True,
    )
    school = School.objects.create(
        municipality=city, district=district, number=1, full_name="МБОУ СОШ № 1", short_name="СОШ № 1", code="s1"
    )
    user = User.objects.create(username="coord", last_name="Кузнецов", first_name="Андрей")
    RoleAssignment.objects.create(user=user, role=Role.JOURNAL_COORDINATOR, school=school)
    return school, Actor(user_id=user.pk, role=Role.JOURNAL_COORDINATOR, school_id=school.pk)


def rows_generate(students: int, guardians: int, seed: int = 271) -> dict[str, list[list]]:
    """Classes 1–11 with as many letters as needed; 1–2 guardians per child, some shared by siblings."""
    from faker import Faker

    fake = Faker("ru_RU")
    Faker.seed(seed)
    random.seed(seed)
    per_class = 27
    classes = [(g, LETTERS[i]) for i in range(len(LETTERS)) for g in range(1, 12)][: -(-students // per_class)]
    out: dict[str, list[list]] = {
        "classes": [["Параллель", "Литера", "Смена"]] + [[g, letter, 1 + (g in (2, 3, 4))] for g, letter in classes],
        "students": [["Фамилия", "Имя", "Отчество", "Дата рождения", "Пол", "Класс", "Номер личного дела"]],
        "guardians": [
            ["Фамилия", "Имя", "Отчество", "Телефон", "E-mail", "Номер личного дела ребёнка", "Кем приходится"]
        ],
    }
    children = []
    for n in range(students):
        grade, letter = classes[n % len(classes)]
        male = random.random() < 0.5
        last = fake.last_name_male() if male else fake.last_name_female()
        first = fake.first_name_male() if male else fake.first_name_female()
        middle = fake.middle_name_male() if male else fake.middle_name_female()
        born = dt.date(2026 - 6 - grade, 1, 1) + dt.timedelta(days=random.randrange(365))
        record = f"{2026 - grade}-{n + 1:04d}"
        out["students"].append([last, first, middle, born, "м" if male else "ж", f"{grade}{letter}", record])
        children.append(record)
    made = 0
    while made < guardians:
        child = children[made % len(children)] if made < len(children) else random.choice(children)
        male = made >= len(children)  # mothers first, then fathers
        phone = f"+7918{random.randrange(10**7):07d}"
        email = fake.unique.email() if random.random() < 0.6 else ""
        last = fake.last_name_male() if male else fake.last_name_female()
        first = fake.first_name_male() if male else fake.first_name_female()
        middle = fake.middle_name_male() if male else fake.middle_name_female()
        relation = "отец" if male else "мать"
        out["guardians"].append([last, first, middle, phone, email, child, relation])
        if made % 10 == 0:  # a sibling: the same guardian linked to another child
            sibling = children[(made + 1) % len(children)]
            out["guardians"].append([last, first, middle, phone, email, sibling, relation])
        made += 1
    return out


def xlsx_write(path: Path, rows: list[list]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    book.save(path)


def import_all(school, actor, files: dict[str, Path]) -> list[tuple[str, float, dict]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ejournal.people.imports.service import roster_import_start

    results = []
    for kind, path in files.items():
        started = time.perf_counter()
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        job = roster_import_start(school_id=school.pk, kind=kind, upload=upload, actor=actor)
        progress = set()
        while job.status not in ("done", "failed"):  # the thread runner: poll as the job page does
            time.sleep(0.05)
            job.refresh_from_db()
            progress.add(job.processed_rows)
        if len(progress) > 1:
            print(f"  {kind}: progress seen at {sorted(progress)[1:6]}… rows")
        elapsed = time.perf_counter() - started
        if job.status != "done":
            raise SystemExit(f"{kind} failed: {str(job.report)[:500]}")
        results.append((kind, elapsed, job.report["counts"]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1500)
    parser.add_argument("--guardians", type=int, default=2500)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    django_setup(WORK / "import_school.sqlite3")
    school, actor = school_create()
    started = time.perf_counter()
    files = {}
    for kind, rows in rows_generate(args.students, args.guardians).items():
        files[kind] = WORK / f"{kind}.xlsx"
        xlsx_write(files[kind], rows)
    print(f"generated {', '.join(f'{p.name} ({p.stat().st_size // 1024} KB)' for p in files.values())}"
          f" in {time.perf_counter() - started:.1f} s")  # fmt: skip
    for label in ("first import", "same files again"):
        results = import_all(school, actor, files)
        total = sum(seconds for _kind, seconds, _counts in results)
        print(f"{label}: {total:.2f} s")
        for kind, seconds, counts in results:
            print(f"  {kind:10} {seconds:6.2f} s  {counts}")
        if label == "first import":
            first = total
    verdict = "OK" if first < GOAL_SECONDS else "SLOW"
    print(f"{verdict}: first import {first:.2f} s (goal < {GOAL_SECONDS} s)")


if __name__ == "__main__":
    main()
