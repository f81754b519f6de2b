"""Must show: a deputy head signs in with a password and a TOTP code (set up at the first sign-in)."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
import time_machine

from .pages import heading, page_width, sign_in, sign_out

pytestmark = pytest.mark.browser

REQUIRED = ["director", "deputy_head", "journal_coordinator", "district_officer", "municipal_officer", "methodist"]


def test_deputy_head_sets_up_the_app_then_signs_in_with_password_and_code(
    page, live_server, browser_world, settings, console_errors
):
    settings.OTP_REQUIRED_ROLES = REQUIRED
    w = browser_world
    sign_in(page, live_server.url, "deputy", "Test-pass-2026!")

    # First sign-in: the site opens only the set-up page, with a QR code and the key to type.
    assert heading(page) == "Настройка второго фактора"
    page.goto(f"{live_server.url}/school/staff/")
    assert heading(page) == "Настройка второго фактора"
    assert page.locator("figure.otp-qr svg").count() == 1
    key = page.locator("#otp-key").inner_text().replace(" ", "")
    app = pyotp.TOTP(key)  # the phone's authenticator app
    page.get_by_label("Код из приложения").fill(app.now())
    page.get_by_role("button", name="Подтвердить и включить").click()
    page.wait_for_load_state()
    assert heading(page) == "Коды восстановления"
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="Я сохранил коды, продолжить").click()
    page.wait_for_load_state()
    assert heading(page) == w.school.full_name
    sign_out(page)

    # Next sign-in: password, then the code the app shows now (a later time step than the one used to enrol).
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31), tick=True):
        sign_in(page, live_server.url, "deputy", "Test-pass-2026!")
        assert heading(page) == "Код подтверждения"
        page.get_by_label("Код из приложения или код восстановления").fill(app.now())
        page.get_by_role("button", name="Подтвердить").click()
        page.wait_for_load_state()
        assert heading(page) == w.school.full_name
    assert not console_errors


def test_enrolment_and_sessions_pages_fit_a_phone(phone_page, live_server, browser_world, settings, console_errors):
    settings.OTP_REQUIRED_ROLES = REQUIRED
    sign_in(phone_page, live_server.url, "deputy", "Test-pass-2026!")
    assert heading(phone_page) == "Настройка второго фактора"
    assert page_width(phone_page) <= 360
    settings.OTP_REQUIRED_ROLES = []
    sign_out(phone_page)
    sign_in(phone_page, live_server.url, "teacher", "Test-pass-2026!")
    phone_page.goto(f"{live_server.url}/accounts/sessions/")
    assert heading(phone_page) == "Где выполнен вход"
    assert page_width(phone_page) <= 360
    assert not console_errors
