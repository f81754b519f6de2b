"""Must show: a teacher opens today's lesson from «Сегодня» and fills the journal with the keyboard only.

Topic, homework and a column of marks with two absences are typed without the
mouse; the averages change after each save; a reload shows everything saved.
The clock is frozen (ticking) on a Wednesday of the first quarter.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from ejournal.journal.models import Attendance, ChangeRecord, Homework, Mark
from ejournal.journal.services import work_types_ensure
from ejournal.testing import PASSWORD, make_student
from ejournal.timetable.tests.helpers import assignment, bells, lesson

from .pages import open_menu, sign_in

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 9, 16)  # Wednesday, first quarter (01.09–25.10.2026)
MONDAY = TODAY - dt.timedelta(days=2)


@pytest.fixture
def maths_today(browser_world):
    """5 «А»: six students, maths on Monday (Абрамов has a 3) and today, 1st lesson."""
    w = browser_world
    for last, first in (("Абрамов", "Артём"), ("Васильева", "Вера"), ("Григорьев", "Глеб"), ("Дмитриева", "Дина")):
        setattr(w, last, make_student(w.cls, last, first))
    a = assignment(w, teacher=w.teacher, name="Математика", hours="5")
    bells(w, numbers=range(1, 7))
    monday = lesson(w, a, MONDAY, 2)
    w.today_lesson = lesson(w, a, TODAY, 1)
    answer = work_types_ensure(w.school)["answer"]
    Mark.objects.create(school=w.school, lesson=monday, student=w.Абрамов, value=3, work_type=answer,
                        weight=Decimal("1"), created_by=w.teacher)  # fmt: skip
    moscow = ZoneInfo("Europe/Moscow")
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(9, 30), tzinfo=moscow), tick=True):
        yield w


def test_teacher_fills_todays_lesson_with_the_keyboard_only(page, live_server, maths_today, console_errors):
    w, url = maths_today, live_server.url
    sign_in(page, url, w.teacher.username, PASSWORD)
    open_menu(page, "Сегодня")
    page.locator("table.tt-today-list").get_by_role("link", name="Математика").click()
    page.wait_for_load_state()
    grid = page.locator("#j-grid")
    expect(grid).to_be_visible()
    first = page.locator(f"#c-{w.Абрамов.pk}-{w.today_lesson.pk}")
    expect(first).to_be_focused()  # the journal opens at today's column
    average = page.locator(f"#wa-{w.Абрамов.pk}")
    expect(average).to_have_text("3,00")

    # Topic and homework: back to the column header with Shift+Tab, Enter opens the lesson panel.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(f"#lh-{w.today_lesson.pk} button")).to_be_focused()
    page.keyboard.press("Enter")
    topic = page.get_by_label("Тема урока")
    expect(topic).to_be_focused()
    page.keyboard.type("Сложение натуральных чисел")
    page.keyboard.press("Enter")
    expect(page.locator("#j-panel")).to_contain_text("Тема урока сохранена.")
    expect(topic).to_be_focused()
    for _ in range(3):  # the control-work box, «Сохранить тему», then the homework text
        page.keyboard.press("Tab")
    expect(page.get_by_label("Домашнее задание")).to_be_focused()
    page.keyboard.type("№ 15, 16 на с. 24")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#j-panel")).to_contain_text("Домашнее задание сохранено.")
    expect(page.locator(f"#lh-{w.today_lesson.pk}")).to_contain_text("Сложение натуральных")
    page.keyboard.press("Escape")
    expect(first).to_be_focused()

    # A column of marks and two absences, Enter after each (the cursor goes down).
    for value in ("5", "4", "н", "5", "н", "3"):
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    column = page.locator(f'#j-grid input.jc[data-l="{w.today_lesson.pk}"]')
    expect(column).to_have_count(6)
    for n in range(6):
        expect(column.nth(n)).to_have_class("jc jc-saved" if n not in (2, 4) else "jc jc-absent jc-saved")
    expect(average).to_have_text("4,00")  # (3 + 5) / 2
    expect(page.locator(f"#wa-{w.student.pk}")).to_have_text("3,00")  # Орлов, last in the list

    page.reload()
    expect(page.locator(f"#c-{w.Абрамов.pk}-{w.today_lesson.pk}")).to_have_value("5")
    expect(page.locator(f"#c-{w.Дмитриева.pk}-{w.today_lesson.pk}")).to_have_value("н")
    expect(page.locator(f"#lh-{w.today_lesson.pk}")).to_contain_text("ДЗ")
    assert Mark.objects.filter(lesson=w.today_lesson).count() == 4
    assert set(Attendance.objects.values_list("student__last_name", "code")) == {("Васильева", "н"), ("Дмитриева", "н")}
    assert Homework.objects.get(lesson=w.today_lesson).text == "№ 15, 16 на с. 24"
    w.today_lesson.refresh_from_db()
    assert w.today_lesson.topic == "Сложение натуральных чисел"
    assert not console_errors


def test_on_a_phone_the_journal_shows_one_lesson_with_big_inputs(phone_page, live_server, maths_today,
                                                                 console_errors):  # fmt: skip
    w, url, page = maths_today, live_server.url, phone_page
    sign_in(page, url, w.teacher.username, PASSWORD)
    page.goto(f"{url}/journal/lesson/{w.today_lesson.pk}/")
    toggle = page.locator("#j-one-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "true")  # narrow screen: one lesson at a time
    today_cells = page.locator(f'#j-grid input.jc[data-l="{w.today_lesson.pk}"]')
    monday_cells = page.locator('#j-grid input.jc[data-col="0"]')
    expect(today_cells.first).to_be_visible()
    expect(monday_cells.first).to_be_hidden()
    assert today_cells.first.bounding_box()["height"] >= 50
    expect(today_cells.first).to_be_focused()
    page.keyboard.type("5")
    page.keyboard.press("Enter")  # same save, same endpoint; the cursor goes down
    expect(today_cells.first).to_have_class("jc jc-saved")
    expect(today_cells.nth(1)).to_be_focused()
    page.locator("#j-one-prev").click()  # Monday's lesson: Абрамов's 3
    expect(monday_cells.first).to_be_visible()
    expect(monday_cells.first).to_have_value("3")
    expect(today_cells.first).to_be_hidden()
    toggle.click()  # the whole grid again
    expect(today_cells.first).to_be_visible()
    expect(monday_cells.first).to_be_visible()
    assert Mark.objects.filter(lesson=w.today_lesson, value=5).count() == 1
    assert not console_errors


def test_lesson_panel_shows_the_saved_due_date_and_saving_it_unchanged_keeps_it(page, live_server, maths_today,
                                                                                 console_errors):  # fmt: skip
    w, url = maths_today, live_server.url
    due = TODAY + dt.timedelta(days=2)  # Friday; left empty, the date would default to a week later
    Homework.objects.create(school=w.school, lesson=w.today_lesson, school_class=w.cls, text="№ 15, 16",
                            due_date=due, created_by=w.teacher)  # fmt: skip
    sign_in(page, url, w.teacher.username, PASSWORD)
    page.goto(f"{url}/journal/lesson/{w.today_lesson.pk}/")
    page.locator(f"#lh-{w.today_lesson.pk} button").click()
    due_input = page.get_by_label("К дате")
    expect(due_input).to_have_value("2026-09-18")  # the browser's date field shows the saved date
    assert due_input.evaluate("e => e.valueAsDate && e.valueAsDate.toISOString().slice(0, 10)") == "2026-09-18"
    page.get_by_role("button", name="Сохранить задание").click()
    expect(page.locator("#j-panel")).to_contain_text("Домашнее задание сохранено.")
    assert Homework.objects.get(lesson=w.today_lesson).due_date == due
    assert not ChangeRecord.objects.filter(entity="homework").exists()
    assert not console_errors


def test_a_save_answered_by_a_server_error_shows_the_failure_and_leaving_asks_first(page, live_server, maths_today,
                                                                                    console_errors):  # fmt: skip
    """The save endpoint answers 500 (then a 503 of a database outage): the cell is marked failed, never left
    «saving…», the status line says so with the retry hint, and leaving the page asks first. Enter retries."""
    w, url = maths_today, live_server.url
    sign_in(page, url, w.teacher.username, PASSWORD)
    page.goto(f"{url}/journal/lesson/{w.today_lesson.pk}/")
    cell = page.locator(f"#c-{w.Абрамов.pk}-{w.today_lesson.pk}")
    status = page.locator("#j-status")

    page.route("**/cells/", lambda route: route.fulfill(status=500, content_type="text/html", body="<h1>500</h1>"))
    cell.click()
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(cell).to_have_class("jc jc-dirty jc-failed")
    expect(status).to_have_text("Ошибка сервера: не сохранено. Нажмите Enter в ячейке, чтобы повторить.")
    expect(status).to_have_class("j-status j-err")
    assert not Mark.objects.filter(lesson=w.today_lesson).exists()

    page.unroute("**/cells/")
    page.route("**/cells/", lambda route: route.fulfill(status=503, headers={"Retry-After": "30"},
                                                          content_type="text/plain; charset=utf-8",
                                                          body="Сервис временно недоступен: не сохранено."))  # fmt: skip
    cell.click()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Сервис временно недоступен: не сохранено.")
    expect(cell).to_have_class("jc jc-dirty jc-failed")

    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator("a.brand").click()  # leaving with a failed cell: the browser asks, and we stay
    expect(cell).to_be_visible()
    assert dialogs == ["beforeunload"]

    page.unroute("**/cells/")
    cell.click()
    page.keyboard.press("Enter")  # the retry the message promised
    expect(page.locator(f"#c-{w.Абрамов.pk}-{w.today_lesson.pk}")).to_have_class("jc jc-saved")
    assert Mark.objects.filter(lesson=w.today_lesson, student=w.Абрамов, value=4).count() == 1
    assert [e for e in console_errors if "/cells/" not in e and "responseError" not in e] == []
