"""Reading roster files as schools really have them, and refusing the ones that cannot be read."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.core.imports.readers import ImportFileError, read_table
from ejournal.core.models import ImportJob
from ejournal.core.tests.hostile_files import bomb_xlsx, mixed_encoding_csv, understated_xlsx
from ejournal.people.imports.kinds import IMPORTERS
from ejournal.people.models import Student

from .test_import import STUDENT_HEADER, STUDENTS, csv_bytes, run


@pytest.fixture(autouse=True)
def _sync_tasks(settings, tmp_path):
    settings.TASK_RUNNER = "sync"
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("cp1251", ";"), ("utf-8-sig", ";"), ("utf-8", ","), ("utf-8-sig", "\t")]
)
def test_csv_in_windows_1251_or_utf8_with_any_usual_delimiter_is_read(world, encoding, delimiter):
    job = run(
        world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *STUDENTS], encoding=encoding, delimiter=delimiter)
    )
    assert job.status == ImportJob.Status.DONE, job.report
    assert Student.objects.filter(last_name__in=["Егоров", "Егорова", "Титов"]).count() == 3


def test_headers_match_ignoring_case_spaces_and_synonyms(world):
    header = ["  ФАМИЛИЯ ", "имя", "Отчество", "ДР", "пол", "класс", "№ личного дела"]
    job = run(world, "students", "s.csv", csv_bytes([header, *STUDENTS]))
    assert job.status == ImportJob.Status.DONE, job.report


def test_missing_or_renamed_required_columns_are_named_with_those_found(world):
    header = ["Фамилия", "Имя", "Дата", "Класс"]
    job = run(world, "students", "s.csv", csv_bytes([header, ["Егоров", "Илья", "05.04.2015", "5А"]]))
    assert job.status == ImportJob.Status.FAILED
    assert job.report["file_error"] == (
        "В файле нет обязательных столбцов: Дата рождения. Найдены столбцы: Фамилия, Имя, Дата, Класс."
    )


def test_undecodable_or_binary_csv_is_refused(world):
    job = run(world, "students", "s.csv", "Фамилия;Имя".encode("utf-16"))
    assert job.report["file_error"].startswith("Не удалось определить кодировку файла")
    job = run(world, "students", "s.csv", bytes(range(1, 256)) * 100)
    assert job.status == ImportJob.Status.FAILED and job.report["file_error"]


def test_empty_file_and_header_without_rows_are_refused(world):
    with pytest.raises(ImportFileError, match="Файл пустой"):
        read_table(b"  \r\n ", "s.csv")
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER]))
    assert job.report["file_error"] == "В файле нет ни одной строки с данными под заголовком."


def test_file_over_the_limit_is_refused_by_the_background_run_too(world, settings):
    settings.IMPORT_MAX_BYTES = 100
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *STUDENTS]))
    assert job.report["file_error"].startswith("Файл больше")
    assert not Student.objects.filter(last_name="Титов").exists()


def test_empty_lines_are_skipped_and_row_numbers_stay_those_of_the_file(world):
    rows = [STUDENT_HEADER, ["", "", "", "", "", "", ""], STUDENTS[0], ["Петров", "", "", "05.04.2015", "", "5А", ""]]
    job = run(world, "students", "s.csv", csv_bytes(rows))
    assert [(e["row"], e["column"]) for e in job.report["errors"]] == [(4, "Имя")]


# --- templates ----------------------------------------------------------------------


def download(client, kind: str, fmt: str) -> bytes:
    response = client.get(reverse("people:import_template", kwargs={"kind": kind, "fmt": fmt}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{kind}.{fmt}"'
    return response.content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_template_downloads_and_imports_back_cleanly(world, login_as, fmt):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    # In the order a school loads: staff, classes (their teacher), students, guardians (their children).
    for kind in ("staff", "classes", "students", "guardians"):
        data = download(client, kind, fmt)
        table = read_table(data, f"{kind}.{fmt}")
        assert table.headers == [c.label for c in IMPORTERS[kind].columns]
        job = run(world, kind, f"{kind}.{fmt}", data)
        assert job.status == ImportJob.Status.DONE, (kind, job.report)
    family = read_table(download(client, "students_guardians", fmt), f"f.{fmt}")
    assert len(family.rows) == 3


def test_template_of_an_unknown_kind_or_format_is_404(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    assert client.get(reverse("people:import_template", kwargs={"kind": "marks", "fmt": "xlsx"})).status_code == 404
    assert client.get(reverse("people:import_template", kwargs={"kind": "staff", "fmt": "xls"})).status_code == 404


def test_template_cells_that_look_like_formulas_are_neutralised(world, login_as, monkeypatch):
    monkeypatch.setattr(IMPORTERS["staff"], "examples", ({"full_name": "=1+2", "role": "@учитель"},))
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    sheet = load_workbook(io.BytesIO(download(client, "staff", "xlsx"))).active
    assert (sheet["A2"].value, sheet["C2"].value, sheet["A2"].data_type) == ("'=1+2", "'@учитель", "s")
    assert "'=1+2;" in download(client, "staff", "csv").decode("utf-8-sig")


# --- hostile files --------------------------------------------------------------------


def test_a_workbook_whose_dimension_understates_its_rows_imports_every_row(world):
    job = run(world, "students", "s.xlsx", understated_xlsx(STUDENT_HEADER, STUDENTS))
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.total_rows == 3 and job.report["counts"]["students"]["created"] == 3


def test_a_csv_of_windows_1251_rows_then_utf8_rows_is_refused_and_saves_nothing(world):
    before = Student.objects.count()
    cp1251 = [["Петрова", "Анна", "", "01.02.2015", "ж", "5А", ""]]
    utf8 = [["Петров", "Олег", "", "02.02.2015", "м", "5А", ""], ["Сомова", "Вера", "", "03.02.2015", "ж", "5А", ""]]
    job = run(world, "students", "s.csv", mixed_encoding_csv(STUDENT_HEADER, cp1251, utf8))
    assert job.status == ImportJob.Status.FAILED
    assert job.report["file_error"].startswith("Строка 3 записана в кодировке UTF-8, а строки выше — в Windows-1251")
    assert Student.objects.count() == before


def test_a_spreadsheet_bomb_is_refused_by_the_job_and_saves_nothing(world):
    before = Student.objects.count()
    job = run(world, "students", "s.xlsx", bomb_xlsx())
    assert job.status == ImportJob.Status.FAILED
    assert job.report["file_error"].startswith("Файл Excel сжат подозрительно сильно")
    assert Student.objects.count() == before


def test_a_file_over_the_row_cap_is_refused_naming_the_cap(world, settings):
    settings.IMPORT_MAX_ROWS = 3
    job = run(world, "students", "s.csv", csv_bytes([STUDENT_HEADER, *STUDENTS]))
    assert job.report["file_error"] == (
        "В файле больше 3 строк (предел загрузки, IMPORT_MAX_ROWS). Разбейте файл на части."
    )
    assert not Student.objects.filter(last_name="Титов").exists()
