"""Playwright (sync API) against Debian's Chromium and pytest-django's live server.

One browser for the whole session, a fresh context per test. Without
/usr/bin/chromium the tests skip, unless REQUIRE_BROWSER=1 (CI): then they fail.
Never downloads a browser.
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ejournal.testing import build_world

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made from the test (fixtures, assertions) would otherwise be refused.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}, and REQUIRE_BROWSER=1 forbids skipping browser tests")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, console_errors: list[str], **options):
    # A Russian browser, as the city's users have; the server picks the language from it.
    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", lambda msg: _console_error(msg, console_errors))
    page.on("pageerror", lambda exc: console_errors.append(f"uncaught: {exc}"))
    page.on("response", lambda response: _failed_response(response, console_errors))
    return context, page


def _console_error(msg, errors: list[str]) -> None:
    # Failed loads are reported by URL in _failed_response; the console line has no URL.
    if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
        errors.append(f"console: {msg.text}")


def _failed_response(response, errors: list[str]) -> None:
    # Browsers ask for /favicon.ico on their own; the pages do not link it.
    if response.status >= 400 and not response.url.endswith("/favicon.ico"):
        errors.append(f"HTTP {response.status}: {response.request.method} {response.url}")


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors, uncaught exceptions and failed loads of the page (CSP violations show up here)."""
    return []


@pytest.fixture
def page(browser, console_errors):
    context, page = _new_page(browser, console_errors)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, console_errors):
    """A page in a 360×740 phone viewport (the narrowest phone the diary must work on)."""
    context, page = _new_page(browser, console_errors, **PHONE)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _password_only_sign_in(settings):
    """Journeys sign in as the demo does, by password only (OTP_REQUIRED_ROLES=, see `make demo`).

    The second factor's own journeys (test_second_factor.py) set the roles back.
    """
    settings.OTP_REQUIRED_ROLES = []


@pytest.fixture
def browser_world(live_server):
    """The test world, committed so that the live server thread sees it."""
    return build_world()


@pytest.fixture
def demo_city(live_server):
    """The demo city of `make demo`, one school, built by the real management command."""
    call_command("demo_city", "--schools", "1", stdout=StringIO())
