"""The support desk: a school files, the methodist answers, the district reads; figures per month."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from ejournal.access.roles import Role
from ejournal.support.models import SupportRequest
from ejournal.support.selectors import support_month_figures
from ejournal.testing import login

from .factories import make_request

MSK = ZoneInfo("Europe/Moscow")


def _file(client, **extra):
    data = {"kind": "technical", "subject": "Не открывается журнал", "text": "Ошибка при входе", **extra}
    return client.post("/support/new/", data)


def test_coordinator_files_a_request_with_a_screenshot(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    png = SimpleUploadedFile("screen.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    response = _file(client, files=[png])
    assert response.status_code == 302
    request = SupportRequest.objects.get()
    assert request.school == world.school and request.status == SupportRequest.Status.NEW
    assert request.messages.get().attachments.get().name == "screen.png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf"),
        ("big.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024)),
    ],
    ids=["exe", "renamed", "too-big"],
)
def test_a_file_of_a_wrong_type_or_too_big_is_refused_and_nothing_is_saved(world, login_as, name, content):
    client = login_as(world.director, Role.DIRECTOR)
    response = _file(client, files=[SimpleUploadedFile(name, content)])
    assert response.status_code == 400
    assert name in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_methodist_answers_and_closes_and_the_school_sees_the_answer(world, client):
    request = make_request(world.school, world.director)
    login(client, world.methodist, Role.METHODIST)
    assert client.post(f"/support/{request.pk}/reply/", {"text": "Очистите кэш браузера"}).status_code == 302
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.ANSWERED
    assert client.post(f"/support/{request.pk}/status/", {"status": "closed"}).status_code == 302
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.CLOSED and request.closed_at
    login(client, world.director, Role.DIRECTOR)
    page = client.get(f"/support/{request.pk}/").content.decode()
    assert "Очистите кэш браузера" in page
    assert client.post(f"/support/{request.pk}/reply/", {"text": "ещё"}).status_code == 400


def test_school_cannot_change_the_status(world, login_as):
    request = make_request(world.school, world.director)
    client = login_as(world.director, Role.DIRECTOR)
    assert client.post(f"/support/{request.pk}/status/", {"status": "closed"}).status_code == 403
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.NEW


def test_district_reads_its_schools_requests_only_and_cannot_reply(world, login_as):
    own = make_request(world.school, world.director, subject="Своя")
    foreign = make_request(world.other_school, world.foreign_director, subject="Чужая")
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    page = client.get("/support/").content.decode()
    assert "Своя" in page and "Чужая" not in page
    assert client.get(f"/support/{foreign.pk}/").status_code == 404
    assert client.post(f"/support/{own.pk}/reply/", {"text": "x"}).status_code == 403


def test_another_schools_request_is_not_found(world, login_as):
    foreign = make_request(world.other_school, world.foreign_director)
    client = login_as(world.director, Role.DIRECTOR)
    assert client.get(f"/support/{foreign.pk}/").status_code == 404


def test_list_runs_the_same_queries_for_few_and_many_requests(world, login_as, django_assert_num_queries):
    client = login_as(world.methodist, Role.METHODIST)
    make_request(world.school, world.director)
    client.get("/support/")
    with django_assert_num_queries(_count(client)) as ctx:
        client.get("/support/")
    for _i in range(5):
        make_request(world.other_school, world.foreign_director)
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get("/support/")


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/support/")
    return len(ctx.captured_queries)


def test_month_figures_count_filed_closed_and_open_requests(world):
    def at(day):
        return dt.datetime(2026, 10, day, 12, tzinfo=MSK)

    make_request(world.school, world.director, created_at=dt.datetime(2026, 9, 20, tzinfo=MSK))  # open since Sept
    make_request(world.school, world.director, created_at=at(5), status="closed", closed_at=at(7))
    make_request(world.school, world.director, created_at=at(6))
    make_request(world.other_school, world.foreign_director, created_at=at(6))
    with time_machine.travel(dt.datetime(2026, 11, 2, tzinfo=MSK), tick=False):
        from ejournal.portal.actors import actor_build, role_choices

        choice = next(c for c in role_choices(world.district_officer) if c.role == Role.DISTRICT_OFFICER)
        actor = actor_build(world.district_officer, choice)
        figures = support_month_figures(actor=actor, year=2026, month=10)
    assert figures[world.school.id].filed == 2
    assert figures[world.school.id].closed == 1
    assert figures[world.school.id].open == 2
    assert world.other_school.id not in figures
