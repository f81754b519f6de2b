"""The open API's behaviour: families, staff, the city exchange, revocation, limits and the one error shape."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from oauth2_provider.models import AccessToken

from ejournal.access.roles import Role
from ejournal.api.models import ApiRead
from ejournal.city.models import MonthlyReportRow, MonthlyRolloutReport
from ejournal.city.tests.factories import make_report, other_vendor
from ejournal.diary.models import WeekAcknowledgement
from ejournal.journal.models import Mark
from ejournal.journal.services import cell_parse
from ejournal.timetable.tests.helpers import MON, assignment, lesson

from .helpers import bearer, direct_token, person_app, system_app, vendor_owner

MSK = ZoneInfo("Europe/Moscow")
LESSON_DAY = dt.datetime(2026, 9, 7, 15, tzinfo=MSK)
api = Client()


@pytest.fixture
def on_lesson_day():
    with time_machine.travel(LESSON_DAY, tick=False):
        yield


def _person(world, user, role=None, scope=None):
    kwargs = {"scope": scope} if scope else {}
    return bearer(direct_token(person_app(skip=True), user, **kwargs), role)


def _vendor(world, schools):
    app = system_app(schools, owner=vendor_owner())
    return app, bearer(direct_token(app, scope="city.exchange"))


def _week_url(student):
    return f"/api/v1/family/children/{student.pk}/week?week=2026-W37"


# --- families ---------------------------------------------------------------------------------------


def test_family_app_cannot_read_another_familys_child(world, on_lesson_day):
    headers = _person(world, world.guardian_user)
    assert api.get(_week_url(world.student), **headers).status_code == 200
    for other in (world.foreign_student, world.classmate):
        for path in ("week", "marks", "homework"):
            response = api.get(f"/api/v1/family/children/{other.pk}/{path}", **headers)
            assert response.status_code == 404, (other, path)
            assert response.json()["code"] == "not_found"
    assert not ApiRead.objects.filter(student__in=[world.foreign_student, world.classmate]).exists()


def test_week_answers_304_until_something_shown_changes(world, on_lesson_day):
    day = lesson(world, assignment(world), MON)
    headers = _person(world, world.guardian_user)
    first = api.get(_week_url(world.student), **headers)
    etag = first["ETag"]
    assert first.json()["days"][0]["lessons"][0]["subject"] == "Математика"
    assert api.get(_week_url(world.student), HTTP_IF_NONE_MATCH=etag, **headers).status_code == 304
    Mark.objects.create(school=world.school, lesson=day, student=world.student, value=5, weight=1,
                        work_type=_answer(world), created_by=world.teacher)  # fmt: skip
    changed = api.get(_week_url(world.student), HTTP_IF_NONE_MATCH=etag, **headers)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["days"][0]["lessons"][0]["marks"][0]["display"] == "5"


def _answer(world):
    from ejournal.journal.services.setup import work_types_ensure

    return work_types_ensure(world.school)["answer"]


def test_every_read_of_a_childs_data_is_logged_with_person_client_and_what(world, on_lesson_day):
    app = person_app("Дневник-Мобайл", skip=True)
    headers = bearer(direct_token(app, world.guardian_user), Role.GUARDIAN)
    api.get(_week_url(world.student), **headers)
    api.get(f"/api/v1/family/children/{world.sibling.pk}/marks?term=year", **headers)
    reads = list(ApiRead.objects.order_by("pk").values_list("user_id", "application_id", "student_id", "what", "role"))
    assert reads == [
        (world.guardian_user.pk, app.pk, world.student.pk, "week 2026-W37", Role.GUARDIAN),
        (world.guardian_user.pk, app.pk, world.sibling.pk, "marks year", Role.GUARDIAN),
    ]


def test_a_cached_week_costs_three_queries_token_read_log_and_fingerprint(
    world, on_lesson_day, django_assert_num_queries
):
    """The week through the API as cheap as the page (bench/README.md, `api_cpu.py`): the token's one query, the
    read's record in one INSERT … SELECT (its school from the child's row), the page's own fingerprint."""
    headers = _person(world, world.guardian_user, Role.GUARDIAN)
    first = api.get(_week_url(world.student), **headers)
    assert first.status_code == 200, first.content
    with django_assert_num_queries(3) as captured:
        again = api.get(_week_url(world.student), **headers)
    assert again.status_code == 200 and again.content == first.content and again["ETag"] == first["ETag"]
    assert captured.captured_queries[1]["sql"].startswith('INSERT INTO "api_apiread"')
    assert (
        list(ApiRead.objects.values_list("school_id", "student_id", "what"))
        == [(world.school.pk, world.student.pk, "week 2026-W37")] * 2
    )


