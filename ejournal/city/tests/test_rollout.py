"""The rollout schedule: status computed with a frozen clock, who edits what, the table and its export."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.city.models import RolloutStage, SchoolRollout, Stage
from ejournal.city.selectors import RolloutStatus, rollout_status
from ejournal.schools.models import School

from .factories import make_complex

MSK = ZoneInfo("Europe/Moscow")


def _stage(key, planned=None, actual=None):
    return RolloutStage(stage=key, planned_on=planned, actual_on=actual)


def test_a_stage_is_late_only_after_its_planned_day_passes_without_an_actual_date():
    stages = {Stage.PILOT: _stage(Stage.PILOT, planned=dt.date(2026, 10, 1))}
    assert rollout_status(stages, dt.date(2026, 10, 1)) == (RolloutStatus.PLANNED, set())
    assert rollout_status(stages, dt.date(2026, 10, 2)) == (RolloutStatus.LATE, {Stage.PILOT})
    stages[Stage.PILOT].actual_on = dt.date(2026, 10, 5)
    assert rollout_status(stages, dt.date(2026, 10, 6)) == (RolloutStatus.PILOT, set())
    stages[Stage.FULL] = _stage(Stage.FULL, planned=dt.date(2026, 11, 1), actual=dt.date(2026, 11, 1))
    assert rollout_status(stages, dt.date(2026, 12, 1)) == (RolloutStatus.IN_USE, set())


def _post(client, school, **stages):
    data = {"school_responsible": "Иванова И. И.", "district_responsible": "Гонтарь З. И.", "comment": ""}
    data.update(stages)
    return client.post(f"/city/rollout/schools/{school.pk}/", data)


def test_district_officer_plans_a_stage_and_the_table_flags_it_late_after_the_day(world, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, tzinfo=MSK), tick=False):
        assert _post(client, world.school, pilot_planned="2026-09-15").status_code == 302
    assert SchoolRollout.objects.get(school=world.school).school_responsible == "Иванова И. И."
    with time_machine.travel(dt.datetime(2026, 9, 15, 12, tzinfo=MSK), tick=False):
        assert "data-late" not in client.get("/city/rollout/").content.decode()
    with time_machine.travel(dt.datetime(2026, 9, 16, 12, tzinfo=MSK), tick=False):
        page = client.get("/city/rollout/?late=1").content.decode()
    assert "data-late" in page and world.school.short_name in page


def test_actual_date_in_the_future_is_refused(world, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, tzinfo=MSK), tick=False):
        response = _post(client, world.school, pilot_actual="2026-09-02")
    assert response.status_code == 400
    assert not RolloutStage.objects.exists()


def test_district_officer_cannot_edit_another_districts_school(world, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    assert _post(client, world.other_school).status_code == 404
    assert world.other_school.short_name not in client.get("/city/rollout/").content.decode()


def test_department_edits_any_school_of_the_city_and_the_methodist_only_reads(world, login_as):
    assert _post(login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER), world.other_school).status_code == 302
    client = login_as(world.methodist, Role.METHODIST)
    assert _post(client, world.school).status_code == 403
    assert client.get("/city/rollout/").status_code == 200


def test_complex_of_another_municipality_cannot_be_chosen(world, login_as):
    from ejournal.schools.models import Municipality

    foreign = make_complex(Municipality.objects.create(name="Сочи", short_name="Сочи"))
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    assert _post(client, world.school, complex=str(foreign.pk)).status_code == 400


def test_only_one_complex_is_this_system(world, login_as):
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    assert client.post("/city/complexes/", {"name": "ЭЖ", "is_this_system": "on"}).status_code == 302
    response = client.post("/city/complexes/", {"name": "Другой", "is_this_system": "on"})
    assert response.status_code == 400


def test_export_keeps_formulas_as_text(world, login_as):
    SchoolRollout.objects.create(school=world.school, comment='=HYPERLINK("http://x")')
    content = login_as(world.methodist, Role.METHODIST).get("/city/rollout/export.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).active
    comments = [row[-1] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://x")' in comments


@pytest.mark.parametrize("extra", [1])
def test_table_runs_the_same_queries_for_few_and_many_schools(world, login_as, extra):
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    client.get("/city/rollout/")
    with CaptureQueriesContext(connection) as few:
        client.get("/city/rollout/")
    for n in range(5):
        school = School.objects.create(
            municipality=world.city,
            district=world.district,
            number=100 + n,
            full_name=f"Ш{n}",
            short_name=f"Ш{n}",
            code=f"x{n}",
        )
        RolloutStage.objects.create(school=school, stage=Stage.PILOT, planned_on=dt.date(2026, 9, 1))
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    client.get("/city/rollout/")
    with CaptureQueriesContext(connection) as many:
        client.get("/city/rollout/")
    assert len(many.captured_queries) == len(few.captured_queries)


def _facts_world(world):
    """What the system knows of school 1: its Regulation, its coordinator, a finished roster import, a granted
    application of the municipal service, the site's link."""
    from ejournal.core.models import ImportJob
    from ejournal.people.models import RoleAssignment
    from ejournal.regulation.models import Regulation
    from ejournal.service.models import Application

    Regulation.objects.create(municipality=world.city, school=world.school, title="Положение",
                              adopted_on=dt.date(2026, 8, 28), order_number="15-о")  # fmt: skip
    RoleAssignment.objects.filter(user=world.coordinator, role=Role.JOURNAL_COORDINATOR).update(
        starts_on=dt.date(2026, 8, 29)
    )
    job = ImportJob.objects.create(school_id=world.school.pk, kind="students", created_by=world.coordinator,
                                   file_name="ученики.xlsx", status=ImportJob.Status.DONE)  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(finished_at=dt.datetime(2026, 8, 31, 15, tzinfo=MSK))
    from ejournal.service.tests.factories import make_application

    application = make_application(world.school)
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.GRANTED,
        decided_at=dt.datetime(2026, 9, 3, 11, tzinfo=MSK),
        student=world.student,
        verified_at=dt.datetime(2026, 9, 2, 11, tzinfo=MSK),
    )
    world.school.site_url = "https://s1.example.ru/usluga"
    world.school.save()


