"""Monitoring down to the teacher: the school's table of teachers and a teacher's months, on the hand-made September."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from ejournal.access.roles import Role
from ejournal.city.tests.test_monitoring import _queries
from ejournal.control.tests.data import SEP, september
from ejournal.journal.tests.helpers import at
from ejournal.regulation.selectors import cache_forget
from ejournal.timetable.models import Lesson
from ejournal.timetable.tests.helpers import assignment, lesson

pytestmark = pytest.mark.django_db
AFTER = dt.date(2026, 10, 5)
SEPTEMBER = "?indicator=lessons_topic_on_time_pct&year=2026&month=9&span=3"


@pytest.fixture(autouse=True)
def _october(world):
    cache_forget([world.school.pk, world.other_school.pk])
    with at(AFTER):
        yield
    cache_forget([world.school.pk, world.other_school.pk])


@pytest.fixture
def journal(world):
    """September of maths in 5 «А»; L4 (no topic, no homework, the late mark) held by the other teacher on substitution."""
    d = september(world)
    Lesson.objects.filter(pk=d.lessons[3].pk).update(substitute=world.other_teacher)
    return d


def _school_url(world, query=SEPTEMBER):
    return f"/city/monitoring/schools/{world.school.pk}/{query}"


def _teacher_url(world, teacher, query=SEPTEMBER):
    return f"/city/monitoring/schools/{world.school.pk}/teachers/{teacher.pk}/{query}"


def _teachers(page: str) -> dict[str, list[str]]:
    """Teacher → [position, cells…, flags] from the school page's table of teachers."""
    table = page[page.index('<table class="monitoring ranking teachers">') :]
    table = table[: table.index("</table>")]
    out = {}
    for name, body in re.findall(r'<tr data-teacher="([^"]+)".*?>(.*?)</tr>', table, re.S):
        out[name] = [
            re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", body, re.S)
        ]
    return out


def test_school_page_ranks_its_teachers_with_exact_figures_and_flags(world, journal, login_as):
    page = login_as(world.methodist, Role.METHODIST).get(_school_url(world)).content.decode()
    teacher, other = world.teacher.get_full_name(), world.other_teacher.get_full_name()
    rows = _teachers(page)
    # Place, teacher, lessons, topic, homework, attendance, marks, late marks, density, flags.
    assert rows[teacher][:9] == ["1", teacher, "3", "66,7 %", "66,7 %", "66,7 %", "3", "0,0 %", "50,0 %"]
    assert rows[other][:9] == ["2", other, "1", "0,0 %", "0,0 %", "100,0 %", "1", "100,0 %", "—"]
    assert "отметки с опозданием: 100,0 % &gt; 10 %" in rows[other][9]
    assert "отметки с опозданием" not in rows[teacher][9] and "темы уроков в срок: 66,7 % &lt; 80 %" in rows[teacher][9]
    assert _teacher_url(world, world.teacher).replace("&", "&amp;") in page  # the drill-down keeps the period


def test_ranking_follows_the_chosen_indicator_and_falls_back_for_a_school_only_one(world, journal, login_as):
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    late = client.get(_school_url(world, "?indicator=marks_late_pct&year=2026&month=9")).content.decode()
    assert [(r[0], r[1]) for r in _teachers(late).values()] == [
        ("1", world.teacher.get_full_name()),  # fewer late marks is better
        ("2", world.other_teacher.get_full_name()),
    ]
    guardians = client.get(_school_url(world, "?indicator=guardians_logged_in_pct&year=2026&month=9")).content.decode()
    assert "Рейтинг по показателю «% уроков с темой в день урока»" in guardians


def test_teacher_page_shows_the_months_as_chart_and_table(world, journal, login_as):
    page = (
        login_as(world.methodist, Role.METHODIST)
        .get(_teacher_url(world, world.teacher, SEPTEMBER.replace("month=9", "month=10")))
        .content.decode()
    )
    rows = {}
    for key, body in re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', page, re.S):
        rows[key] = re.findall(r"<td[^>]*>([^<]+)</td>", body)
    assert rows["lessons_total"] == ["—", "3", "1"]  # August none; the October lesson of 05.10 has nothing yet
    assert rows["lessons_topic_on_time_pct"] == ["—", "66,7 %", "0,0 %"]
    assert rows["marks_total"] == ["—", "3", "0"]
    assert rows["density_norm_met_pct"] == ["—", "50,0 %", "50,0 %"]
    assert "<polyline" in page and world.teacher.get_full_name() in page
    assert f"/city/monitoring/schools/{world.school.pk}/" in page  # back to the school


def test_district_officer_reaches_only_the_districts_teachers(world, journal, login_as):
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    assert client.get(_teacher_url(world, world.teacher)).status_code == 200
    foreign = f"/city/monitoring/schools/{world.other_school.pk}/teachers/{world.foreign_teacher.pk}/"
    assert client.get(foreign).status_code == 404
    assert client.get(_teacher_url(world, world.foreign_teacher)).status_code == 404  # not a teacher of the school
    assert client.get(_teacher_url(world, world.deputy_head)).status_code == 404


def test_methodist_reads_but_cannot_post(world, journal, login_as):
    client = login_as(world.methodist, Role.METHODIST)
    foreign = f"/city/monitoring/schools/{world.other_school.pk}/teachers/{world.foreign_teacher.pk}/"
    assert client.get(foreign).status_code == 200
    assert client.post(_teacher_url(world, world.teacher)).status_code == 405
    assert client.post(_school_url(world)).status_code == 405


def test_pages_run_the_same_queries_for_few_and_many_teachers_and_lessons(world, journal, login_as):
    urls = [_school_url(world), _teacher_url(world, world.teacher), _teacher_url(world, world.other_teacher)]
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    few = [_queries(client, url) for url in urls]
    physics = assignment(world, cls=world.other_cls, teacher=world.other_teacher, name="Физика")
    english = assignment(world, cls=world.cls, teacher=world.teacher, name="Русский язык")
    for day in SEP:
        lesson(world, physics, day, number=3)
        lesson(world, english, day, number=4)
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    assert [_queries(client, url) for url in urls] == few
