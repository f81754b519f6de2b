"""Must show: actions on many ask first, with the safe choice focused, and cancelling changes nothing.

New passwords for a class's parents, closing a term, confirming all term marks: each shows a question page
that says what will be done and to how many, with «Отмена» focused (Enter cancels). Clearing a mark in the
journal grid is saved at once and undone with «Вернуть» or Ctrl+Z. The clock is frozen (ticking).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from ejournal.access.roles import Role
from ejournal.journal.models import Mark, PeriodMark, TermClosure
from ejournal.journal.services import work_types_ensure
from ejournal.testing import PASSWORD
from ejournal.timetable.tests.helpers import assignment, bells, lesson

from .pages import choose_role, heading, sign_in

pytestmark = pytest.mark.browser

MSK = ZoneInfo("Europe/Moscow")


def _frozen(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), tzinfo=MSK), tick=True)


def _question(page, *lines: str) -> None:
    """The question page: its lines are shown and «Отмена» has the focus."""
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    for line in lines:
        expect(dialog).to_contain_text(line)
    expect(page.get_by_role("link", name="Отмена", exact=True)).to_be_focused()


def test_new_passwords_for_a_class_ask_first_and_enter_cancels(page, live_server, browser_world, console_errors):
    w, url = browser_world, live_server.url
    sign_in(page, url, w.teacher.username, PASSWORD)
    choose_role(page, Role.CLASS_TEACHER)
    slips = f"{url}{reverse('people:class_slips', args=[w.cls.pk])}"
    page.goto(slips)
    page.get_by_label("родителям обучающихся класса").check()
    page.get_by_label("Выдать новые пароли и тем, у кого логин уже есть", exact=False).check()
    page.get_by_role("button", name="Выдать и распечатать").click()
    _question(page, "1 человек получит новый пароль", "прежний пароль перестанет действовать")
    page.keyboard.press("Enter")  # the focused, safe choice
    page.wait_for_url(f"**{reverse('people:class_detail', args=[w.cls.pk])}")
    w.guardian_user.refresh_from_db()
    assert w.guardian_user.check_password(PASSWORD) and not w.guardian_user.must_change_password

    page.goto(slips)
    page.get_by_label("родителям обучающихся класса").check()
    page.get_by_label("Выдать новые пароли и тем, у кого логин уже есть", exact=False).check()
    page.get_by_role("button", name="Выдать и распечатать").click()
    page.get_by_role("button", name="Выдать 1 лист").click()
    page.wait_for_url(f"**{reverse('people:slips')}")
    w.guardian_user.refresh_from_db()
    assert not w.guardian_user.check_password(PASSWORD) and w.guardian_user.must_change_password
    assert console_errors == []


def test_closing_a_term_offers_one_class_and_asks_first(page, live_server, browser_world, console_errors):
    w, url = browser_world, live_server.url
    with _frozen(dt.date(2026, 11, 10)):  # the first quarter ended on 25.10; the second one runs
        sign_in(page, url, w.deputy_head.username, PASSWORD)
        choose_role(page, Role.DEPUTY_HEAD)
        page.goto(f"{url}{reverse('journal:terms')}")
        first = page.locator("section.card").filter(has_text="25.10.2026")
        expect(first.get_by_label("Класс")).to_have_value(str(w.cls.pk))  # one class, not the whole school
        expect(page.locator("section.card").filter(has_text="28.12.2026")).to_contain_text("закрыть можно с 29.12.2026")
        first.get_by_role("button", name="Закрыть период…").click()
        _question(page, "Закрыть период «1 четверть» (класс 5 «А»)?", "для 1 класса: 5 «А»", "25.10.2026")
        page.get_by_role("link", name="Отмена", exact=True).click()
        page.wait_for_url(f"**{reverse('journal:terms')}")
        assert heading(page) == "Закрытие периодов" and not TermClosure.objects.exists()

        first = page.locator("section.card").filter(has_text="25.10.2026")
        first.get_by_role("button", name="Закрыть период…").click()
        page.get_by_role("button", name="Закрыть период", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("закрыт")
    assert TermClosure.objects.get().school_class == w.cls
    assert console_errors == []


@pytest.fixture
def maths_term(browser_world):
    """5 «А» maths, 5 h/week: Орлов has five marks in September (a suggested «4»)."""
    w = browser_world
    a = assignment(w, teacher=w.teacher, name="Математика", hours="5")
    bells(w, numbers=range(1, 7))
    days = [dt.date(2026, 9, d) for d in (14, 15, 16, 17, 18)]
    lessons = [lesson(w, a, day, 1) for day in days]
    answer = work_types_ensure(w.school)["answer"]
    Mark.objects.bulk_create(
        Mark(school=w.school, lesson=day, student=w.student, value=v, work_type=answer, weight=Decimal("1"),
             created_by=w.teacher)
        for day, v in zip(lessons, [5, 4, 4, 5, 4], strict=True)
    )  # fmt: skip
    w.assignment, w.lessons = a, lessons
    return w


def _grid(page, url, w):
    term = w.school.terms.get(number=1)
    sign_in(page, url, w.teacher.username, PASSWORD)
    choose_role(page, Role.TEACHER)
    page.goto(f"{url}{reverse('journal:grid', kwargs={'assignment_id': w.assignment.pk, 'term_id': term.pk})}")
    expect(page.locator("#j-grid")).to_be_visible()


def test_confirm_all_before_the_term_ends_says_when_it_ends_and_cancel_sets_nothing(
    page, live_server, maths_term, console_errors
):
    w, url = maths_term, live_server.url
    with _frozen(dt.date(2026, 10, 5)):
        _grid(page, url, w)
        page.get_by_role("button", name="Подтвердить все предложенные").click()
        _question(page, "будет выставлена 1 ученику", "заканчивается 25.10.2026")
        page.get_by_role("link", name="Отмена", exact=True).click()
        page.wait_for_url("**/journal/**")
        expect(page.locator("#j-grid")).to_be_visible()
    assert not PeriodMark.objects.exists()
    assert console_errors == []


def _saved(page, selector: str) -> None:
    """Wait for the cell's save to be answered (the answer swaps the cell in anew, without «saving»)."""
    page.wait_for_function(
        "s => { const c = document.querySelector(s); return c && !c.classList.contains('jc-saving'); }", arg=selector
    )


