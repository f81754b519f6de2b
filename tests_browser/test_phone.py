"""The diary must work in a phone browser: no horizontal scrolling at 360 px."""

from __future__ import annotations

import pytest

from ejournal.access.roles import Role
from ejournal.testing import PASSWORD

from .pages import choose_role, heading, page_width, sign_in

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
