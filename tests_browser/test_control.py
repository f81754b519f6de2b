"""The deputy head's filling control: the dashboard of a month, the drill-down to a lesson's cell in the journal,
the справка (inspection note) — on the hand-made September whose answers are known."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ejournal.access.roles import Role
from ejournal.control.tests.data import september
from ejournal.testing import PASSWORD

from .pages import choose_role, heading, open_menu, press, sign_in

pytestmark = pytest.mark.browser

MSK = ZoneInfo("Europe/Moscow")


def _total(page, label: str) -> str:
    return page.locator("tr", has_text=label).locator("td").nth(1).inner_text().strip()


def test_deputy_head_finds_a_late_topic_in_the_journal_and_prints_the_note(page, live_server, browser_world,
                                                                           console_errors):  # fmt: skip
    w = browser_world
    d = september(w)
    late_topic = d.lessons[1]  # 08.09: the topic was written a day late
    with time_machine.travel(dt.datetime(2026, 10, 5, 10, tzinfo=MSK), tick=True):
        sign_in(page, live_server.url, "deputy", PASSWORD)
        choose_role(page, Role.DEPUTY_HEAD)
        open_menu(page, "Контроль журнала")
        assert heading(page) == "Контроль заполнения журнала"
        page.get_by_label("Месяц").fill("2026-09")
        press(page, "Показать")
        assert "Проведено 4 урока." in page.locator("main").inner_text()
        assert _total(page, "Тема урока не записана в срок") == "2"  # L2 a day late, L4 none
        assert _total(page, "Посещаемость не отмечена в срок") == "1"
        assert _total(page, "Отметки выставлены после срока") == "1"

        # Drill down: the teacher's findings, then the lesson of 08.09 in the journal grid.
        page.locator("main table").nth(1).get_by_role("link", name=w.teacher.get_full_name()).click()
        page.wait_for_load_state()
        assert heading(page) == "Нарушения заполнения журнала"
        row = page.locator("tr", has_text="Тема урока не записана в срок").filter(has_text="08.09.2026")
        assert row.count() == 1
        assert w.teacher.get_full_name() in row.inner_text() and "5 «А»" in row.inner_text()
        row.get_by_role("link", name="открыть").click()
        page.wait_for_load_state()
        assert page.url.endswith(f"#lh-{late_topic.pk}")
        assert page.locator(f"#lh-{late_topic.pk}").is_visible()

        # The справка of the month.
        page.go_back()
        page.get_by_role("link", name="← Контроль заполнения журнала").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="Справка о проверке", exact=True).click()
        page.wait_for_load_state()
        assert heading(page) == "Справка о проверке электронного журнала"
        note = page.locator("article.document").inner_text()
        assert "Период проверки: с 01.09.2026 по 30.09.2026." in note
        assert "Проверено 4 проведённых урока." in note
        assert w.school.full_name in note and w.teacher.get_full_name() in note
    assert not console_errors
