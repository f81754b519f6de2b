"""The methodist's monitoring: the city, a district, a school, a teacher — the figures of the hand-made September;
the methodist reads but has nothing to edit, and a POST is refused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ejournal.access.roles import Role
from ejournal.control.tests.data import september
from ejournal.testing import PASSWORD
from ejournal.timetable.models import Lesson

from .pages import choose_role, heading, open_menu, press, sign_in

pytestmark = pytest.mark.browser

MSK = ZoneInfo("Europe/Moscow")


def _cells(row) -> list[str]:
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def _follow(page, name: str) -> None:
    page.locator("main").get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()


def test_methodist_drills_down_to_a_teacher_and_cannot_edit(page, live_server, browser_world, console_errors):
    w = browser_world
    d = september(w)
    Lesson.objects.filter(pk=d.lessons[3].pk).update(substitute=w.other_teacher)  # L4 held on substitution
    teacher = w.teacher.get_full_name()
    with time_machine.travel(dt.datetime(2026, 10, 5, 10, tzinfo=MSK), tick=True):
        sign_in(page, live_server.url, "method", PASSWORD)
        choose_role(page, Role.METHODIST)
        open_menu(page, "Мониторинг")
        assert heading(page) == "Мониторинг внедрения"
        page.get_by_label("Месяц", exact=True).select_option("9")
        press(page, "Показать")
        assert page.locator("tr[data-unit='Западный']").count() == 1
        assert page.locator("tr[data-unit='Карасунский']").count() == 1

        _follow(page, "Западный")
        assert heading(page) == "Мониторинг: Западный округ"
        _follow(page, "СОШ № 1")
        assert heading(page) == "Мониторинг: СОШ № 1"
        teachers = page.locator("table.teachers")
        first = teachers.locator(f"tr[data-teacher='{teacher}']")
        # Place, lessons, topic, homework, attendance, marks, late marks, density, flags.
        assert _cells(first)[:8] == ["1", "3", "66,7 %", "66,7 %", "66,7 %", "3", "0,0 %", "50,0 %"]
        second = teachers.locator(f"tr[data-teacher='{w.other_teacher.get_full_name()}']")
        assert _cells(second)[:2] == ["2", "1"]
        assert "отметки с опозданием: 100,0 % > 10 %" in _cells(second)[-1]

        _follow(page, teacher)
        assert heading(page) == f"Мониторинг: {teacher}, СОШ № 1"
        lessons = page.locator("tr[data-indicator='lessons_total']")
        assert _cells(lessons)[-2:] == ["—", "3"]  # August, September (the chart's last months)
        assert page.locator("svg.line-chart polyline, svg.line-chart circle").count() >= 1

        # Nothing to edit: only the period's GET form, and a POST (with a valid CSRF token) is refused.
        assert page.locator("main form[method='post']").count() == 0
        assert page.locator("main form").evaluate_all("forms => forms.map(f => f.method)") == ["get"]
        token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
        refused = page.request.post(page.url, headers={"X-CSRFToken": token, "Referer": page.url})
        assert refused.status == 405
    assert not console_errors


def test_the_school_history_comes_from_the_journal_for_every_past_month(page, live_server, browser_world,
                                                                         console_errors):  # fmt: skip
    """Data since September, no month accepted yet: September, October and November all show, as on the teacher
    page (the issue: only a month with an accepted report showed)."""
    w = browser_world
    september(w)  # four lessons held in September (two topics on time), one in October
    with time_machine.travel(dt.datetime(2026, 11, 15, 10, tzinfo=MSK), tick=True):
        sign_in(page, live_server.url, "district", PASSWORD)
        choose_role(page, Role.DISTRICT_OFFICER)
        open_menu(page, "Мониторинг")
        page.get_by_label("Месяцев на графике").fill("3")
        press(page, "Показать")
        _follow(page, "СОШ № 1")
        assert heading(page) == "Мониторинг: СОШ № 1"
        lessons = page.locator("table.indicators tr[data-indicator='lessons_total']")
        assert _cells(lessons) == ["4", "1", "0"]  # September, October, November
        topics = page.locator("table.indicators tr[data-indicator='lessons_topic_on_time_pct']")
        assert _cells(topics)[0] == "50,0 %"
        page.get_by_label("Показатель").select_option("lessons_total")
        press(page, "Показать")
        assert page.locator("table.indicators tr[data-indicator='lessons_total'] td").all_inner_texts() == [
            "4", "1", "0"
        ]  # fmt: skip
    assert not console_errors