def test_the_schedule_offers_what_the_system_knows_and_a_person_confirms_it(world, login_as):
    _facts_world(world)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with time_machine.travel(dt.datetime(2026, 9, 10, 12, tzinfo=MSK), tick=False):
        page = client.get(f"/city/rollout/schools/{world.school.pk}/").content.decode()
        for text in ("28.08.2026", "29.08.2026", "31.08.2026", "03.09.2026", "https://s1.example.ru/usluga"):
            assert text in page
        # Nothing is taken before a person confirms it.
        assert not RolloutStage.objects.filter(actual_on__isnull=False).exists()
        response = _post(client, world.school, regulation_confirm="on", coordinator_confirm="on",
                         data_loaded_confirm="on", parents_confirm="on", site_link_confirm="on",
                         pilot_actual="2026-09-01")  # fmt: skip
        assert response.status_code == 302
    actual = dict(RolloutStage.objects.filter(school=world.school).values_list("stage", "actual_on"))
    assert actual == {
        Stage.REGULATION: dt.date(2026, 8, 28), Stage.COORDINATOR: dt.date(2026, 8, 29),
        Stage.DATA_LOADED: dt.date(2026, 8, 31), Stage.PILOT: dt.date(2026, 9, 1), Stage.FULL: None,
        Stage.PARENTS: dt.date(2026, 9, 3), Stage.SITE_LINK: dt.date(2026, 9, 10),
    }  # fmt: skip


def test_an_unconfirmed_fact_changes_nothing_and_a_typed_date_wins(world, login_as):
    _facts_world(world)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    with time_machine.travel(dt.datetime(2026, 9, 10, 12, tzinfo=MSK), tick=False):
        _post(client, world.school, regulation_actual="2026-08-30", regulation_confirm="on")
        page = client.get(f"/city/rollout/schools/{world.school.pk}/").content.decode()
    actual = dict(RolloutStage.objects.filter(school=world.school).values_list("stage", "actual_on"))
    assert actual[Stage.REGULATION] == dt.date(2026, 8, 30)  # typed by the person
    assert actual[Stage.PARENTS] is None and actual[Stage.DATA_LOADED] is None
    assert 'name="regulation_confirm"' not in page  # a stage with its date needs no confirmation
    assert 'name="parents_confirm"' in page
