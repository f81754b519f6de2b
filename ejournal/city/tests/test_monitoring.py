"""Monitoring: exact values from hand-made snapshots, live current month, rankings, red flags, access, queries."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ejournal.access.roles import Role
from ejournal.city.models import MonthlyReportRow, MonthlyRolloutReport, RolloutStage, Stage
from ejournal.schools.models import School

MSK = ZoneInfo("Europe/Moscow")
ACCEPTED = MonthlyRolloutReport.Status.ACCEPTED


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(dt.datetime(2026, 11, 15, 12, tzinfo=MSK), tick=False):
        yield


def _school(world, number, district=None):
    return School.objects.create(
        municipality=world.city,
        district=district or world.district,
        number=number,
        full_name=f"МБОУ СОШ № {number}",
        short_name=f"СОШ № {number}",
        code=f"m{number}",
    )


def _report(district, month, rows, status=ACCEPTED, source=MonthlyReportRow.Source.COMPUTED):
    """A report of 2026 whose rows (school → data) are stored as the accepted snapshot."""
    now = timezone.now()
    accepted = status == ACCEPTED
    report = MonthlyRolloutReport.objects.create(
        municipality_id=district.municipality_id,
        district=district,
        year=2026,
        month=month,
        status=status,
        submitted_at=None if status == "draft" else now,
        accepted_at=now if accepted else None,
    )
    for school, data in rows.items():
        MonthlyReportRow.objects.create(report=report, school=school, source=source, data=data, is_snapshot=accepted)
    return report


def _topic(value):
    return {"lessons_topic_on_time_pct": value}


@pytest.fixture
def snapshots(world):
    """September and October accepted for both districts; school 2 of Западный is weak."""
    second = _school(world, 3)
    _report(world.district, 9, {world.school: _topic("90.0"), second: _topic("70.0")})
    _report(world.other_district, 9, {world.other_school: _topic("85.0")})
    first_october = {
        **_topic("80.0"),
        "guardians_with_access": 100,
        "guardians_logged_in": 20,
        "marks_late_pct": "12.5",
    }
    _report(world.district, 10, {world.school: first_october, second: _topic("60.0")})
    _report(world.other_district, 10, {world.other_school: _topic("95.0")})
    return second


def _ranking(page: str) -> dict[str, tuple[str, str]]:
    """Unit → (position, value) from the ranking table."""
    rows = re.findall(r'data-unit="([^"]+)" data-position="(\d*)".*?<td data-value[^>]*>([^<]+)<', page, re.S)
    return {unit: (position, value) for unit, position, value in rows}


def _trend(page: str) -> list[str]:
    table = page[page.index('<table class="monitoring trend">') :]
    table = table[: table.index("</table>")]
    return re.findall(r"<td[^>]*>([^<]+)</td>", table)


TOPIC_OCTOBER = "?indicator=lessons_topic_on_time_pct&year=2026&month=10&span=3"


def test_city_page_ranks_districts_from_the_accepted_snapshots(world, snapshots, login_as):
    page = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER).get("/city/monitoring/" + TOPIC_OCTOBER)
    page = page.content.decode()
    assert _trend(page) == ["—", "81,7 %", "78,3 %"]  # August has no report; averages over schools
    assert _ranking(page) == {"Карасунский": ("1", "95,0 %"), "Западный": ("2", "70,0 %")}
    assert "<svg" in page and "<title" in page and "<polyline" in page and "<rect" in page


def test_district_page_ranks_its_schools_and_flags_the_weak_one(world, snapshots, login_as):
    client = login_as(world.methodist, Role.METHODIST)
    page = client.get(f"/city/monitoring/districts/{world.district.pk}/" + TOPIC_OCTOBER).content.decode()
    assert _ranking(page) == {"СОШ № 1": ("1", "80,0 %"), "СОШ № 3": ("2", "60,0 %")}
    weak = page[page.index('data-unit="СОШ № 3"') :]
    assert 'class="flag" data-flag>60,0 %' in weak[: weak.index("</tr>")]
    assert f"/city/monitoring/schools/{snapshots.pk}/" in page


def test_school_page_shows_every_indicator_and_its_red_flags(world, snapshots, login_as):
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    page = client.get(f"/city/monitoring/schools/{world.school.pk}/" + TOPIC_OCTOBER).content.decode()
    row = page[page.index('data-indicator="guardians_logged_in_pct"') :]
    assert re.findall(r"<td[^>]*>([^<]+)</td>", row[: row.index("</tr>")]) == ["—", "—", "20,0 %"]
    late = page[page.index('data-indicator="marks_late_pct"') :]
    assert "data-flag>12,5 %" in late[: late.index("</tr>")]
    flags = page[page.index("data-total-flags") :]
    flags = flags[: flags.index("</div>")]
    assert "входили родители: 20,0 % &lt; 30 %" in flags and "отметки с опозданием: 12,5 % &gt; 10 %" in flags
    assert "темы уроков" not in flags  # 80,0 % is not below 80 %


def test_thresholds_are_settings(world, snapshots, login_as, settings):
    settings.EJ_CITY_MONITORING = {"topic_on_time_min_pct": 50}
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    page = client.get(f"/city/monitoring/districts/{world.district.pk}/" + TOPIC_OCTOBER).content.decode()
    assert 'class="flag" data-flag>60,0 %' not in page


def test_late_rollout_stage_is_a_red_flag(world, snapshots, login_as):
    RolloutStage.objects.create(school=snapshots, stage=Stage.PILOT, planned_on=dt.date(2026, 10, 1))
    RolloutStage.objects.create(school=world.school, stage=Stage.PILOT, planned_on=dt.date(2026, 10, 1),
                                actual_on=dt.date(2026, 10, 1))  # fmt: skip
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    page = client.get("/city/monitoring/" + TOPIC_OCTOBER).content.decode()
    west = page[page.index('data-unit="Западный"') :]
    assert 'class="flag" data-late>1<' in west[: west.index("</tr>")]
    page = client.get(f"/city/monitoring/schools/{snapshots.pk}/").content.decode()
    assert "Апробация начата" in page[page.index("data-late-stages") :]


def test_current_month_is_live_and_a_submitted_reports_figure_is_not_served(world, snapshots, login_as):
    _report(world.district, 11, {world.school: {"classes_in_system": 99}}, status="submitted")
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    page = client.get("/city/monitoring/?indicator=classes_in_system&year=2026&month=11&span=2").content.decode()
    # November: computed live (the world's two classes), not the submitted report's figure.
    assert _ranking(page)["СОШ № 1"] == ("1", "2")
    assert _ranking(page)["СОШ № 3"] == ("2", "0")
    assert _trend(page) == ["—", "2"]  # October's snapshots carry no class count


def test_hand_entered_row_of_another_vendor_counts_before_acceptance(world, login_as):
    _report(world.district, 10, {world.school: _topic("55.5")}, status="submitted", source="manual")
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    page = client.get(f"/city/monitoring/districts/{world.district.pk}/" + TOPIC_OCTOBER).content.decode()
    assert _ranking(page)["СОШ № 1"] == ("1", "55,5 %")


def test_district_officer_sees_only_the_own_district(world, snapshots, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    page = client.get("/city/monitoring/" + TOPIC_OCTOBER).content.decode()
    assert set(_ranking(page)) == {"СОШ № 1", "СОШ № 3"}
    assert "Карасунский" not in page
    assert client.get(f"/city/monitoring/districts/{world.other_district.pk}/").status_code == 404
    assert client.get(f"/city/monitoring/schools/{world.other_school.pk}/").status_code == 404
    assert client.get(f"/city/monitoring/districts/{world.district.pk}/").status_code == 200


def test_methodist_reads_the_other_district(world, snapshots, login_as):
    client = login_as(world.methodist, Role.METHODIST)
    assert client.get(f"/city/monitoring/districts/{world.other_district.pk}/").status_code == 200
    assert client.get(f"/city/monitoring/schools/{world.other_school.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR, Role.TEACHER])
def test_school_roles_get_nothing(world, login_as, role):
    client = login_as(world.personas[role], role)
    assert client.get("/city/monitoring/").status_code == 403
    assert client.get(f"/city/monitoring/schools/{world.school.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("indicator=nope", "Такого показателя нет"),
        ("month=13", "Месяц — число от 1 до 12"),
        ("year=abc", "Год — целое число"),
        ("span=100", "Не больше 12 месяцев"),
        ("span=1", "Не меньше 2 месяцев"),
    ],
)
def test_bad_parameters_get_a_russian_message_not_an_error(world, login_as, query, message):
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    response = client.get(f"/city/monitoring/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_run_the_same_queries_for_few_and_many_schools(world, snapshots, login_as):
    urls = ["/city/monitoring/?span=4&month=11", f"/city/monitoring/districts/{world.district.pk}/?span=4&month=11"]
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    few = [_queries(client, url) for url in urls]
    for n in range(5):
        school = _school(world, 20 + n, world.other_district if n % 2 else world.district)
        if n == 0:
            _report(school.district, 8, {school: _topic("50.0")})
        MonthlyReportRow.objects.create(
            report=MonthlyRolloutReport.objects.get(district=school.district, month=10),
            school=school,
            source="computed",
            data=_topic(str(60 + n)),
            is_snapshot=True,
        )
        RolloutStage.objects.create(school=school, stage=Stage.FULL, planned_on=dt.date(2026, 10, 1))
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    assert [_queries(client, url) for url in urls] == few


def _values(**kwargs):
    from ejournal.city.monitoring.indicators import INDICATORS

    return {**{i.key: None for i in INDICATORS}, **kwargs}


def test_ranking_shares_a_place_on_ties_and_puts_lower_late_marks_first():
    from decimal import Decimal

    from ejournal.city.monitoring.selectors import Unit, ranking

    month = (2026, 10)
    data = {
        month: {
            1: _values(marks_late_pct=Decimal("5.0")),
            2: _values(marks_late_pct=Decimal("5.0")),
            3: _values(marks_late_pct=Decimal("12.0")),
            4: _values(),
        }
    }
    units = [Unit(f"Ш{n}", "", [n]) for n in (4, 3, 2, 1)]
    rows = ranking(data=data, month=month, units=units, key="marks_late_pct", late={})
    assert [(r.unit.label, r.position, r.flagged) for r in rows] == [
        ("Ш1", 1, False),
        ("Ш2", 1, False),
        ("Ш3", 3, True),
        ("Ш4", None, False),
    ]


def test_line_chart_breaks_at_a_month_without_value():
    from decimal import Decimal

    from ejournal.city.monitoring.selectors import Point
    from ejournal.city.monitoring.svg import line_chart

    values = [Decimal("90"), Decimal("85"), None, Decimal("70"), Decimal("75")]
    points = [Point(month=(2026, m), value=v, flagged=False) for m, v in zip(range(5, 10), values, strict=True)]
    chart = line_chart(key="lessons_topic_on_time_pct", points=points, title="t", desc="d")
    assert len(chart.segments) == 2 and len(chart.points) == 4
    assert chart.points[0].y == 34.4  # 16-pixel top margin + 10 % of the 184-pixel plot
    assert chart.threshold is not None and chart.threshold.text == "80,0 %"


def test_guardians_share_is_recomputed_from_the_summed_counts():
    from decimal import Decimal

    from ejournal.city.monitoring.selectors import aggregate

    total = aggregate([
        _values(guardians_with_access=100, guardians_logged_in=10),
        _values(guardians_with_access=300, guardians_logged_in=150),
    ])  # fmt: skip
    assert total["guardians_logged_in_pct"] == Decimal("40.0")  # 160 / 400, not the mean of 10 % and 50 %


def test_school_on_another_system_has_no_live_values(world, login_as):
    from .factories import other_vendor

    other_vendor(world.school, world.city)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    page = client.get("/city/monitoring/?indicator=classes_in_system&year=2026&month=11&span=2").content.decode()
    assert _ranking(page)["СОШ № 1"] == ("", "—")  # not the zero this system would compute


def test_past_months_without_an_accepted_report_come_from_the_journal(world, login_as):
    from ejournal.control.tests.data import september

    september(world)  # four lessons held in September, one in October, none in November
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    url = f"/city/monitoring/districts/{world.district.pk}/?indicator=lessons_total&year=2026&month=11&span=4"
    page = client.get(url).content.decode()
    assert _trend(page) == ["0", "4", "1", "0"]  # August: none, before the school year


def test_an_accepted_snapshot_still_wins_over_the_journal(world, login_as):
    from ejournal.control.tests.data import september

    september(world)
    _report(world.district, 9, {world.school: {"lessons_total": 40}})
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    url = f"/city/monitoring/districts/{world.district.pk}/?indicator=lessons_total&year=2026&month=11&span=3"
    assert _trend(client.get(url).content.decode()) == ["40", "1", "0"]