def test_a_cleared_mark_is_saved_and_taken_back_with_ctrl_z(page, live_server, maths_term, console_errors):
    w, url = maths_term, live_server.url
    last = w.lessons[-1]
    with _frozen(last.date):
        _grid(page, url, w)
        cell = page.locator(f"#c-{w.student.pk}-{last.pk}")
        expect(cell).to_have_value("4")
        cell.focus()
        page.keyboard.press("Delete")
        undo = page.locator("#j-undo")
        expect(undo).to_be_visible()
        expect(undo).to_contain_text("«4»")
        _saved(page, f"#c-{w.student.pk}-{last.pk}")
        assert not Mark.objects.filter(lesson=last).exists()
        page.keyboard.press("Control+z")
        expect(undo).to_be_hidden()
        expect(page.locator(f"#c-{w.student.pk}-{last.pk}")).to_have_value("4")
        _saved(page, f"#c-{w.student.pk}-{last.pk}")
        assert Mark.objects.get(lesson=last).value == 4

        cell = page.locator(f"#c-{w.student.pk}-{last.pk}")
        cell.focus()
        page.keyboard.press("Delete")
        _saved(page, f"#c-{w.student.pk}-{last.pk}")
        undo.get_by_role("button", name="Вернуть").click()
        expect(undo).to_be_hidden()
        _saved(page, f"#c-{w.student.pk}-{last.pk}")
    assert Mark.objects.get(lesson=last).value == 4
    assert console_errors == []
