"""Import of the curriculum and assignments: all or nothing, a Russian report per row, idempotent."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.core.models import ImportJob
from ejournal.curriculum.models import CurriculumLine, TeachingAssignment


@pytest.fixture(autouse=True)
def _sync_tasks(settings, tmp_path):
    settings.TASK_RUNNER = "sync"
    settings.MEDIA_ROOT = tmp_path


def upload(client, kind, text):
    f = SimpleUploadedFile("plan.csv", text.encode("utf-8-sig"), content_type="text/csv")
    response = client.post("/curriculum/import/", {"kind": kind, "file": f})
    assert response.status_code == 302
    return ImportJob.objects.latest("id")


CURRICULUM = "Параллель;Предмет;Часов в неделю;Деление на подгруппы\n5;Математика;5;нет\n5;Англ. яз.;3;да\n"


def test_curriculum_file_loads_and_a_second_upload_changes_nothing(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    job = upload(client, "curriculum", CURRICULUM)
    assert job.status == ImportJob.Status.DONE, job.report
    assert job.report["counts"]["lines"]["created"] == 2
    english = CurriculumLine.objects.get(school=world.school, grade=5, subject__short_name="Англ. яз.")
    assert (english.hours_per_week, english.in_subgroups) == (Decimal("3"), True)
    again = upload(client, "curriculum", CURRICULUM)
    assert again.report["counts"]["lines"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert "Строки учебного плана" in client.get(f"/curriculum/import/{again.pk}/").content.decode()


def test_bad_rows_are_reported_by_row_and_nothing_is_saved(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    text = CURRICULUM + "12;Математика;5;нет\n6;Алхимия;2;нет\n6;Физика;1,3;нет\n"
    job = upload(client, "curriculum", text)
    assert job.status == ImportJob.Status.FAILED
    assert [e["row"] for e in job.report["errors"]] == [4, 5, 6]
    assert "не найден" in job.report["errors"][1]["message"]
    assert "шагом 0,5" in job.report["errors"][2]["message"]
    assert not CurriculumLine.objects.exists()


def test_assignment_file_refuses_a_teacher_of_another_school(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    text = (
        "Учитель;Класс;Подгруппа;Предмет;Часов в неделю;С даты\n"
        "Попова Елена Сергеевна;5А;;Математика;5;01.09.2026\n"
        "Морозова Ирина Павловна;5А;;Физика;2;\n"
        "Волков Игорь Николаевич;5Б;Английский язык, 1 группа;Англ. яз.;3;\n"
    )
    job = upload(client, "assignments", text)
    assert job.status == ImportJob.Status.FAILED
    messages = {e["row"]: e["message"] for e in job.report["errors"]}
    assert "Учитель не работает в этой школе" in messages[3]
    assert "подгруппы" in messages[4]
    assert not TeachingAssignment.objects.exists()


def test_assignment_file_loads_idempotently(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    text = "Учитель;Класс;Подгруппа;Предмет;Часов в неделю\nteacher;5А;Английский язык, 1 группа;Англ. яз.;3\n"
    assert upload(client, "assignments", text).status == ImportJob.Status.DONE
    assert upload(client, "assignments", text).report["counts"]["assignments"]["unchanged"] == 1
    assert TeachingAssignment.objects.get().subgroup == world.subgroup


def test_templates_download_with_the_columns(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    book = load_workbook(io.BytesIO(client.get("/curriculum/import/template/curriculum.xlsx").content))
    assert [c.value for c in book.active[1]] == ["Параллель", "Предмет", "Часов в неделю", "Деление на подгруппы"]
    assert client.get("/curriculum/import/template/nothing.csv").status_code == 404


def test_coordinator_cannot_upload_a_plan(world, login_as):
    assert login_as(world.coordinator, Role.JOURNAL_COORDINATOR).get("/curriculum/import/").status_code == 403
