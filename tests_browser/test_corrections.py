"""A correction in a closed term, walked in the browser: the teacher types the new value into the closed cell,
files the request from the status line (the panel names the student, the lesson and the current value), the deputy
head sees was → would be and approves it, and the teacher finds the decision in «Мои запросы»."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from ejournal.journal.models import CorrectionRequest, Mark, TermClosure
from ejournal.journal.services import work_types_ensure
from ejournal.testing import PASSWORD
from ejournal.timetable.tests.helpers import assignment, bells, lesson

from .conftest import _new_page
from .pages import open_menu, sign_in

pytestmark = pytest.mark.browser

LESSON_DAY = dt.date(2026, 10, 19)  # Monday of the first quarter's last week (01.09–25.10.2026)
TODAY = dt.date(2026, 10, 28)  # the second quarter; the first is closed


@pytest.fixture
def closed_quarter(browser_world):
    w = browser_world
    a = assignment(w, teacher=w.teacher, name="Математика", hours="5")
    bells(w, numbers=range(1, 4))
    w.day = lesson(w, a, LESSON_DAY, 1)
    answer = work_types_ensure(w.school)["answer"]
    Mark.objects.create(school=w.school, lesson=w.day, student=w.student, value=3, work_type=answer,
                        weight=Decimal("1"), created_by=w.teacher)  # fmt: skip
    w.term = w.school.terms.get(number=1)
    TermClosure.objects.create(school=w.school, term=w.term, closed_by=w.deputy_head)
    w.assignment = a
    moscow = ZoneInfo("Europe/Moscow")
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(15, 0), tzinfo=moscow), tick=True):
        yield w


def test_a_closed_cell_leads_to_a_request_and_its_decision(browser, page, live_server, closed_quarter,
                                                            console_errors):  # fmt: skip
    w, url = closed_quarter, live_server.url
    sign_in(page, url, w.teacher.username, PASSWORD)
    page.goto(f"{url}/journal/{w.assignment.pk}/{w.term.pk}/")
    expect(page.locator(".j-locked")).to_contain_text("закрыт")
    cell = page.locator(f"#c-{w.student.pk}-{w.day.pk}")
    expect(cell).to_have_value("3")
    expect(cell).to_be_editable()
    cell.fill("4")
    cell.press("Enter")
    status = page.locator("#j-status")
    expect(status).to_contain_text("закрыт")
    status.get_by_role("button", name="Запросить исправление").click()
    panel = page.locator("#j-panel")
    expect(panel).to_contain_text(w.student.full_name)
    expect(panel).to_contain_text("19.10.2026")
    expect(panel).to_contain_text("«3»")
    expect(panel).to_contain_text("«4»")
    panel.get_by_label("Причина исправления").fill("Ученик переписал работу")
    panel.get_by_role("button", name="Отправить запрос").click()
    expect(panel).to_contain_text("запрос заместителю директора")
    assert CorrectionRequest.objects.get().current == "3"
    assert Mark.objects.get().value == 3  # nothing changes before the decision

    context, deputy = _new_page(browser, console_errors)
    sign_in(deputy, url, w.deputy_head.username, PASSWORD)
    open_menu(deputy, "Исправления")
    row = deputy.locator("table.j-queue tbody tr").first
    expect(row).to_contain_text("было «3»")
    expect(row).to_contain_text("станет «4»")
    expect(row).to_contain_text(w.student.full_name)
    row.get_by_role("button", name="Разрешить").click()
    deputy.wait_for_load_state()
    expect(deputy.locator(".messages")).to_contain_text("Исправление разрешено")
    context.close()

    page.goto(f"{url}/")
    expect(page.locator("main")).to_contain_text("Рассмотрен 1 ваш запрос")
    open_menu(page, "Мои запросы")
    mine = page.locator("table.j-mine tbody tr").first
    expect(mine).to_contain_text("разрешено")
    expect(mine).to_contain_text("новое решение")
    # approved: typing the same value again goes through
    page.goto(f"{url}/journal/{w.assignment.pk}/{w.term.pk}/")
    cell = page.locator(f"#c-{w.student.pk}-{w.day.pk}")
    cell.fill("4")
    cell.press("Enter")
    expect(page.locator("#j-status")).to_contain_text("Сохранено")
    assert Mark.objects.get().value == 4
    # the cell's history: Russian labels and values, the reason visible inside the side panel
    cell.focus()
    page.get_by_role("button", name="История клетки").click()
    history = page.locator("#j-panel .j-history")
    expect(history).to_contain_text("Отметка: 3 → 4")
    expect(history).to_contain_text("Причина: Ученик переписал работу")
    for internal in ("value", "work_type", "создание"):
        assert internal not in history.inner_text()
    box = page.locator("#j-panel").evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert box[0] <= box[1] + 1, box  # nothing runs out of the panel
    refused = [e for e in console_errors if e.startswith("HTTP 400: POST") and e.endswith("/cells/")]
    assert len(refused) == 1 and len(console_errors) == 1, console_errors  # only the closed cell's refusal
