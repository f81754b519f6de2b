"""Timetable import: all or nothing with a row-by-row Russian report, idempotent, a downloadable template."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import ImportJob

from ..imports.service import timetable_import_start
from ..models import Room, TimetableEntry
from .helpers import assignment, deputy

HEADER = ["Класс", "День недели", "Номер урока", "Предмет", "Учитель", "Кабинет", "Подгруппа", "Неделя"]


@pytest.fixture(autouse=True)
def _sync(settings, tmp_path):
    settings.TASK_RUNNER = "sync"
    settings.MEDIA_ROOT = tmp_path


def upload(world, rows):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([HEADER, *rows])
    file = SimpleUploadedFile("timetable.csv", out.getvalue().encode("utf-8-sig"))
    job = timetable_import_start(school_id=world.school.pk, upload=file, actor=deputy(world))
    job.refresh_from_db()
    return job


def rows(world):
    return [
        ["5А", "Пн", "1", "Математика", "Попова Елена Сергеевна", "101", "", ""],
        ["5А", "вторник", "2", "Математика", "teacher", "101", "", "нечётная"],
        ["5 «А»", "Ср", "3", "Иностранный язык (английский)", "Волков Игорь Николаевич", "204",
         "Английский язык, 1 группа", ""],
    ]  # fmt: skip


@pytest.fixture
def loads(world):
    assignment(world)
    assignment(world, name="Иностранный язык (английский)", teacher=world.other_teacher, subgroup=world.subgroup)
    return world


def test_a_good_file_loads_every_lesson_and_rooms(loads):
    job = upload(loads, rows(loads))
    assert job.status == ImportJob.Status.DONE, job.report
    assert TimetableEntry.objects.filter(school_class=loads.cls).count() == 3
    assert set(Room.objects.values_list("name", flat=True)) == {"101", "204"}
    assert TimetableEntry.objects.get(weekday=2).week_parity == 1
    assert job.report["counts"]["lessons"]["created"] == 3


def test_loading_the_same_file_twice_changes_nothing(loads):
    upload(loads, rows(loads))
    ids = set(TimetableEntry.objects.values_list("pk", flat=True))
    job = upload(loads, rows(loads))
    assert job.status == ImportJob.Status.DONE
    assert set(TimetableEntry.objects.values_list("pk", flat=True)) == ids
    assert job.report["counts"]["lessons"] == {"created": 0, "updated": 0, "unchanged": 3}


def test_a_bad_row_rejects_the_whole_file_with_a_russian_report(loads):
    bad = [
        *rows(loads),
        ["5А", "Пн", "13", "Математика", "Попова Елена Сергеевна", "", "", ""],
        ["5А", "Вс", "1", "Математика", "Попова Елена Сергеевна", "", "", ""],
        ["5А", "Чт", "1", "Математика", "Морозова Ирина Павловна", "", "", ""],
        ["5А", "Пт", "1", "История", "Попова Елена Сергеевна", "", "", ""],
    ]
    job = upload(loads, bad)
    assert job.status == ImportJob.Status.FAILED
    messages = {(e["row"], e["message"]) for e in job.report["errors"]}
    assert (5, "Номер урока должен быть от 1 до 12") in messages
    assert any(row == 6 and "День недели" in m for row, m in messages)
    assert any(row == 7 and "не найден среди сотрудников" in m for row, m in messages)
    assert any(row == 8 and "Нет нагрузки" in m for row, m in messages)
    assert not TimetableEntry.objects.exists() and not Room.objects.exists()


def test_a_file_without_required_columns_is_refused(world):
    out = "Класс;Предмет\n5А;Математика\n".encode()
    job = timetable_import_start(
        school_id=world.school.pk, upload=SimpleUploadedFile("t.csv", out), actor=deputy(world)
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "нет обязательных столбцов" in job.report["file_error"]


def test_pages_upload_and_show_the_report(loads, login_as):
    client = login_as(loads.deputy_head, Role.DEPUTY_HEAD)
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([HEADER, *rows(loads)])
    file = SimpleUploadedFile("t.csv", out.getvalue().encode("utf-8"))
    response = client.post(reverse("timetable:import_list"), {"file": file})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Загружено." in page and "Уроки в расписании" in page
    bad = client.post(reverse("timetable:import_list"), {"file": SimpleUploadedFile("t.xls", b"x")})
    assert bad.status_code == 400 and ".xlsx" in bad.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_template_downloads(world, login_as, fmt):
    response = login_as(world.deputy_head, Role.DEPUTY_HEAD).get(reverse("timetable:import_template", args=[fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        assert response.content.decode("utf-8-sig").startswith(";".join(HEADER))
