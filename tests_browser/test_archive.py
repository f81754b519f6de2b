"""The coordinator builds the year-end archive of a closed term and downloads it; the zip verifies without the system."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine

from ejournal.access.roles import Role
from ejournal.archive.tests.data import term_of_marks
from ejournal.archive.verify import main as verify_main
from ejournal.testing import PASSWORD

from .pages import choose_role, heading, open_menu, press, sign_in

pytestmark = pytest.mark.browser

MSK = ZoneInfo("Europe/Moscow")


def test_the_coordinator_builds_the_archive_of_a_closed_term_and_downloads_it(
    page, live_server, browser_world, console_errors, settings, tmp_path
):
    settings.ARCHIVE_ROOT = tmp_path / "archive"  # the live server runs in this process: it sees the setting
    term_of_marks(browser_world)
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=MSK), tick=True):
        sign_in(page, live_server.url, "coord", PASSWORD)
        choose_role(page, Role.JOURNAL_COORDINATOR)
        open_menu(page, "Архив журналов")
        assert heading(page) == "Архив журналов"
        assert "Архивов пока нет." in page.locator("main").inner_text()
        page.get_by_label("Что архивировать").select_option(label="2026/2027 — 1 четверть")
        press(page, "Собрать архив…")
        assert heading(page) == "Собрать архив журналов?"
        assert "Классов: 2; журналов по предметам: до 2." in page.locator("main").inner_text()
        press(page, "Собрать архив")
        page.get_by_text("Архив готов.").wait_for(timeout=60_000)  # built in the background, the page polls
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Скачать архив (zip)").click()
        zip_path = tmp_path / "downloaded.zip"
        download_info.value.save_as(zip_path)
        assert "journals/05a-" in page.locator("main").inner_text()
        open_menu(page, "Архив журналов")
        assert "2026/2027, 1 четверть" in page.locator("main").inner_text()
    with zipfile.ZipFile(zip_path) as zf:
        description = json.loads(zf.read("archive.json"))
        assert description["period"]["first"] == "2026-09-01" and description["rows"]["marks"] == 4
    assert verify_main([str(zip_path)]) == 0
    assert console_errors == []
