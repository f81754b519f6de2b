"""The deputy head opens the term report of a class from the menu and downloads its XLSX and PDF; the school's
report on a phone is axe-clean and does not overflow 360 px."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.reports.tests.data import quarter_class
from ejournal.testing import PASSWORD

from .conftest import PHONE, _new_page
from .pages import choose_role, heading, open_menu, page_width, sign_in
from .test_diary import axe_serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MSK = ZoneInfo("Europe/Moscow")


def test_deputy_head_downloads_the_class_term_report(page, live_server, browser_world, console_errors):
    w = browser_world
    quarter_class(w)
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=MSK), tick=True):
        sign_in(page, live_server.url, "deputy", PASSWORD)
        choose_role(page, Role.DEPUTY_HEAD)
        open_menu(page, "Отчёты классов")
        page.get_by_role("link", name="Отчёт 5 «А»").click()
        page.wait_for_load_state()
        assert heading(page) == "Отчёт классного руководителя: 5 «А»"
        page.get_by_role("link", name="1 четверть").click()
        page.wait_for_load_state()
        main = page.locator("main")
        assert page.locator("main img[src^='data:image/svg+xml']").count() == 1
        assert page.locator("main img").first.evaluate("img => img.naturalWidth") > 0  # the chart is drawn
        maths = main.locator("tr", has_text="Математика").first.inner_text()
        assert "62,5" in maths and "65,4" in maths  # качество and СОУ of maths, counted by hand in data.py
        assert "Письмо родителям: Егоров Имя" in main.inner_text()

        # A shared machine may take seconds over a PDF: the waits are generous, the content is what is checked.
        with page.expect_download(timeout=60_000) as xlsx:
            page.get_by_role("link", name="Скачать XLSX").click(timeout=60_000)
        book = load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes())).active
        rows = [list(r) for r in book.iter_rows(values_only=True)]
        assert any(r[0] == "Математика" and r[1] == 8 for r in rows)
        with page.expect_download(timeout=60_000) as pdf:
            page.get_by_role("link", name="Скачать PDF").click(timeout=60_000)
        assert Path(pdf.value.path()).read_bytes()[:5] == b"%PDF-"
        assert xlsx.value.suggested_filename.endswith(".xlsx") and pdf.value.suggested_filename.endswith(".pdf")
    assert not console_errors


def test_school_report_on_a_phone(browser, live_server, browser_world, console_errors):
    w = browser_world
    quarter_class(w)
    context, page = _new_page(browser, console_errors, bypass_csp=True, **PHONE)
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=MSK), tick=True):
        sign_in(page, live_server.url, "director", PASSWORD)
        open_menu(page, "Отчёты")
        page.get_by_role("link", name="1 четверть").click()
        page.wait_for_load_state()
        assert heading(page) == "Отчёт школы: Успеваемость и качество"
        assert "52,9" in page.locator("main").inner_text()  # СОУ of 5 «А»
        assert page_width(page) <= 360
        assert axe_serious(page) == []
        for section in ("Списки обучающихся", "Посещаемость", "Выполнение программы", "Накопляемость отметок"):
            page.get_by_role("link", name=section).click()
            page.wait_for_load_state()
            assert page_width(page) <= 360, section
            assert axe_serious(page) == [], section
        open_menu(page, "Отчёты классов")
        page.get_by_role("link", name="Отчёт 5 «А»").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="1 четверть").click()
        page.wait_for_load_state()
        assert "Аксенова Имя" in page.locator("main").inner_text()  # the class's lists and attendance
        assert page_width(page) <= 360
        assert axe_serious(page) == []
        page.get_by_role("link", name="Сводная ведомость").click()
        page.wait_for_load_state()
        assert heading(page) == "Сводная ведомость учёта успеваемости"
        assert page_width(page) <= 360
        assert axe_serious(page) == []
    context.close()
    assert not console_errors
