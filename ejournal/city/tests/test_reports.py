"""The monthly report: workflow, due date, hand entry and upload for other systems, the accepted snapshot."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.city.models import MonthlyReportRow, MonthlyRolloutReport, RolloutStage, Stage
from ejournal.core.models import ImportJob
from ejournal.schools.models import School
from ejournal.support.tests.factories import make_request

from .factories import other_vendor

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture
def sync_tasks(settings, tmp_path):
    settings.TASK_RUNNER = "sync"
    settings.MEDIA_ROOT = tmp_path


def at(month, day, hour=12):
    return time_machine.travel(dt.datetime(2026, month, day, hour, tzinfo=MSK), tick=False)


def _open(client, month=10):
    response = client.post("/city/reports/open/", {"year": 2026, "month": month})
    assert response.status_code == 302
    return MonthlyRolloutReport.objects.get(month=month)


def _second_school(world):
    return School.objects.create(
        municipality=world.city,
        district=world.district,
        number=2,
        full_name="МБОУ СОШ № 2",
        short_name="СОШ № 2",
        code="s2",
    )


CSV_HEADER = (
    "Школа;Достигнутый этап;Дата этапа;Классов в системе;Обучающихся в системе;% уроков с темой в день урока\r\n"
)


def _csv(body: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("rows.csv", (CSV_HEADER + body).encode("utf-8-sig"))


def test_whole_workflow_returned_fixed_resubmitted_accepted(world, client):
    from ejournal.testing import login

    login(client, world.district_officer, Role.DISTRICT_OFFICER)
    with at(10, 20):
        report = _open(client)
        question = client.post(f"/city/reports/{report.pk}/submit/")
        html = question.content.decode()
        assert question.status_code == 200 and 'role="alertdialog"' in html and 'id="confirm-cancel"' in html
        assert "Западный" in html and "1 школа" in html
        report.refresh_from_db()
        assert report.status != "submitted"
        assert client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    login(client, world.municipal_officer, Role.MUNICIPAL_OFFICER)
    assert client.post(f"/city/reports/{report.pk}/return/", {"comment": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"  # a return needs a comment
    client.post(f"/city/reports/{report.pk}/return/", {"comment": "Уточните проблемы"})
    report.refresh_from_db()
    assert report.status == "returned" and report.return_comment == "Уточните проблемы"
    login(client, world.district_officer, Role.DISTRICT_OFFICER)
    client.post(f"/city/reports/{report.pk}/problems/", {"problems": "Нет интернета в СОШ № 1"})
    with at(10, 29):
        client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"})
    login(client, world.municipal_officer, Role.MUNICIPAL_OFFICER)
    client.post(f"/city/reports/{report.pk}/accept/")
    report.refresh_from_db()
    assert report.status == "accepted" and report.problems == "Нет интернета в СОШ № 1"
    login(client, world.district_officer, Role.DISTRICT_OFFICER)
    client.post(f"/city/reports/{report.pk}/problems/", {"problems": "изменено"})
    report.refresh_from_db()
    assert report.problems == "Нет интернета в СОШ № 1"


def test_report_is_late_after_the_30th(world, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with at(10, 30, 23):
        on_time = _open(client, 10)
        client.post(f"/city/reports/{on_time.pk}/submit/", {"confirmed": "yes"})
    with at(11, 2):
        late = _open(client, 9)
        assert "data-late" not in client.get(f"/city/reports/{on_time.pk}/").content.decode()
        assert "data-late" in client.get(f"/city/reports/{late.pk}/").content.decode()
        client.post(f"/city/reports/{late.pk}/submit/", {"confirmed": "yes"})
        assert "data-late" in client.get(f"/city/reports/{late.pk}/").content.decode()


def test_due_day_is_a_setting(world, login_as, settings):
    settings.EJ_CITY = {"report_due_day": 25}
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with at(10, 26):
        report = _open(client)
        assert "data-late" in client.get(f"/city/reports/{report.pk}/").content.decode()


def test_accepted_month_keeps_its_values_when_journal_data_changes(world, client):
    from ejournal.testing import login

    world.school.site_url = "https://s1.example.ru/usluga"
    world.school.save()
    RolloutStage.objects.create(school=world.school, stage=Stage.PILOT, actual_on=dt.date(2026, 9, 1))
    make_request(world.school, world.director, created_at=dt.datetime(2026, 10, 5, tzinfo=MSK))
    login(client, world.district_officer, Role.DISTRICT_OFFICER)
    with at(10, 28):
        report = _open(client)
        client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"})
    login(client, world.municipal_officer, Role.MUNICIPAL_OFFICER)
    with at(10, 29):
        client.post(f"/city/reports/{report.pk}/accept/")
    row = MonthlyReportRow.objects.get(report=report, school=world.school)
    assert row.is_snapshot and row.data["support_filed"] == 1 and row.data["stage"] == Stage.PILOT
    before = _table(client.get(f"/city/reports/{report.pk}/"))
    # Later: the school changes its site, files another request in October, reaches full operation.
    world.school.site_url = "https://new.example.ru"
    world.school.save()
    make_request(world.school, world.director, created_at=dt.datetime(2026, 10, 20, tzinfo=MSK))
    RolloutStage.objects.create(school=world.school, stage=Stage.FULL, actual_on=dt.date(2026, 10, 10))
    after = _table(client.get(f"/city/reports/{report.pk}/"))
    assert after == before
    assert "s1.example.ru" in after and "new.example.ru" not in after


def _table(response) -> str:
    page = response.content.decode()
    return page[page.index('<table class="report">') : page.index("</table>")]


def test_draft_shows_live_values(world, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with at(10, 10):
        report = _open(client)
        make_request(world.school, world.director)
        page = client.get(f"/city/reports/{report.pk}/").content.decode()
    assert 'data-field="support_filed">1<' in page


def test_other_vendor_row_must_be_filled_before_submitting(world, login_as):
    other_vendor(world.school, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    row = report.rows.get(school=world.school)
    assert row.source == "manual"
    response = client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"}, follow=True)
    assert "Не заполнены строки" in response.content.decode()
    data = {"classes_in_system": "20", "lessons_topic_on_time_pct": "91.5", "stage": "pilot", "stage_on": "2026-09-01"}
    assert client.post(f"/city/reports/{report.pk}/rows/{row.pk}/", data).status_code == 302
    row.refresh_from_db()
    assert row.data["classes_in_system"] == 20 and row.data["lessons_topic_on_time_pct"] == "91.5"
    client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"})
    report.refresh_from_db()
    assert report.status == "submitted"


def test_upload_with_an_error_saves_nothing_and_reports_each_row(world, login_as, sync_tasks):
    other_vendor(world.school, world.city)
    second = _second_school(world)
    other_vendor(second, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    body = "СОШ № 1;Апробация начата;01.09.2026;20;500;90\r\nСОШ № 2;;;много;;150\r\nСОШ № 99;;;1;;\r\n"
    response = client.post(f"/city/reports/{report.pk}/upload/", {"file": _csv(body)})
    job = ImportJob.objects.get(kind="monthly_report_rows")
    assert response.status_code == 302
    assert response["Location"] == f"/city/reports/{report.pk}/upload/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Файл отклонён, ничего не сохранено." in page and "Ошибок найдено: 3." in page
    assert "СОШ № 99" in page and "К отчёту" in page
    assert all(not r.data for r in report.rows.all())


def test_upload_is_parsed_in_a_background_job_not_in_the_request(world, login_as, settings, monkeypatch):
    other_vendor(world.school, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    settings.TASK_RUNNER = "ejournal.journal.tests.test_plan_files.hold"

    def no_parsing(*args, **kwargs):
        raise AssertionError("the file was parsed in the request")

    monkeypatch.setattr("ejournal.core.imports.services.read_table", no_parsing)
    monkeypatch.setattr("ejournal.core.imports.readers.read_table", no_parsing)
    response = client.post(f"/city/reports/{report.pk}/upload/", {"file": _csv("1;;;20;500;90,5\r\n")})
    assert response.status_code == 302
    job = ImportJob.objects.get(kind="monthly_report_rows")
    assert (job.status, job.target_id) == (ImportJob.Status.PENDING, report.pk)


def test_valid_upload_fills_the_rows(world, login_as, sync_tasks):
    other_vendor(world.school, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    response = client.post(
        f"/city/reports/{report.pk}/upload/", {"file": _csv("1;Апробация начата;01.09.2026;20;500;90,5\r\n")}
    )
    assert response.status_code == 302
    assert ImportJob.objects.get(kind="monthly_report_rows").status == ImportJob.Status.DONE
    row = report.rows.get(school=world.school)
    assert row.data["students_in_system"] == 500 and row.data["stage_on"] == "2026-09-01"


def test_upload_refuses_a_school_on_this_system_and_a_broken_file(world, login_as, sync_tasks):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    response = client.post(f"/city/reports/{report.pk}/upload/", {"file": _csv("СОШ № 1;;;1;;\r\n")}, follow=True)
    assert "рассчитывается автоматически" in response.content.decode()
    broken = SimpleUploadedFile("rows.xlsx", b"not a zip")
    response = client.post(f"/city/reports/{report.pk}/upload/", {"file": broken}, follow=True)
    assert "Файл не является книгой Excel" in response.content.decode()


def test_template_downloads(world, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    content = client.get("/city/reports/template.xlsx").content
    header = next(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert header[0] == "Школа" and "Классов в системе" in header


def test_district_officer_reaches_only_the_own_districts_report(world, login_as):
    from .factories import make_report

    foreign = make_report(world.other_district)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    assert client.get(f"/city/reports/{foreign.pk}/").status_code == 404
    assert client.post(f"/city/reports/{foreign.pk}/submit/").status_code == 404


def test_methodist_reads_but_cannot_accept(world, login_as):
    from .factories import make_report

    report = make_report(world.district, status="submitted")
    client = login_as(world.methodist, Role.METHODIST)
    assert client.get(f"/city/reports/{report.pk}/").status_code == 200
    assert client.post(f"/city/reports/{report.pk}/accept/").status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"


def test_city_report_totals_every_district(world, login_as):
    from .factories import make_report

    for district, classes in ((world.district, 2), (world.other_district, 7)):
        row = make_report(district).rows.get()
        row.source, row.data = "manual", {"classes_in_system": classes}
        row.save()
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    page = client.get("/city/city/?year=2026&month=10").content.decode()
    assert world.district.name in page and world.other_district.name in page
    sheet = load_workbook(io.BytesIO(client.get("/city/city/export.xlsx?year=2026&month=10").content)).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[1] == "Итого по городу" and 9 in last


def test_report_page_runs_the_same_queries_for_few_and_many_schools(world, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    client.get(f"/city/reports/{report.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/city/reports/{report.pk}/")
    for n in range(5):
        school = School.objects.create(
            municipality=world.city,
            district=world.district,
            number=10 + n,
            full_name=f"Ш{n}",
            short_name=f"Ш{n}",
            code=f"y{n}",
        )
        make_request(school, world.director)
        if n % 2:
            other_vendor(school, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    client.get(f"/city/reports/{report.pk}/")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/city/reports/{report.pk}/")
    assert report.rows.count() == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_city_report_computes_the_live_rows_of_all_districts_in_one_go(world, login_as):
    from .factories import make_report

    make_report(world.district)
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    client.get("/city/city/?year=2026&month=10")
    with CaptureQueriesContext(connection) as one:
        client.get("/city/city/?year=2026&month=10")
    make_report(world.other_district)
    with CaptureQueriesContext(connection) as two:
        page = client.get("/city/city/?year=2026&month=10").content.decode()
    assert world.school.short_name in page and world.other_school.short_name in page
    assert len(two.captured_queries) == len(one.captured_queries) + 1  # the second district's rows


def test_city_report_keeps_a_stored_row_of_a_school_that_is_live_in_another_district(world, login_as):
    """A school moved between districts: the old district's accepted row keeps its stored values."""
    from .factories import make_report

    make_report(world.district)
    old = make_report(world.other_district)  # its row of the school stored as an acceptance stores it
    MonthlyReportRow.objects.create(report=old, school=world.school, source="computed", is_snapshot=True,
                                    data={"classes_in_system": 77})  # fmt: skip
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    sheet = load_workbook(io.BytesIO(client.get("/city/city/export.xlsx?year=2026&month=10").content)).active
    assert 77 in [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def test_a_submitted_report_reads_its_snapshot_while_the_schedule_and_requests_change(world, client):
    from ejournal.testing import login

    RolloutStage.objects.create(school=world.school, stage=Stage.PILOT, actual_on=dt.date(2026, 9, 1))
    make_request(world.school, world.director, created_at=dt.datetime(2026, 10, 5, tzinfo=MSK))
    login(client, world.district_officer, Role.DISTRICT_OFFICER)
    with at(10, 28):
        report = _open(client)
        client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"})
    row = MonthlyReportRow.objects.get(report=report, school=world.school)
    assert row.is_snapshot and row.data["stage"] == Stage.PILOT and row.data["support_filed"] == 1
    # While the department reviews it, the district edits the schedule and the school files another request.
    with at(10, 29):
        client.post(
            f"/city/rollout/schools/{world.school.pk}/",
            {"pilot_actual": "2026-09-01", "full_actual": "2026-10-15"},
        )
        make_request(world.school, world.director)
    assert RolloutStage.objects.get(school=world.school, stage=Stage.FULL).actual_on == dt.date(2026, 10, 15)
    login(client, world.municipal_officer, Role.MUNICIPAL_OFFICER)
    page = client.get(f"/city/reports/{report.pk}/").content.decode()
    assert f'data-field="stage">{Stage.PILOT.label}<' in page
    assert 'data-field="support_filed">1<' in page
    with at(10, 30):
        client.post(f"/city/reports/{report.pk}/accept/")
    row.refresh_from_db()
    assert row.data["stage"] == Stage.PILOT and row.data["support_filed"] == 1  # what the reviewer saw


def test_a_returned_report_is_live_again_until_it_is_sent_anew(world, client):
    from ejournal.testing import login

    login(client, world.district_officer, Role.DISTRICT_OFFICER)
    with at(10, 20):
        report = _open(client)
        client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"})
    login(client, world.municipal_officer, Role.MUNICIPAL_OFFICER)
    client.post(f"/city/reports/{report.pk}/return/", {"comment": "Проверьте этап"})
    RolloutStage.objects.create(school=world.school, stage=Stage.PILOT, actual_on=dt.date(2026, 10, 1))
    login(client, world.district_officer, Role.DISTRICT_OFFICER)
    with at(10, 21):
        page = client.get(f"/city/reports/{report.pk}/").content.decode()
        assert f'data-field="stage">{Stage.PILOT.label}<' in page
        client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"})
    assert MonthlyReportRow.objects.get(report=report, school=world.school).data["stage"] == Stage.PILOT


def test_the_stage_reached_is_the_one_of_the_reports_month(world, login_as):
    RolloutStage.objects.create(school=world.school, stage=Stage.PILOT, actual_on=dt.date(2026, 9, 1))
    RolloutStage.objects.create(school=world.school, stage=Stage.FULL, actual_on=dt.date(2026, 11, 2))
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with at(11, 5):
        report = _open(client, month=10)
        page = client.get(f"/city/reports/{report.pk}/").content.decode()
    assert f'data-field="stage">{Stage.PILOT.label}<' in page
    assert 'data-field="stage_on">01.09.2026<' in page


def test_hand_entry_refuses_figures_that_contradict_each_other_and_saves_nothing(world, login_as):
    other_vendor(world.school, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    row = report.rows.get(school=world.school)
    data = {"applications_received": "3", "applications_granted": "10", "guardians_with_access": "300",
            "guardians_logged_in": "900", "stage": "pilot", "stage_on": "2026-11-02"}  # fmt: skip
    response = client.post(f"/city/reports/{report.pk}/rows/{row.pk}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Решений по заявлениям (предоставлено и отказано: 10) больше, чем заявлений получено (3)" in page
    assert "Родителей, входивших в месяце (900), больше, чем родителей с доступом (300)" in page
    assert "Дата этапа позже конца отчётного месяца (31.10.2026)" in page
    row.refresh_from_db()
    assert row.data == {}
    data.update(applications_granted="2", applications_refused="1", guardians_logged_in="120", stage_on="2026-10-02")
    assert client.post(f"/city/reports/{report.pk}/rows/{row.pk}/", data).status_code == 302
    row.refresh_from_db()
    assert row.data["applications_granted"] == 2 and row.data["guardians_logged_in"] == 120


def test_upload_refuses_contradicting_figures_naming_the_school(world, login_as, sync_tasks):
    other_vendor(world.school, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    header = "Школа;Заявлений получено;Доступ предоставлен;Отказано\r\n"
    upload = SimpleUploadedFile("rows.csv", (header + "СОШ № 1;3;10;0\r\n").encode("utf-8-sig"))
    response = client.post(f"/city/reports/{report.pk}/upload/", {"file": upload}, follow=True)
    page = response.content.decode()
    assert "Решений по заявлениям (предоставлено и отказано: 10) больше, чем заявлений получено (3)" in page
    assert ImportJob.objects.get(kind="monthly_report_rows").status == ImportJob.Status.FAILED
    assert report.rows.get(school=world.school).data == {}


def test_a_school_back_on_this_system_keeps_a_stale_hand_row_until_the_district_drops_it(world, login_as):
    from ejournal.city.models import SchoolRollout

    other_vendor(world.school, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    report = _open(client)
    row = report.rows.get(school=world.school)
    data = {"classes_in_system": "20", "stage": "pilot", "stage_on": "2026-09-01"}
    client.post(f"/city/reports/{report.pk}/rows/{row.pk}/", data)
    SchoolRollout.objects.filter(school=world.school).update(complex=None)  # back on this system
    _open(client)  # the district opens the month again
    row.refresh_from_db()
    assert row.source == "manual" and row.data["classes_in_system"] == 20
    page = client.get(f"/city/reports/{report.pk}/").content.decode()
    assert "data-stale" in page and 'data-field="classes_in_system">20<' in page
    response = client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"}, follow=True)
    assert "снова работают в этой системе" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"
    response = client.post(f"/city/reports/{report.pk}/rows/{row.pk}/drop/", follow=True)
    assert "введённые вручную, удалены" in response.content.decode()
    row.refresh_from_db()
    assert row.source == "computed" and row.data == {}
    page = client.get(f"/city/reports/{report.pk}/").content.decode()
    assert "data-stale" not in page and 'data-field="classes_in_system">20<' not in page  # live again
    assert client.post(f"/city/reports/{report.pk}/submit/", {"confirmed": "yes"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