def test_a_foreign_or_missing_child_is_a_404_and_not_logged(world, on_lesson_day):
    headers = _person(world, world.guardian_user, Role.GUARDIAN)
    for student_id in (world.foreign_student.pk, 10**9):
        missing = api.get(f"/api/v1/family/children/{student_id}/week?week=2026-W37", **headers)
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert not ApiRead.objects.exists()
    # A child still in the guardian's cached access whose record is gone: nothing logged, a 404, no error.
    from ejournal.people.models import Student

    Student.objects.filter(pk=world.sibling.pk).delete()
    gone = api.get(f"/api/v1/family/children/{world.sibling.pk}/week?week=2026-W37", **headers)
    assert gone.status_code == 404 and not ApiRead.objects.exists()


def test_guardian_acknowledges_the_week_once(world, on_lesson_day):
    headers = _person(world, world.guardian_user)
    url = f"/api/v1/family/children/{world.student.pk}/acknowledge"
    for _ in range(2):
        response = api.post(url, {"week": "2026-W37"}, content_type="application/json", **headers)
        assert response.status_code == 200, response.content
    assert WeekAcknowledgement.objects.filter(student=world.student, week_start=MON).count() == 1
    student = _person(world, world.student_user)
    refused = api.post(url, {"week": "2026-W37"}, content_type="application/json", **student)
    assert refused.status_code == 403


def test_a_token_without_the_family_scope_reads_no_diary(world, on_lesson_day):
    headers = _person(world, world.guardian_user, scope="openid staff")
    response = api.get(_week_url(world.student), **headers)
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"


def test_errors_have_one_shape_with_russian_messages(world, on_lesson_day):
    headers = _person(world, world.guardian_user)
    bad_week = api.get(f"/api/v1/family/children/{world.student.pk}/week?week=вчера", **headers)
    assert bad_week.status_code == 400
    assert bad_week.json()["message"].startswith("Неделя указана неверно")
    bad_body = api.post(f"/api/v1/family/children/{world.student.pk}/acknowledge", {"weeks": 1},
                        content_type="application/json", **headers)  # fmt: skip
    assert bad_body.status_code == 422
    assert bad_body.json() == {"code": "invalid", "message": "Запрос не прошёл проверку.",
                               "fields": [{"field": "week", "message": "Обязательное поле."}]}  # fmt: skip
    no_token = api.get(_week_url(world.student))
    assert no_token.status_code == 401 and no_token.json()["code"] == "unauthorized"


