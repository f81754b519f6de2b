"""The report's printouts and files: the PDF shows every column on every page, the XLSX files carry a title."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.city.models import MonthlyReportRow
from ejournal.city.report_fields import FIELDS
from ejournal.schools.models import School

from .factories import make_report, other_vendor

MSK = ZoneInfo("Europe/Moscow")
PDFTOTEXT, PDFINFO = shutil.which("pdftotext"), shutil.which("pdfinfo")


def _full_row(n: int) -> dict:
    return {
        "stage": "full", "stage_on": "2026-09-01", "classes_in_system": 30 + n, "students_in_system": 800 + n,
        "teachers_with_accounts": 60, "teachers_active": 58, "guardians_with_access": 700, "guardians_logged_in": 512,
        "lessons_total": 1200, "lessons_topic_on_time_pct": "100.0", "lessons_homework_on_time_pct": "97.5",
        "lessons_attendance_pct": "70.8", "marks_per_student": "12.4", "density_norm_met_pct": "88.1",
        "marks_late_pct": "3.2", "applications_received": 12, "applications_granted": 10, "applications_refused": 2,
        "applications_avg_days": "6.5", "site_url": f"https://school{n}.krasnodar.example.ru/municipal-service/diary",
        "support_filed": 3, "support_closed": 2, "support_open": 1,
        "problems": "Нет интернета в кабинетах второго этажа; просим заменить коммутатор в кабинете информатики.",
    }  # fmt: skip


def _city(world, schools: int = 14) -> None:
    """A district with many schools on another vendor's system, filled by hand: the table runs over pages."""
    made = [world.school]
    for n in range(2, schools + 1):
        made.append(School.objects.create(
            municipality=world.city, district=world.district, number=n, full_name=f"МБОУ СОШ № {n}",
            short_name=f"СОШ № {n}", code=f"e{n}",
        ))  # fmt: skip
    for school in made:
        other_vendor(school, world.city)
    report = make_report(world.district)
    for n, row in enumerate(report.rows.all(), start=1):
        row.source, row.data = MonthlyReportRow.Source.MANUAL, _full_row(n)
        row.save()
    make_report(world.other_district)


def _squash(text: str) -> str:
    """The text without spaces and line breaks, words hyphenated at a line's end joined again."""
    return re.sub(r"\s+", "", re.sub(r"(\w)[-\u2010\u00ad]\s*\n\s*(\w)", r"\1\2", text))


def _pdf_pages(content: bytes, path: Path) -> list[str]:
    """The text of each page, in the order the PDF draws it (`-raw`: a table cell's lines stay together)."""
    path.write_bytes(content)
    assert PDFINFO is not None and PDFTOTEXT is not None  # the tests that call this are skipped without them
    info = subprocess.run([PDFINFO, path], capture_output=True, text=True, check=True).stdout  # noqa: S603
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found is not None
    count = int(found.group(1))
    pages = []
    for n in range(1, count + 1):
        command: list[str | Path] = [PDFTOTEXT, "-raw", "-f", str(n), "-l", str(n), path, "-"]
        pages.append(subprocess.run(command, capture_output=True, text=True, check=True).stdout)  # noqa: S603
    return pages


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_district_and_city_report_pdfs_show_every_column_on_every_page(world, login_as, tmp_path):
    _city(world)
    report = world.district.monthly_reports.get()
    printouts = [
        (login_as(world.district_officer, Role.DISTRICT_OFFICER), f"/city/reports/{report.pk}/export.pdf"),
        (login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER), "/city/city/export.pdf?year=2026&month=10"),
    ]
    for client, url in printouts:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        pages = _pdf_pages(response.content, tmp_path / "report.pdf")
        assert len(pages) >= 2
        for number, text in enumerate(pages, start=1):
            missing = [str(f.label) for f in FIELDS if _squash(str(f.label)) not in _squash(text)]
            assert missing == [], f"{url}: page {number} lacks {missing}"
        # The total is printed once, after the district's schools, not at the foot of every page.
        assert sum(_squash(p).count(_squash("Итого по округу")) for p in pages) == (2 if "city/city" in url else 1)


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_report_xlsx_files_open_with_a_title_district_month_and_date_of_export(world, login_as):
    _city(world, schools=2)
    report = world.district.monthly_reports.get()
    district = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, 30, tzinfo=MSK), tick=False):
        sheet = _sheet(district.get(f"/city/reports/{report.pk}/export.xlsx").content)
        city = _sheet(login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
                      .get("/city/city/export.xlsx?year=2026&month=10").content)  # fmt: skip
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Отчёт об итогах апробации и внедрения программных комплексов за октябрь 2026 г."
    assert rows[1][0] == "Округ: Западный"
    assert rows[2][0] == "Выгружено: 03.11.2026 09:30"
    header = next(i for i, r in enumerate(rows) if r[1] == "Школа")
    assert rows[header][3:] == tuple(str(f.label) for f in FIELDS)
    assert sheet.freeze_panes == f"C{header + 2}"
    assert rows[header + 1][1] == "СОШ № 1"
    city_rows = list(city.iter_rows(values_only=True))
    assert city_rows[1][0] == "Округа: все (Западный, Карасунский)"
    assert city_rows[-1][1] == "Итого по городу"


def test_rollout_xlsx_opens_with_a_title_the_district_and_the_date(world, login_as):
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    with time_machine.travel(dt.datetime(2026, 11, 3, 9, 30, tzinfo=MSK), tick=False):
        one = _sheet(client.get(f"/city/rollout/export.xlsx?district={world.district.pk}").content)
    rows = list(one.iter_rows(values_only=True))
    assert rows[0][0] == "Сводный график внедрения"
    assert rows[1][0] == "Округ: Западный"
    assert rows[2][0] == "Выгружено: 03.11.2026 09:30"
    assert rows[4][:3] == ("Округ", "Школа", "Программный комплекс")
    assert [r[1] for r in rows[5:]] == ["СОШ № 1"]


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_month_reads_in_lower_case_inside_the_titles_as_in_the_xlsx(world, login_as, tmp_path):
    """«Отчёт округа Западный за октябрь 2026 г.», not «за Октябрь 2026»: the page, the PDF and the city report
    said the latter while the XLSX of the same report said the former."""
    _city(world, schools=2)
    report = world.district.monthly_reports.get()
    district = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    city = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    page = district.get(f"/city/reports/{report.pk}/").content.decode()
    assert "Отчёт округа Западный за октябрь 2026 г." in page
    city_page = city.get("/city/city/?year=2026&month=10").content.decode()
    assert "Сводный отчёт по городу за октябрь 2026 г." in city_page
    for client, url in (
        (district, f"/city/reports/{report.pk}/export.pdf"),
        (city, "/city/city/export.pdf?year=2026&month=10"),
    ):
        first = _squash(_pdf_pages(client.get(url).content, tmp_path / "report.pdf")[0])
        assert _squash("дневников за октябрь 2026 г.") in first, url
    assert "за Октябрь" not in page + city_page
