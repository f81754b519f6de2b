"""Must show: every role signs in through the real form and lands on its Russian home page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ejournal.access.roles import SCHOOL_ADMIN_ROLES, Role
from ejournal.demo.logins import DEMO_LOGINS, demo_password
from ejournal.people.models import GuardianLink, RoleAssignment
from ejournal.testing import PASSWORD

from .pages import choose_role, heading, sign_in

pytestmark = pytest.mark.browser

FIXED_HEADINGS = {
    Role.MUNICIPAL_OFFICER: "Школы города по округам",
    Role.METHODIST: "Школы города по округам",
    Role.DISTRICT_OFFICER: "Школы округа",
    Role.TEACHER: "Рабочий стол учителя",
    Role.CLASS_TEACHER: "Рабочий стол учителя",
    Role.STUDENT: "Мой дневник",
    Role.GUARDIAN: "Мои дети",
}


def expected_heading(role: str, user) -> str:
    """School administration sees its school's full name; everybody else a fixed heading."""
    if role in SCHOOL_ADMIN_ROLES:
        appointment = RoleAssignment.objects.select_related("school").filter(user=user, role=role).first()
        return appointment.school.full_name
    return FIXED_HEADINGS[role]


def test_each_demo_login_signs_in_to_its_russian_home_page_and_out(page, live_server, demo_city, console_errors):
    """The «Must show» journey: `manage.py demo_city`, then every demo login through the real form."""
    assert {role for role, _login, _description in DEMO_LOGINS} == set(Role)
    User = get_user_model()
    password = demo_password()
    for role, username, _description in DEMO_LOGINS:
        user = User.objects.get(username=username)
        sign_in(page, live_server.url, username, password)
        choose_role(page, role)

        assert page.url == f"{live_server.url}/", username
        assert page.locator("html").get_attribute("lang") == "ru", username
        assert heading(page) == expected_heading(role, user), username
        assert user.get_short_name() in page.locator("header").inner_text(), username

        page.get_by_role("button", name="Выйти").click()
        page.wait_for_load_state()
        assert heading(page) == "Вход в электронный журнал", username
    assert not console_errors


def test_logout_returns_to_the_login_page_and_ends_the_session(page, live_server, browser_world):
    sign_in(page, live_server.url, "parent", PASSWORD)
    assert heading(page) == "Мои дети"

    page.get_by_role("button", name="Выйти").click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert heading(page) == "Вход в электронный журнал"

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")


def test_wrong_password_shows_a_russian_error(page, live_server, browser_world):
    sign_in(page, live_server.url, "teacher", "not-the-password")

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.get_by_text("Неверный логин или пароль.").is_visible()
    assert page.get_by_label("Логин").input_value() == "teacher"
    assert page.get_by_label("Пароль").input_value() == ""


def test_teacher_who_is_also_a_parent_switches_roles(page, live_server, browser_world, console_errors):
    w = browser_world
    w.guardian.user = w.teacher
    w.guardian.save()
    GuardianLink.objects.create(school=w.school, guardian=w.guardian, student=w.classmate, relation="mother")

    sign_in(page, live_server.url, "teacher", PASSWORD)
    assert heading(page) == "Рабочий стол учителя"

    choose_role(page, Role.GUARDIAN)
    assert heading(page) == "Мои дети"
    assert page.locator("main").get_by_text("Белова Дарья Игоревна").is_visible()
    selected = page.locator("#role-switch option:checked").inner_text()
    assert selected.startswith("Родитель (законный представитель)")

    choose_role(page, Role.CLASS_TEACHER)
    assert heading(page) == "Рабочий стол учителя"
    assert page.locator("main").get_by_text("5 «А»", exact=True).is_visible()
    assert not console_errors