def test_rate_limit_per_client_answers_429_with_retry_after(world, on_lesson_day, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    headers = _person(world, world.guardian_user)
    statuses = [api.get("/api/v1/family/children", **headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api.get("/api/v1/family/children", **headers)
    assert refused.json()["code"] == "rate_limited" and int(refused["Retry-After"]) > 0
    # Another person with the same app is another client.
    assert api.get("/api/v1/family/children", **_person(world, world.student_user)).status_code == 200


def test_rate_limit_lets_requests_through_when_the_cache_fails(world, on_lesson_day, settings, monkeypatch):
    from django.core.cache import cache

    settings.API_RATE_LIMIT_PER_MINUTE = 1

    def broken(*args, **kwargs):
        raise ConnectionError("redis away")

    monkeypatch.setattr(cache, "incr", broken)
    headers = _person(world, world.guardian_user)
    assert [api.get("/api/v1/family/children", **headers).status_code for _ in range(3)] == [200, 200, 200]


# --- staff ------------------------------------------------------------------------------------------------


def _journal(world):
    a = assignment(world)
    day = lesson(world, a, MON)
    term = world.school.terms.get(number=1)
    return a, day, f"/api/v1/staff/journals/{a.pk}/terms/{term.pk}"


def _save(url, headers, cells):
    return api.post(f"{url}/cells", {"cells": cells}, content_type="application/json", **headers)


def test_same_client_token_twice_makes_one_mark(world, on_lesson_day):
    _a, day, url = _journal(world)
    headers = _person(world, world.teacher, Role.CLASS_TEACHER)
    cell = {"student_id": world.student.pk, "lesson_id": day.pk, "text": "5", "token": "phone-42"}
    first, again = _save(url, headers, [cell]), _save(url, headers, [cell])
    assert first.status_code == 200 and again.status_code == 200, again.content
    assert Mark.objects.filter(student=world.student, lesson=day).count() == 1
    assert again.json()["cells"][0]["text"] == "5"


def test_stale_version_is_409_and_changes_nothing(world, on_lesson_day):
    _a, day, url = _journal(world)
    headers = _person(world, world.teacher, Role.CLASS_TEACHER)
    saved = _save(url, headers, [{"student_id": world.student.pk, "lesson_id": day.pk, "text": "4", "token": "a"}])
    mark = saved.json()["cells"][0]["marks"][0]
    # Another device changes the mark: the version the first client saw is stale now.
    other = _save(url, headers, [{"student_id": world.student.pk, "lesson_id": day.pk, "text": "3",
                                  "marks": [mark], "token": "b"}])  # fmt: skip
    assert other.status_code == 200
    stale = _save(url, headers, [{"student_id": world.student.pk, "lesson_id": day.pk, "text": "5",
                                  "marks": [mark], "token": "c"}])  # fmt: skip
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert list(Mark.objects.filter(student=world.student, lesson=day).values_list("value", flat=True)) == [3]


def test_after_the_deadline_a_cell_is_refused_and_a_correction_can_be_filed(world):
    with time_machine.travel(LESSON_DAY, tick=False):
        _a, day, url = _journal(world)
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=MSK), tick=False):
        headers = _person(world, world.teacher, Role.CLASS_TEACHER)
        cell = {"student_id": world.student.pk, "lesson_id": day.pk, "text": "5", "token": "late-1"}
        late = _save(url, headers, [cell])
        assert late.status_code == 400 and late.json()["code"] == "late", late.content
        assert not Mark.objects.filter(lesson=day).exists()
        filed = api.post(f"{url}/corrections", {"cell": cell, "reason": "Ученик писал работу позже"},
                         content_type="application/json", **headers)  # fmt: skip
        assert filed.status_code == 201, filed.content
        assert filed.json()[0]["status"] == "pending"


def test_journal_read_gives_the_versions_a_save_needs(world, on_lesson_day):
    _a, day, url = _journal(world)
    headers = _person(world, world.teacher, Role.CLASS_TEACHER)
    _save(url, headers, [{"student_id": world.student.pk, "lesson_id": day.pk, "text": "н 5", "token": "x"}])
    grid = api.get(url, **headers).json()
    cell = next(c for c in grid["cells"] if c["student_id"] == world.student.pk)
    assert cell_parse(cell["text"]) == cell_parse("н 5")
    assert cell["attendance_version"] >= 1 and cell["marks"][0]["version"] >= 1
    assert {s["id"] for s in grid["students"]} == {world.student.pk, world.classmate.pk}


def test_another_teacher_cannot_save_into_the_journal(world, on_lesson_day):
    _a, day, url = _journal(world)
    headers = _person(world, world.other_teacher, Role.TEACHER)
    refused = _save(url, headers, [{"student_id": world.student.pk, "lesson_id": day.pk, "text": "2"}])
    assert refused.status_code in (403, 404)
    assert not Mark.objects.exists()


# --- the city exchange ----------------------------------------------------------------------------------


def _push(headers, school, values, month=10):
    return api.put(f"/api/v1/city/reports/2026/{month}/schools/{school.pk}", {"values": values},
                   content_type="application/json", **headers)  # fmt: skip


def test_vendor_pushes_its_schools_figures_into_the_districts_draft(world):
    other_vendor(world.school, world.city)
    _app, headers = _vendor(world, [world.school])
    response = _push(headers, world.school, {"stage": "Апробация начата", "stage_on": "01.09.2026", "students_in_system": "640",
                                              "lessons_topic_on_time_pct": "92,5", "teachers_with_accounts": 41})  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["report_status"] == "draft"
    row = MonthlyReportRow.objects.get(school=world.school, report__month=10)
    assert row.data["students_in_system"] == 640 and row.data["lessons_topic_on_time_pct"] == "92.5"
    assert row.data["teachers_with_accounts"] == 41 and row.report.status == MonthlyRolloutReport.Status.DRAFT
    back = api.get(f"/api/v1/city/reports/2026/10/schools/{world.school.pk}", **headers).json()
    assert back["values"]["students_in_system"] == 640


def test_vendor_cannot_push_for_a_school_outside_its_binding(world):
    other_vendor(world.other_school, world.city)
    _app, headers = _vendor(world, [world.school])
    response = _push(headers, world.other_school, {"students_in_system": "1"})
    assert response.status_code in (403, 404)
    assert not MonthlyReportRow.objects.filter(school=world.other_school).exists()
    assert not MonthlyRolloutReport.objects.exists()


def test_vendor_push_is_checked_as_the_upload_is(world):
    other_vendor(world.school, world.city)
    _app, headers = _vendor(world, [world.school])
    bad = _push(headers, world.school, {"students_in_system": "много", "lessons_attendance_pct": "140"})
    assert bad.status_code == 400
    assert "Ожидается целое неотрицательное число" in bad.json()["message"]
    assert "вне допустимого диапазона" in bad.json()["message"]
    unknown = _push(headers, world.school, {"pupils": "1"})
    assert unknown.status_code == 400 and "Неизвестные показатели: pupils" in unknown.json()["message"]
    contradict = _push(headers, world.school, {"applications_received": "1", "applications_granted": "5"})
    assert contradict.status_code == 400
    assert not MonthlyReportRow.objects.filter(school=world.school).exclude(data={}).exists()


def test_vendor_cannot_change_a_submitted_report_nor_a_school_on_this_system(world):
    _app, headers = _vendor(world, [world.school])
    on_this_system = _push(headers, world.school, {"students_in_system": "1"})
    assert on_this_system.status_code == 400
    other_vendor(world.school, world.city)
    make_report(world.district, status=MonthlyRolloutReport.Status.SUBMITTED)
    sent = _push(headers, world.school, {"students_in_system": "1"})
    assert sent.status_code == 409 and sent.json()["code"] == "conflict"


def test_vendor_reads_the_schedule_of_its_schools_only(world):
    _app, headers = _vendor(world, [world.school])
    rows = api.get("/api/v1/city/schedule", **headers).json()
    assert [r["school_id"] for r in rows["items"]] == [world.school.pk] and rows["count"] == 1


def test_department_reads_the_consolidated_figures_a_district_does_not(world):
    make_report(world.district)
    ok = api.get("/api/v1/city/figures?year=2026&month=10", **_person(world, world.municipal_officer))
    assert ok.status_code == 200, ok.content
    assert {d["district"] for d in ok.json()["districts"]} == {"Западный", "Карасунский"}
    refused = api.get("/api/v1/city/figures", **_person(world, world.district_officer))
    assert refused.status_code == 403


# --- revocation --------------------------------------------------------------------------------------------


def test_a_revoked_token_stops_at_once(world, on_lesson_day, login_as):
    app = person_app(skip=True)
    headers = bearer(direct_token(app, world.guardian_user))
    assert api.get("/api/v1/family/children", **headers).status_code == 200
    page = login_as(world.guardian_user, Role.GUARDIAN)
    assert "Дневник-Мобайл" in page.get("/api/apps/").content.decode()
    asked = page.post(f"/api/apps/{app.pk}/revoke/")
    assert asked.status_code == 200 and api.get("/api/v1/family/children", **headers).status_code == 200
    page.post(f"/api/apps/{app.pk}/revoke/", {"confirmed": "yes"})
    assert api.get("/api/v1/family/children", **headers).status_code == 401
    assert not AccessToken.objects.filter(application=app).exists()


def test_a_deactivated_persons_token_stops_at_once(world, on_lesson_day):
    headers = _person(world, world.guardian_user)
    assert api.get("/api/v1/family/children", **headers).status_code == 200
    world.guardian_user.is_active = False
    world.guardian_user.save(update_fields=["is_active"])
    assert api.get("/api/v1/family/children", **headers).status_code == 401


def test_an_expired_token_stops(world, on_lesson_day):
    headers = bearer(direct_token(person_app(skip=True), world.guardian_user, seconds=60))
    assert api.get("/api/v1/family/children", **headers).status_code == 200
    with time_machine.travel(LESSON_DAY + dt.timedelta(seconds=61), tick=False):
        assert api.get("/api/v1/family/children", **headers).status_code == 401


def test_the_coordinator_revokes_a_parents_app_and_a_vendors_system(world, on_lesson_day, login_as):
    app = person_app(skip=True)
    parent = bearer(direct_token(app, world.guardian_user))
    system, vendor = _vendor(world, [world.school])
    page = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    listed = page.get("/api/school-apps/").content.decode()
    assert "Орлова Марина Викторовна" in listed and system.name in listed
    page.post(f"/api/school-apps/{app.pk}/revoke/", {"user": world.guardian_user.pk, "confirmed": "yes"})
    page.post(f"/api/school-apps/{system.pk}/revoke/", {"confirmed": "yes"})
    assert api.get("/api/v1/family/children", **parent).status_code == 401
    assert api.get("/api/v1/city/schedule", **vendor).status_code == 401


def test_a_coordinator_of_another_school_cannot_revoke(world, on_lesson_day, client):
    from ejournal.testing import appoint, make_user

    app = person_app(skip=True)
    headers = bearer(direct_token(app, world.guardian_user))
    stranger = make_user("coord3", "Чужой", "Координатор")
    appoint(stranger, Role.JOURNAL_COORDINATOR, school=world.other_school)
    from ejournal.testing import login

    page = login(client, stranger, Role.JOURNAL_COORDINATOR)
    response = page.post(f"/api/school-apps/{app.pk}/revoke/", {"user": world.guardian_user.pk, "confirmed": "yes"})
    assert response.status_code == 404
    assert api.get("/api/v1/family/children", **headers).status_code == 200
