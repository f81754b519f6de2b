"""The monthly report journey: the district fills a school on another system from a file and submits;
the department returns it, the district fixes and resubmits, the department accepts; the accepted month
no longer changes when the journal's data do."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ejournal.access.roles import Role
from ejournal.city.models import MonthlyRolloutReport
from ejournal.city.tests.factories import other_vendor
from ejournal.schools.models import School
from ejournal.support.tests.factories import make_request
from ejournal.testing import PASSWORD

from .pages import choose_role, heading, press, sign_in, sign_out, upload

pytestmark = pytest.mark.browser

MSK = ZoneInfo("Europe/Moscow")
CSV = (
    "Школа;Достигнутый этап;Дата этапа;Классов в системе;Обучающихся в системе;% уроков с темой в день урока\r\n"
    "СОШ № 1;Апробация начата;01.09.2026;20;500;90,5\r\n"
).encode("utf-8-sig")


def _as(page, base_url, username, role):
    sign_in(page, base_url, username, PASSWORD)
    choose_role(page, role)


def _cell(page, school: str, field: str) -> str:
    return page.locator(f"tr[data-school='{school}'] td[data-field='{field}']").inner_text().strip()


def test_district_report_returned_fixed_accepted_and_frozen(page, live_server, browser_world, console_errors):
    w = browser_world
    base = live_server.url
    other_vendor(w.school, w.city)
    second = School.objects.create(
        municipality=w.city, district=w.district, number=2, full_name="МБОУ СОШ № 2", short_name="СОШ № 2", code="s2"
    )
    with time_machine.travel(dt.datetime(2026, 10, 20, 10, tzinfo=MSK), tick=True):
        make_request(second, w.director)
        _as(page, base, "district", Role.DISTRICT_OFFICER)
        page.goto(f"{base}/city/reports/")
        press(page, "Открыть отчёт за месяц")
        assert heading(page).startswith("Отчёт округа Западный")
        report_url = page.url
        page.get_by_role("link", name="Загрузить строки из файла").click()
        upload(page, "Файл .xlsx или .csv", "rows.csv", CSV)
        press(page, "Загрузить")
        # The file is read by a background job; its page polls until the report is there.
        assert heading(page) == "Загрузка файла «rows.csv»"
        page.get_by_text("Загружено.").wait_for()
        page.get_by_role("link", name="← К отчёту").click()
        page.wait_for_load_state()
        assert page.url == report_url
        assert _cell(page, "СОШ № 1", "classes_in_system") == "20"
        assert _cell(page, "СОШ № 1", "lessons_topic_on_time_pct") == "90,5 %"
        assert _cell(page, "СОШ № 2", "support_filed") == "1"
        press(page, "Отправить в департамент")
        press(page, "Отправить отчёт")  # the question: округ, month, schools; «Отмена» is the default
        assert page.locator("[data-report-status]").inner_text() == "отправлен"
        sign_out(page)

        _as(page, base, "mun", Role.MUNICIPAL_OFFICER)
        page.goto(report_url)
        page.get_by_label("Что нужно исправить").fill("Опишите проблемы СОШ № 1")
        press(page, "Вернуть на доработку")
        assert page.locator("[data-report-status]").inner_text() == "возвращён на доработку"
        sign_out(page)

        _as(page, base, "district", Role.DISTRICT_OFFICER)
        page.goto(report_url)
        assert page.locator("[data-return-comment]").inner_text() == "Опишите проблемы СОШ № 1"
        page.get_by_label("Проблемы и обращения в поддержку").fill("В СОШ № 1 нет интернета в кабинетах")
        press(page, "Сохранить текст")
        press(page, "Отправить в департамент")
        press(page, "Отправить отчёт")  # the question: округ, month, schools; «Отмена» is the default
        assert page.locator("[data-report-status]").inner_text() == "отправлен"
        sign_out(page)

        _as(page, base, "mun", Role.MUNICIPAL_OFFICER)
        page.goto(report_url)
        press(page, "Принять отчёт")
        assert page.locator("[data-report-status]").inner_text() == "принят"
        assert MonthlyRolloutReport.objects.get().status == "accepted"

        # Later in October the school files two more requests: the accepted month keeps its figure.
        make_request(second, w.director)
        make_request(second, w.director)
        page.reload()
        assert _cell(page, "СОШ № 2", "support_filed") == "1"
        assert _cell(page, "СОШ № 1", "classes_in_system") == "20"
    assert not console_errors


def test_a_submitted_report_does_not_change_under_the_reviewer(page, live_server, browser_world, console_errors):
    """The issue: editing the schedule rewrote «Достигнутый этап» of a submitted month. Now the district sends the
    report, then edits the schedule; the department still sees (and accepts) what was sent."""
    from ejournal.city.models import RolloutStage, Stage

    w = browser_world
    base = live_server.url
    RolloutStage.objects.create(school=w.school, stage=Stage.PILOT, actual_on=dt.date(2026, 9, 1))
    with time_machine.travel(dt.datetime(2026, 10, 28, 10, tzinfo=MSK), tick=True):
        _as(page, base, "district", Role.DISTRICT_OFFICER)
        page.goto(f"{base}/city/reports/")
        press(page, "Открыть отчёт за месяц")
        report_url = page.url
        assert _cell(page, "СОШ № 1", "stage") == "Апробация начата"
        press(page, "Отправить в департамент")
        press(page, "Отправить отчёт")  # the question first
        assert page.locator("[data-report-status]").inner_text() == "отправлен"

        page.goto(f"{base}/city/rollout/")
        page.locator("main").get_by_role("link", name="СОШ № 1").click()
        page.get_by_label("Полное внедрение: факт").fill("2026-10-27")
        press(page, "Сохранить")
        assert "27.10.2026" in page.locator("tr[data-school='СОШ № 1']").inner_text()
        page.goto(report_url)
        assert _cell(page, "СОШ № 1", "stage") == "Апробация начата"
        sign_out(page)

        _as(page, base, "mun", Role.MUNICIPAL_OFFICER)
        page.goto(report_url)
        assert _cell(page, "СОШ № 1", "stage") == "Апробация начата"
        assert _cell(page, "СОШ № 1", "stage_on") == "01.09.2026"
        press(page, "Принять отчёт")
        assert page.locator("[data-report-status]").inner_text() == "принят"
        assert _cell(page, "СОШ № 1", "stage") == "Апробация начата"
    assert not console_errors
