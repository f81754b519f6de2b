"""The thematic plan: topics edited in place, XLSX/CSV files through the import framework, the blank file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent, ImportJob
from ejournal.core.spreadsheet import workbook_new
from ejournal.core.tests.hostile_files import bomb_xlsx

from ..imports.service import thematic_plan_file_start
from ..models import PlannedTopic
from ..services import thematic_plan_import
from .helpers import journal, teacher, view_queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUEUED: list[tuple] = []


def hold(task_path, *args):
    """A task runner that only queues: the request must finish without the file being parsed."""
    QUEUED.append((task_path, *args))


@pytest.fixture(autouse=True)
def _sync_tasks(settings, tmp_path):
    settings.TASK_RUNNER = "sync"
    settings.MEDIA_ROOT = tmp_path


def xlsx(rows) -> SimpleUploadedFile:
    book, sheet = workbook_new()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("ктп.xlsx", out.getvalue(), content_type=XLSX)


def csv(text: str, name="ктп.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


@pytest.fixture
def plan(world):
    a, _days = journal(world)
    return a, reverse("journal:plan", kwargs={"assignment_id": a.pk})


def keeper(world, login_as):
    return login_as(world.teacher, Role.CLASS_TEACHER)


def titles():
    return list(PlannedTopic.objects.order_by("position").values_list("title", "hours", "is_control_work"))


def test_an_xlsx_plan_is_loaded_in_the_order_of_its_numbers(world, login_as, plan):
    a, _url = plan
    upload = xlsx([
        ["№", "Тема урока", "Часов", "К/р"],
        [2, "Дроби", 3, "нет"],
        [1, "Натуральные  числа", 2, ""],
        [3, "Контрольная работа № 1", 1, "да"],
    ])  # fmt: skip
    response = keeper(world, login_as).post(reverse("journal:plan_upload", kwargs={"assignment_id": a.pk}),
                                            {"file": upload, "replace": "on"}, follow=True)  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Загружено." in html and "<td>Темы планирования</td><td>3</td>" in html and "К планированию" in html
    assert titles() == [("Натуральные числа", 2, False), ("Дроби", 3, False), ("Контрольная работа № 1", 1, True)]
    assert AuditEvent.objects.filter(action="journal_imported").exists()


def test_a_plan_file_is_parsed_in_a_background_job_not_in_the_request(world, login_as, plan, settings, monkeypatch):
    a, _url = plan
    settings.TASK_RUNNER = f"{__name__}.hold"
    QUEUED.clear()

    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was parsed in the request")

    monkeypatch.setattr("ejournal.core.imports.services.read_table", no_parsing)
    upload = csv("№;Тема;Часы\n1;Дроби;2\n")
    response = keeper(world, login_as).post(reverse("journal:plan_upload", kwargs={"assignment_id": a.pk}),
                                            {"file": upload, "replace": "on"})  # fmt: skip
    job = ImportJob.objects.get(kind="thematic_plan")
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:plan_import_job", kwargs={"assignment_id": a.pk, "pk": job.pk})
    assert (job.status, job.target_id, job.school_id) == (ImportJob.Status.PENDING, a.pk, a.school_id)
    assert [("ejournal.journal.imports.service.plan_import_run", job.pk)] == QUEUED
    assert not PlannedTopic.objects.exists()
    monkeypatch.undo()
    from ..imports.service import plan_import_run

    plan_import_run(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and titles() == [("Дроби", 2, False)]


def test_a_spreadsheet_bomb_as_a_plan_is_refused_by_the_job_and_saves_nothing(world, login_as, plan):
    a, _url = plan
    thematic_plan_import(assignment=a, topics=[("Старая тема", 1)], actor=teacher(world))
    upload = SimpleUploadedFile("ктп.xlsx", bomb_xlsx(), content_type=XLSX)
    client = keeper(world, login_as)
    response = client.post(reverse("journal:plan_upload", kwargs={"assignment_id": a.pk}), {"file": upload})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Файл отклонён, ничего не сохранено." in html and "Файл Excel сжат подозрительно сильно" in html
    assert titles() == [("Старая тема", 1, False)]


def test_a_file_with_bad_rows_saves_nothing_and_reports_every_bad_cell(world, login_as, plan):
    a, _url = plan
    thematic_plan_import(assignment=a, topics=[("Старая тема", 1)], actor=teacher(world))
    upload = csv("№;Тема;Часы;Контрольная работа\n1;Дроби;два;нет\n1;;1;может быть\n3;Уравнения;2;да\n")
    response = keeper(world, login_as).post(reverse("journal:plan_upload", kwargs={"assignment_id": a.pk}),
                                            {"file": upload, "replace": "on"}, follow=True)  # fmt: skip
    html = response.content.decode()
    assert "Файл отклонён, ничего не сохранено." in html and "Ошибок найдено: 4." in html
    for row, column, text in [(2, "Часы", "Часы — целое число"), (3, "Тема", "Не заполнено"),
                              (3, "Контрольная работа", "Укажите «да» или «нет»"), (3, "№", "Повтор: тема № 1")]:  # fmt: skip
        assert f"<td>{row}</td><td>{column}</td><td>{text}" in html, (row, column)
    assert titles() == [("Старая тема", 1, False)]


def test_a_file_without_the_topic_column_or_of_another_type_is_refused_as_a_whole(world, plan):
    a, _url = plan
    job = thematic_plan_file_start(assignment=a, upload=csv("№;Часы\n1;2\n"), actor=teacher(world))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "нет обязательных столбцов: Тема" in job.report["file_error"]
    job = thematic_plan_file_start(assignment=a, upload=csv("Тема;Часы\n", name="x.csv"), actor=teacher(world))
    job.refresh_from_db()
    assert "нет ни одной строки" in job.report["file_error"]
    assert not PlannedTopic.objects.exists()


def test_the_upload_form_refuses_other_file_types(world, login_as, plan):
    a, _url = plan
    upload = SimpleUploadedFile("ктп.xls", b"\xd0\xcf\x11\xe0", content_type="application/vnd.ms-excel")
    response = keeper(world, login_as).post(reverse("journal:plan_upload", kwargs={"assignment_id": a.pk}),
                                            {"file": upload})  # fmt: skip
    assert response.status_code == 400 and "сохраните в Excel как .xlsx" in response.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_blank_file_has_the_plan_columns(world, login_as, plan, fmt):
    a, _url = plan
    response = keeper(world, login_as).get(reverse("journal:plan_template", kwargs={"assignment_id": a.pk, "fmt": fmt}))
    assert response.status_code == 200
    if fmt == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0]
    else:
        header = ";".join(c.value for c in next(load_workbook(io.BytesIO(response.content)).active.iter_rows()))
    assert header == "№;Тема;Часы;Контрольная работа"
    pdf = reverse("journal:plan_template", kwargs={"assignment_id": a.pk, "fmt": "pdf"})
    assert keeper(world, login_as).get(pdf).status_code == 404


def test_a_topic_is_edited_in_place(world, login_as, plan):
    a, url = plan
    thematic_plan_import(assignment=a, topics=[("Дроби", 1), ("Уравнения", 2)], actor=teacher(world))
    topic = PlannedTopic.objects.get(title="Дроби")
    client = keeper(world, login_as)
    page = client.get(url).content.decode()
    assert f'form="te-{topic.pk}"' in page and 'value="Дроби"' in page
    edit = reverse("journal:plan_topic_edit", kwargs={"assignment_id": a.pk, "topic_id": topic.pk})
    response = client.post(edit, {"title": "Обыкновенные дроби", "hours": 4, "is_control_work": "on"}, follow=True)
    assert "Тема 1 сохранена." in response.content.decode()
    assert titles() == [("Обыкновенные дроби", 4, True), ("Уравнения", 2, False)]
    bad = client.post(edit, {"title": "Дроби", "hours": 0}, follow=True).content.decode()
    assert "Тема 1:" in bad
    assert titles()[0] == ("Обыкновенные дроби", 4, True)


@pytest.mark.parametrize("who", ["other_teacher", "foreign_director"])
def test_another_teacher_or_school_cannot_edit_or_load_the_plan(world, login_as, plan, who):
    a, _url = plan
    thematic_plan_import(assignment=a, topics=[("Дроби", 1)], actor=teacher(world))
    topic = PlannedTopic.objects.get()
    client = login_as(getattr(world, who))
    edit = reverse("journal:plan_topic_edit", kwargs={"assignment_id": a.pk, "topic_id": topic.pk})
    assert client.post(edit, {"title": "Чужая", "hours": 1}).status_code in (403, 404)
    upload = reverse("journal:plan_upload", kwargs={"assignment_id": a.pk})
    assert client.post(upload, {"file": csv("Тема\nЧужая\n")}).status_code in (403, 404)
    assert titles() == [("Дроби", 1, False)]


def test_the_plan_page_takes_a_constant_number_of_queries(world, login_as, plan):
    a, url = plan
    client = keeper(world, login_as)
    client.get(url)
    with view_queries() as queries:
        client.get(url)
    assert queries.count == PLAN_PAGE_QUERIES
    thematic_plan_import(assignment=a, topics=[(f"Тема {n}", 1) for n in range(30)], actor=teacher(world))
    with view_queries() as queries:
        assert client.get(url).content.decode().count('name="title"') == 30
    assert queries.count == PLAN_PAGE_QUERIES


PLAN_PAGE_QUERIES = 5  # the assignment, the topics, plan vs fact (3 counts); the request's own are not counted
