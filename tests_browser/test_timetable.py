"""Must show: the deputy head builds 5 «А»'s week, generates its lessons, the teacher sees them, a substitution shows.

The clock is frozen (ticking) at a Wednesday of the second quarter: «Сегодня»,
the editor's default date and the current week all follow it, in the live
server's thread too (time-machine patches the clock process-wide).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from ejournal.testing import PASSWORD
from ejournal.timetable.models import Lesson, TimetableEntry
from ejournal.timetable.tests.helpers import assignment, bells, entry, holiday, line, room

from .pages import heading, open_menu, sign_in, sign_out

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 18)  # Wednesday; the second quarter runs 05.11–28.12.2026
MONDAY = TODAY - dt.timedelta(days=2)
HOLIDAY = TODAY + dt.timedelta(days=1)  # Thursday: a school day without lessons
MON, TUE, WED, THU, FRI = range(1, 6)
MATHS = "Математика (Попова Е.С.)"
RUSSIAN = "Русский язык (Волков И.Н.)"


@pytest.fixture
def school_week(browser_world):
    """5 «А» with its plan, assignments, bells, rooms and a holiday; 5 «Б» has Волков on Wednesday, 2nd lesson."""
    w = browser_world
    line(w, name="Математика", hours="6")
    line(w, name="Русский язык", hours="5")
    assignment(w, teacher=w.teacher, name="Математика", hours="6")
    assignment(w, teacher=w.other_teacher, name="Русский язык", hours="5")
    entry(w, assignment(w, cls=w.other_cls, teacher=w.other_teacher, name="Русский язык"), weekday=WED, number=2)
    bells(w, numbers=range(1, 7))  # 1st lesson 08:25–09:05, then every 55 minutes
    w.room_maths, w.room_russian = room(w, "101"), room(w, "102")
    holiday(w, HOLIDAY, HOLIDAY, school=w.school)
    moscow = ZoneInfo("Europe/Moscow")
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(9, 30), tzinfo=moscow), tick=True):
        yield w


def editor_cell(page, weekday: int, number: int):
    return page.locator("table.tt-edit tbody tr").nth(number - 1).locator("td").nth(weekday - 1)


def week_cells(page, weekday: int):
    """The lessons of one day in a week view (the first column holds the lesson numbers)."""
    return page.locator(f"table.tt-grid tbody tr td:nth-child({weekday + 1}) .tt-lesson")


def put_lesson(page, weekday: int, number: int, what: str, room_name: str) -> None:
    """Click the cell, pick the assignment and the room in the side panel, save."""
    editor_cell(page, weekday, number).get_by_role("link").click()
    form = page.locator(f"#tt-panel form[action$='/edit/{weekday}/{number}/']")
    form.get_by_label("Предмет и учитель").select_option(label=what)
    form.locator("select[name=room]").select_option(label=room_name)
    form.get_by_role("button", name="Сохранить", exact=True).click()


def test_deputy_head_builds_the_week_and_the_teacher_sees_the_lessons(page, live_server, school_week, console_errors):
    w, url = school_week, live_server.url

    # The deputy head opens 5 «А»'s editor and makes the changes take effect from Monday.
    sign_in(page, url, w.deputy_head.username, PASSWORD)
    open_menu(page, "Расписание")
    page.locator("ul.tt-links li", has_text="5 «А»").get_by_role("link", name="составить").click()
    assert heading(page) == "Расписание 5 «А»"
    page.get_by_label("Изменения действуют с").fill(MONDAY.isoformat())
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url(f"**/edit/?from={MONDAY.isoformat()}")

    week = [(MON, 1, MATHS, "101"), (MON, 2, RUSSIAN, "102"), (TUE, 1, MATHS, "101"), (WED, 1, MATHS, "101")]
    week += [(WED, 3, MATHS, "101"), (THU, 1, MATHS, "101"), (FRI, 1, MATHS, "101")]
    for weekday, number, what, room_name in week:
        put_lesson(page, weekday, number, what, room_name)
        short = "Матем." if what == MATHS else "Рус. яз."
        expect(editor_cell(page, weekday, number)).to_contain_text(f"{short} {what[what.index('(') + 1 : -1]}")
    expect(editor_cell(page, MON, 1)).to_contain_text("каб. 101")

    # Волков already teaches 5 «Б» on Wednesday, 2nd lesson: a warning, and nothing saved until confirmed.
    put_lesson(page, WED, 2, RUSSIAN, "102")
    warning = page.locator("#tt-panel [role=alert]")
    expect(warning).to_contain_text("Среда, 2 урок: учитель Волков И.Н. в это время уже ведёт урок в 5 «Б».")
    expect(editor_cell(page, WED, 2)).to_have_text("+")
    assert not TimetableEntry.objects.filter(school_class=w.cls, weekday=WED, lesson_number=2).exists()
    page.get_by_role("button", name="Сохранить всё равно").click()
    expect(editor_cell(page, WED, 2)).to_contain_text("Рус. яз. Волков И.Н.")
    assert TimetableEntry.objects.filter(school_class=w.cls, valid_from=MONDAY).count() == 8

    # Lessons with dates for the second quarter.
    open_menu(page, "Расписание")
    page.get_by_role("link", name="Формирование уроков").click()
    page.get_by_label("Период").select_option(label="2 четверть (1–11 кл.): 05.11.2026 – 28.12.2026")
    page.get_by_role("button", name="Сформировать").click()
    expect(page.locator(".messages")).to_contain_text("Уроки сформированы.")
    # 5 «А» from 16.11: 7 Mondays × 2 + 6 Tuesdays + 6 Wednesdays × 3 + (6 − 1 holiday) Thursdays + 6 Fridays = 49;
    # 5 «Б»: the 7 Wednesdays from 05.11.
    assert Lesson.objects.count() == 56
    for label, count in (("создано", "56"), ("обновлено", "0"), ("удалено (без данных)", "0")):
        expect(page.locator(".grid .card", has_text=label).locator(".stat")).to_have_text(count)
    expect(page.get_by_text("05.11.2026 – 28.12.2026", exact=True)).to_be_visible()
    sign_out(page)

    # The teacher's «Сегодня»: both mathematics lessons of the day, with bells and the room.
    sign_in(page, url, w.teacher.username, PASSWORD)
    open_menu(page, "Сегодня")
    assert heading(page) == "Сегодня, среда, 18.11.2026"
    rows = page.locator("table.tt-today-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_text("1 08:25–09:05 5 «А» Математика 101 —")
    expect(rows.nth(1)).to_have_text("3 10:15–10:55 5 «А» Математика 101 —")

    # The class week: lessons every day but the holiday.
    open_menu(page, "Расписание")
    page.locator("ul.tt-links").get_by_role("link", name="5 «А»", exact=True).click()
    expect(page.get_by_role("columnheader").nth(THU)).to_have_accessible_name("Чт 19.11.2026")
    expect(week_cells(page, THU)).to_have_count(0)
    for weekday, lessons in ((MON, 2), (TUE, 1), (WED, 3), (FRI, 1)):
        expect(week_cells(page, weekday)).to_have_count(lessons)
    sign_out(page)

    # The deputy head gives Friday's mathematics to Волков.
    sign_in(page, url, w.deputy_head.username, PASSWORD)
    open_menu(page, "Расписание")
    page.locator("ul.tt-links").get_by_role("link", name="5 «А»", exact=True).click()
    week_cells(page, FRI).get_by_role("link", name="Матем.").click()
    assert heading(page) == "Математика, 5 «А»"
    page.get_by_label("Заменяющий учитель").select_option(label="Волков Игорь Николаевич")
    page.get_by_label("Примечание").fill("болезнь")
    page.get_by_role("button", name="Сохранить замену").click()
    expect(page.locator(".messages")).to_contain_text("Замена сохранена.")
    expect(week_cells(page, FRI)).to_contain_text("замена: Волков Игорь Николаевич")
    friday = Lesson.objects.get(school_class=w.cls, date=MONDAY + dt.timedelta(days=4), lesson_number=1)
    assert friday.substitute == w.other_teacher

    assert not console_errors
