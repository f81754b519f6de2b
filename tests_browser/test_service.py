"""The municipal service journey: a parent applies on the public page, the coordinator grants access,
the parent signs in with the slip's one-time password and sees only their own child."""

from __future__ import annotations

import re

import pytest

from ejournal.service.models import Application
from ejournal.testing import PASSWORD

from .pages import heading, sign_in, sign_out

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Svoy-parol-2026"  # noqa: S105 - test value
FORM = {
    "Фамилия заявителя": "Белова",
    "Имя заявителя": "Светлана",
    "Отчество заявителя": "Петровна",
    "Телефон": "+7 (918) 555-44-33",
    "E-mail": "belova@example.ru",
    "Серия и номер документа": "03 12 345678",
    "Фамилия ребёнка": "Белова",
    "Имя ребёнка": "Дарья",
    "Дата рождения ребёнка": "2015-03-01",
    "Класс": "5А",
}


def _apply(page, base_url: str) -> str:
    page.goto(f"{base_url}/u/s1/")
    assert heading(page) == "Муниципальная услуга"
    form = page.locator("form[action='/u/s1/#form']")
    form.get_by_label("Кто подаёт заявление").select_option("parent")
    form.get_by_label("Кем вы приходитесь ребёнку").select_option("mother")
    for label, value in FORM.items():
        form.get_by_label(label).fill(value)
    form.get_by_label("Я даю согласие").check()
    form.get_by_role("button", name="Отправить заявление").click()
    page.wait_for_load_state()
    assert heading(page) == "Заявление принято"
    return page.locator("[data-number]").inner_text().strip()


def _grant(page, base_url: str, number: str, classmate) -> tuple[str, str]:
    sign_in(page, base_url, "coord", PASSWORD)
    page.goto(f"{base_url}/u/register/")
    page.get_by_role("link", name=number).click()
    page.wait_for_load_state()
    page.locator(f"input[name=student][value='{classmate.pk}']").check()
    page.get_by_role("button", name="Связать с обучающимся").click()
    page.wait_for_load_state()
    page.get_by_label("Личность заявителя проверена по документу").check()
    page.get_by_label("Родство или полномочия проверены", exact=False).check()
    page.get_by_role("button", name="Записать проверку").click()
    page.wait_for_load_state()
    page.get_by_label("Письменное согласие на обработку персональных данных получено").check()
    page.get_by_role("button", name="Предоставить доступ").click()
    page.wait_for_load_state()
    assert heading(page) == "Листы с логинами и паролями"
    codes = page.locator(".slip-creds code")
    login, password = codes.nth(0).inner_text().strip(), codes.nth(1).inner_text().strip()
    assert "Белова Дарья Игоревна" in page.locator(".slip").inner_text()
    sign_out(page)
    return login, password


def test_parent_applies_is_granted_access_and_sees_only_their_child(
    page, live_server, browser_world, console_errors, settings
):
    settings.EJ_SERVICE = {"min_fill_seconds": 0}
    base, world = live_server.url, browser_world
    number = _apply(page, base)
    assert Application.objects.get().number == number

    login, password = _grant(page, base, number, world.classmate)
    assert Application.objects.get().status == Application.Status.GRANTED

    sign_in(page, base, login, password)
    assert "/accounts/password/" in page.url  # the one-time password must be changed first
    page.locator("input[name=old_password]").fill(password)
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Сменить пароль").click()
    page.wait_for_load_state()
    page.goto(f"{base}/")
    main = page.locator("main").inner_text()
    assert heading(page) == "Мои дети"
    assert "Белова Дарья Игоревна" in main
    for other in (world.student, world.sibling, world.foreign_student):
        assert other.full_name not in main
    assert not console_errors


def test_a_form_sent_too_fast_gets_a_sum_to_answer_then_a_number_and_the_status_check_finds_it(
    phone_page, live_server, browser_world, console_errors, settings
):
    settings.EJ_SERVICE = {"min_fill_seconds": 3600}  # however fast the browser is, this is "too fast"
    page, base = phone_page, live_server.url
    page.goto(f"{base}/u/s1/")
    form = page.locator("form[action='/u/s1/#form']")
    form.get_by_label("Кто подаёт заявление").select_option("parent")
    form.get_by_label("Кем вы приходитесь ребёнку").select_option("mother")
    for label, value in FORM.items():
        form.get_by_label(label).fill(value)
    form.get_by_label("Я даю согласие").check()
    form.get_by_role("button", name="Отправить заявление").click()
    page.wait_for_load_state()

    assert heading(page) == "Подтвердите отправку"
    assert not Application.objects.exists()
    assert "Белова Дарья" in page.locator("main").inner_text()  # the data the person is about to send
    question = page.get_by_label("Сколько будет", exact=False)
    a, b = (int(n) for n in re.search(r"(\d+) \+ (\d+)", page.locator("label[for=id_answer]").inner_text()).groups())
    question.fill(str(a + b))
    page.get_by_role("button", name="Подтвердить и отправить").click()
    page.wait_for_load_state()

    assert heading(page) == "Заявление принято"
    number = page.locator("[data-number]").inner_text().strip()
    assert Application.objects.get().number == number
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="Узнать, что с заявлением").click()
    page.wait_for_load_state()
    page.get_by_label("Номер заявления").fill(number)
    page.get_by_label("Телефон или e-mail из заявления").fill("8 918 555-44-33")
    page.get_by_role("button", name="Узнать").click()
    page.wait_for_load_state()
    assert page.locator("[data-status]").inner_text().strip() == "получено"
    assert not console_errors
