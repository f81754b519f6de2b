"""Must show: a parent signs in through the local identity provider and lands on the diary.

The provider is the project's own authorization server in a second process
(ejournal/accounts/tests/provider_process.py), reached by the browser as ЕСИА would be.
"""

from __future__ import annotations

import pytest

from ejournal.accounts.models import User
from ejournal.accounts.tests.provider_process import CLIENT_ID, CLIENT_SECRET, PASSWORD, provider_start

from .pages import heading

pytestmark = pytest.mark.browser


@pytest.fixture
def provider(live_server):
    running = provider_start([f"{live_server.url}/accounts/provider/callback/"])
    yield running
    running.stop()


def test_parent_signs_in_through_the_provider_and_lands_on_the_diary(
    page, live_server, browser_world, provider, settings, console_errors
):
    settings.OIDC_RP_DISCOVERY_URL = provider.discovery
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_PROVIDER_NAME = "Госуслуги"
    w = browser_world
    # The school recorded the parent's identifier at the provider (from the parent's document).
    User.objects.filter(pk=w.guardian_user.pk).update(esia_subject=provider.subjects["esia_parent"])

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Войти через Госуслуги").click()
    page.wait_for_load_state()
    assert page.url.startswith(provider.url)  # at the provider's own sign-in page
    page.get_by_label("Логин").fill("esia_parent")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/")

    assert page.title().startswith("Дневник")
    assert heading(page) == "Мои дети"
    assert w.student.last_name in page.locator("main").inner_text()
    page.get_by_role("link", name="Дневник", exact=True).first.click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}/diary/")
    assert not console_errors
