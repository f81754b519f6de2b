"""The diary must work in a phone browser: no horizontal scrolling at 360 px."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ejournal.access.roles import Role
from ejournal.journal.models import Mark
from ejournal.journal.services import work_types_ensure
from ejournal.testing import PASSWORD
from ejournal.timetable.tests.helpers import assignment, bells, lesson

from .pages import choose_role, heading, page_width, sign_in, sign_out

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360


def test_login_page_fits_a_phone(phone_page, live_server, db, console_errors):
    phone_page.goto(f"{live_server.url}/accounts/login/")
    assert heading(phone_page) == "Вход в электронный журнал"
    assert page_width(phone_page) <= PHONE_WIDTH
    assert not console_errors


@pytest.mark.parametrize(
    "role", [Role.GUARDIAN, Role.STUDENT, Role.CLASS_TEACHER, Role.DIRECTOR, Role.DISTRICT_OFFICER]
)
def test_home_page_fits_a_phone(phone_page, live_server, browser_world, console_errors, role):
    sign_in(phone_page, live_server.url, browser_world.personas[role].username, PASSWORD)
    choose_role(phone_page, role)
    assert phone_page.url == f"{live_server.url}/"
    assert page_width(phone_page) <= PHONE_WIDTH
    assert not console_errors


def test_monitoring_and_regulation_pages_fit_a_phone(phone_page, live_server, browser_world, console_errors):
    """The wide tables of the monitoring (ranking, months, teachers) and of the Regulation scroll inside their
    box: the page itself stays 360 px wide (it was 1,722 px on the city's monitoring, wider than a desktop too)."""
    w = browser_world
    sign_in(phone_page, live_server.url, w.personas[Role.METHODIST].username, PASSWORD)
    choose_role(phone_page, Role.METHODIST)
    for path in (
        "/city/monitoring/",
        f"/city/monitoring/districts/{w.district.pk}/",
        f"/city/monitoring/schools/{w.school.pk}/",
        f"/city/monitoring/schools/{w.school.pk}/teachers/{w.teacher.pk}/",
    ):
        phone_page.goto(f"{live_server.url}{path}")
        assert phone_page.locator("table.monitoring").count() >= 1, path
        assert page_width(phone_page) <= PHONE_WIDTH, path
    sign_out(phone_page)
    sign_in(phone_page, live_server.url, w.personas[Role.DEPUTY_HEAD].username, PASSWORD)
    choose_role(phone_page, Role.DEPUTY_HEAD)
    phone_page.goto(f"{live_server.url}/regulation/")
    assert phone_page.locator("main table").count() >= 1
    assert page_width(phone_page) <= PHONE_WIDTH
    assert not console_errors


SUBJECTS = ("Математика", "Русский язык", "Литература", "История", "География", "Биология", "Физика", "Химия")


def test_class_overview_with_failing_subjects_fits_a_phone(phone_page, live_server, browser_world, console_errors):
    """A failing cell carries a text for screen readers («не успевает»), positioned out of sight; it was placed
    against the page instead of the table's scrolling box, so the page grew to the table's width (1,308 px on
    the demo's 5 «А»)."""
    w = browser_world
    bells(w, numbers=range(1, len(SUBJECTS) + 1))
    answer = work_types_ensure(w.school)["answer"]
    day = dt.date(2026, 9, 14)
    for number, name in enumerate(SUBJECTS, start=1):
        held = lesson(w, assignment(w, teacher=w.teacher, name=name), day, number)
        Mark.objects.create(school=w.school, lesson=held, student=w.student, value=2, work_type=answer,
                            weight=Decimal("1"), created_by=w.teacher)  # fmt: skip
    term = w.school.terms.get(number=1)
    sign_in(phone_page, live_server.url, w.personas[Role.CLASS_TEACHER].username, PASSWORD)
    choose_role(phone_page, Role.CLASS_TEACHER)
    phone_page.goto(f"{live_server.url}/journal/class/{w.cls.pk}/{term.pk}/")
    assert phone_page.locator("td.j-fail").count() == len(SUBJECTS)
    assert page_width(phone_page) <= PHONE_WIDTH
    assert not console_errors
