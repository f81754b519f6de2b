"""The guardian of two children reads the diary on a 360×740 phone: week, child switch, marks, «Ознакомлен».

axe-core (vendored from the npm registry, injected into the page) must find no
serious or critical violation on these pages; the week page must not scroll sideways.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ejournal.diary.models import WeekAcknowledgement
from ejournal.diary.tests.helpers import WED, week_of_lessons
from ejournal.testing import PASSWORD

from .conftest import PHONE, _new_page
from .pages import heading, page_width, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_serious(page) -> list[str]:
    """Run axe-core on the page; the ids and targets of serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def axe_phone_page(browser, console_errors):
    """A 360×740 phone page whose CSP lets the test inject axe-core (the site's own CSP stays untouched)."""
    context, page = _new_page(browser, console_errors, bypass_csp=True, **PHONE)
    yield page
    context.close()


@pytest.fixture
def diary_world(browser_world):
    week_of_lessons(browser_world)
    week_of_lessons(browser_world, cls=browser_world.other_cls, student=browser_world.sibling)
    return browser_world


def test_guardian_of_two_children_reads_the_diary_on_a_phone(axe_phone_page, live_server, diary_world, console_errors):
    w, page, url = diary_world, axe_phone_page, live_server.url
    moscow = ZoneInfo("Europe/Moscow")
    with time_machine.travel(dt.datetime.combine(WED, dt.time(19, 0), tzinfo=moscow), tick=True):
        sign_in(page, url, w.guardian_user.username, PASSWORD)
        page.goto(f"{url}/diary/")
        page.wait_for_load_state()
        first, second = w.sibling, w.student  # the tabs' order: Анна, then Максим
        assert heading(page) == f"Дневник: {first.full_name}"
        assert page.get_by_text("Сегодня", exact=True).count() >= 1
        assert page_width(page) <= 360, "the week page scrolls sideways"
        assert axe_serious(page) == []

        page.locator("nav.diary-children").get_by_role("link", name="Максим").click()
        page.wait_for_load_state()
        assert heading(page) == f"Дневник: {second.full_name}"
        mark = page.locator("details.diary-mark").first
        mark.locator("summary").click()
        assert mark.locator("dl").is_visible() and "Вес" in mark.inner_text()
        assert page_width(page) <= 360

        page.get_by_role("button", name="Ознакомлен").click()
        page.wait_for_load_state()
        assert page.get_by_text("Вы ознакомлены с этой неделей 09.09.2026").is_visible()
        assert WeekAcknowledgement.objects.filter(student=second, guardian_user=w.guardian_user).count() == 1
        assert axe_serious(page) == []

        page.locator("nav.diary-sections").get_by_role("link", name="Отметки").click()
        page.wait_for_load_state()
        assert heading(page) == f"Отметки: {second.full_name}"
        assert page.get_by_role("table", name="Отметки за 1 четверть").is_visible()
        assert axe_serious(page) == []
    assert console_errors == []
