"""The diary must work in a phone browser: no horizontal scrolling at 360 px."""

from __future__ import annotations

import pytest

from ejournal.access.roles import Role
from ejournal.testing import PASSWORD

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
