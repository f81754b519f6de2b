"""Must show: the teacher confirms year marks — one by one and «принять предложенные» for the class.

In the last week of the year (the window opens 14 days before the last term ends), the maths teacher of
5 «А» opens the journal, goes to «Год», sees the suggested year marks, sets one by hand, accepts the rest
after the question page, and the class teacher's year view shows them. Then at 360 px and with axe-core.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from ejournal.journal.models import ChangeRecord, PeriodKind, PeriodMark
from ejournal.schools.models import Term
from ejournal.testing import PASSWORD, make_student
from ejournal.timetable.tests.helpers import assignment, subject

from .conftest import PHONE, _new_page
from .pages import page_width, sign_in
from .test_diary import axe_serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = dt.date(2027, 5, 20)  # the year's window: 12.05–26.05.2027


@pytest.fixture
def year_world(browser_world):
    """5 «А» maths: Орлов 5 4 5 4 (suggested 4), Белова 4 н/а 4 5 (to decide), Абрамов 5 5 5 4 (suggested 5)."""
    w = browser_world
    w.a = assignment(w, teacher=w.teacher, name="Математика", hours="5")
    w.abramov = make_student(w.cls, "Абрамов", "Артём")
    for student, values in ((w.student, "5454"), (w.classmate, "4н45"), (w.abramov, "5554")):
        for number, value in enumerate(values, start=1):
            PeriodMark.objects.create(
                school=w.school, year=w.year, student=student, school_class=w.cls, subject=subject("Математика"),
                term=Term.objects.get(school=w.school, number=number), kind=PeriodKind.TERM,
                value="н/а" if value == "н" else value, confirmed_by=w.teacher, confirmed_at=timezone.now(),
            )  # fmt: skip
    moscow = ZoneInfo("Europe/Moscow")
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10, 0), tzinfo=moscow), tick=True):
        yield w


def test_teacher_confirms_year_marks_one_by_one_and_for_the_class(page, live_server, year_world, console_errors):
    w, url = year_world, live_server.url
    sign_in(page, url, w.teacher.username, PASSWORD)
    page.goto(f"{url}/journal/")
    page.get_by_role("link", name="4 четверть").first.click()
    page.wait_for_load_state()
    page.locator("nav.j-terms").get_by_role("link", name="Год", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("main h1")).to_contain_text("годовые и итоговые отметки")
    orlov = page.locator(f"#y-{w.student.pk}")
    expect(orlov).to_contain_text("предложено: 4 (4,50)")
    expect(page.locator(f"#y-{w.classmate.pk}")).to_contain_text("⚠")

    # One by one: Белова's year mark is the teacher's decision (н/а in the 2nd term).
    belova = page.get_by_label("Годовая: Белова Дарья Игоревна")
    expect(belova).to_have_value("")
    belova.select_option("4")
    page.locator(f"#y-{w.classmate.pk} td[data-kind=year]").get_by_role("button", name="Выставить").click()
    page.wait_for_load_state()
    expect(page.locator("ul.messages")).to_contain_text("Белова Дарья Игоревна: годовая отметка «4» сохранена.")

    # The rest of the class: the question first, then the marks.
    page.get_by_role("button", name="Принять предложенные годовые").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("будет выставлена 2 ученикам")
    expect(page.locator("main")).to_contain_text("У 1 ученика отметка уже стояла")
    expect(page.get_by_role("link", name="Отмена")).to_be_focused()
    page.get_by_role("button", name="Выставить 2 отметки").click()
    page.wait_for_load_state()
    expect(page.locator("ul.messages")).to_contain_text("Выставлено 2 отметки (годовая).")
    expect(page.locator(f"#y-{w.abramov.pk} td[data-kind=year] strong")).to_have_text("5")
    marks = dict(PeriodMark.objects.filter(kind=PeriodKind.YEAR).values_list("student_id", "value"))
    assert marks == {w.classmate.pk: "4", w.student.pk: "4", w.abramov.pk: "5"}
    assert ChangeRecord.objects.filter(entity="period_mark", field="year").count() == 3

    # The class teacher's year view shows them.
    page.goto(f"{url}/journal/class/{w.cls.pk}/year/")
    row = page.locator("tr", has_text="Абрамов Артём")
    expect(row).to_contain_text("5")
    assert console_errors == []


def test_the_year_sheet_fits_a_phone_and_is_axe_clean(browser, live_server, year_world, console_errors):
    w, url = year_world, live_server.url
    context, page = _new_page(browser, console_errors, bypass_csp=True, **PHONE)
    try:
        sign_in(page, url, w.teacher.username, PASSWORD)
        page.goto(f"{url}/journal/{w.a.pk}/year/")
        expect(page.locator("main h1")).to_contain_text("годовые и итоговые отметки")
        assert page_width(page) <= 360  # the table scrolls inside its box, the page does not
        assert axe_serious(page) == []
        page.goto(f"{url}/journal/class/{w.cls.pk}/year/")
        assert page_width(page) <= 360
        assert axe_serious(page) == []
    finally:
        context.close()
    assert console_errors == []
