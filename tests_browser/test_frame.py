"""The site's frame in the browser: Russian error pages with a way back, the icon, one current menu item,
hidden screen-reader labels, a wide journal on a wide screen, and the phone (360 px): no page scrolls
sideways, the menu is folded, the diary opens with today on the first screen."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ejournal.access.roles import Role
from ejournal.curriculum.models import TeachingAssignment
from ejournal.demo.logins import demo_password
from ejournal.diary.tests.helpers import WED, week_of_lessons
from ejournal.people.models import GuardianLink
from ejournal.testing import PASSWORD
from ejournal.timetable.tests.helpers import MON

from .conftest import PHONE, _new_page
from .pages import choose_role, heading, open_menu, page_width, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MSK = ZoneInfo("Europe/Moscow")
PHONE_WIDTH, PHONE_HEIGHT = PHONE["viewport"]["width"], PHONE["viewport"]["height"]
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _open(page, url: str) -> int:
    response = page.goto(url)
    page.wait_for_load_state()
    return response.status


def _way_back_home(page, base: str) -> None:
    """The error page's «На главную» leads to the signed-in user's home page (or the sign-in page)."""
    page.locator("main").get_by_role("link", name="На главную").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/") == base or "/accounts/login/" in page.url


@pytest.fixture
def wide_page(browser, console_errors):
    context, page = _new_page(browser, console_errors, viewport={"width": 1920, "height": 1000})
    yield page
    context.close()


def test_error_pages_are_russian_inside_the_frame_with_a_way_back(page, live_server, browser_world):
    w, url = browser_world, live_server.url
    sign_in(page, url, w.other_teacher.username, PASSWORD)
    choose_role(page, Role.TEACHER)

    assert _open(page, f"{url}/year/") == 403  # the school's year setup is the administration's
    assert heading(page) == "Нет доступа"
    assert page.locator("nav.main").get_by_role("link", name="Журнал").is_visible()  # the role's own menu
    assert not LATIN_WORD.findall(page.locator("body").inner_text())
    _way_back_home(page, url)

    assert _open(page, f"{url}/no-such-page/") == 404
    assert heading(page) == "Страница не найдена"
    assert page.locator("nav.main").get_by_role("link", name="Журнал").is_visible()
    assert not LATIN_WORD.findall(page.locator("body").inner_text())
    _way_back_home(page, url)


@pytest.mark.urls("ejournal.portal.tests.urls_raising")
def test_the_server_error_page_is_russian_with_a_way_back(page, live_server, browser_world):
    url = live_server.url
    sign_in(page, url, browser_world.guardian_user.username, PASSWORD)
    assert _open(page, f"{url}/boom/") == 500  # a view with a bug
    assert heading(page) == "Ошибка на сервере"
    assert page.locator("header.top").get_by_role("link", name="Электронный журнал").is_visible()
    assert not LATIN_WORD.findall(page.locator("body").inner_text())
    _way_back_home(page, url)


def test_the_frame_on_a_desktop(wide_page, live_server, demo_city, console_errors):
    page, url = wide_page, live_server.url
    assert page.request.get(f"{url}/favicon.ico").status == 200

    sign_in(page, url, "demo_deputy", demo_password())
    _open(page, f"{url}/journal/corrections/")
    assert page.locator('nav.main a[aria-current="page"]').all_inner_texts() == ["Исправления"]
    sign_out(page)

    sign_in(page, url, "demo_teacher", demo_password())
    assignment = TeachingAssignment.objects.filter(teacher__username="demo_teacher").order_by("pk").first()
    _open(page, f"{url}/journal/plan/{assignment.pk}/")
    labels = page.locator("label.j-sr")
    assert labels.count() > 0 and "Тема 1" in labels.all_text_contents()
    assert all(box["width"] <= 1 for box in (lbl.bounding_box() for lbl in labels.all())), "«Тема N» is shown"

    open_menu(page, "Журнал")
    page.locator("main table a").first.click()  # the first journal of the list
    page.wait_for_load_state()
    grid, names = page.locator(".j-scroll"), page.locator(".j-grid tbody .j-name")
    assert grid.bounding_box()["width"] > 0.9 * 1920, "the journal uses a part of a wide screen"
    assert names.count() > 0
    truncated = page.evaluate(
        "() => [...document.querySelectorAll('.j-grid tbody .j-name')].filter(e => e.scrollWidth > e.clientWidth).length"
    )
    assert truncated == 0, "names are cut off on a wide screen"
    assert page_width(page) <= 1920
    assert console_errors == []


def test_on_a_phone_no_page_scrolls_sideways_and_the_city_menu_is_folded(phone_page, live_server, demo_city):
    page, url = phone_page, live_server.url
    sign_in(page, url, "demo_mun", demo_password())
    menu = page.locator("nav.main")
    assert menu.locator("summary").is_visible()
    assert not menu.get_by_role("link", name="Мониторинг").is_visible(), "the menu is not folded"
    assert page.locator("main h1").bounding_box()["y"] < PHONE_HEIGHT / 2, "the content starts below the first screen"
    open_menu(page, "Мониторинг")
    assert heading(page).startswith("Мониторинг")
    assert page_width(page) <= PHONE_WIDTH, "monitoring scrolls sideways"
    sign_out(page)

    sign_in(page, url, "demo_parent", demo_password())
    child = GuardianLink.objects.filter(guardian__user__username="demo_parent").order_by("student_id").first().student
    _open(page, f"{url}/diary/{child.pk}/marks/")
    assert page.locator("table.diary-subjects").is_visible()
    assert page_width(page) <= PHONE_WIDTH, "the term's marks scroll sideways"

    _open(page, f"{url}/diary/{child.pk}/extract/")
    page.get_by_label("Страница для печати").check()
    page.get_by_role("button", name=re.compile("Сформировать|Получить|Показать")).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Выписка из электронного дневника").is_visible()
    assert page_width(page) <= PHONE_WIDTH, "the HTML extract scrolls sideways"


@pytest.mark.parametrize("day", [MON, WED], ids=["monday", "wednesday"])
def test_on_a_phone_the_diary_opens_with_today_on_the_first_screen(phone_page, live_server, browser_world, day):
    w, page, url = browser_world, phone_page, live_server.url
    week_of_lessons(w)
    week_of_lessons(w, cls=w.other_cls, student=w.sibling)
    with time_machine.travel(dt.datetime.combine(day, dt.time(7, 30), tzinfo=MSK), tick=True):
        sign_in(page, url, w.guardian_user.username, PASSWORD)
        open_menu(page, "Дневник")
        today = page.locator("section.diary-day.is-today")
        box = today.bounding_box()
        assert box is not None and 0 <= box["y"] < PHONE_HEIGHT - 120, f"today starts at {box and box['y']} px"
        assert today.locator("h2").is_visible() and "сегодня" in today.locator("h2").inner_text()
        assert page_width(page) <= PHONE_WIDTH
