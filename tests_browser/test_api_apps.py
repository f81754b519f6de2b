"""A parent connects a phone app on a 360×740 phone: the Russian consent screen, «Подключённые приложения»,
revocation; the API's description page. axe-core must find no serious or critical violation."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from oauth2_provider.models import AccessToken, Grant

from ejournal.api.tests.helpers import REDIRECT, authorize_query, person_app, pkce_pair
from ejournal.testing import PASSWORD

from .pages import heading, page_width, press, sign_in
from .test_diary import axe_phone_page, axe_serious  # noqa: F401 - the fixture is used by name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_WIDTH = 360


def test_parent_allows_an_app_on_a_phone_and_lands_back_in_it(phone_page, live_server, browser_world, console_errors):
    """With the site's CSP in force: the consent's redirect to the app's own address must be let through."""
    page, w = phone_page, browser_world
    app = person_app("Дневник-Мобайл")
    page.route(f"{REDIRECT}**", lambda route: route.fulfill(body="ok"))
    sign_in(page, live_server.url, w.guardian_user.username, PASSWORD)
    query = authorize_query(app, pkce_pair()[1], "openid profile family")
    page.goto(f"{live_server.url}/o/authorize/?{urlencode(query)}")
    assert heading(page) == "Приложение «Дневник-Мобайл» просит доступ"
    assert "Дневник ваших детей" in page.locator("main").inner_text()
    assert page_width(page) <= PHONE_WIDTH
    with page.expect_request(lambda r: r.url.startswith(REDIRECT)) as landed:
        page.get_by_role("button", name="Разрешить").click()
    assert parse_qs(urlparse(landed.value.url).query)["state"] == ["st-1"]
    assert Grant.objects.filter(application=app, user=w.guardian_user).exists()
    assert not console_errors


def test_consent_and_connected_apps_pages_are_accessible(axe_phone_page, live_server, browser_world, console_errors):  # noqa: F811
    page, w = axe_phone_page, browser_world
    app = person_app("Дневник-Мобайл")
    sign_in(page, live_server.url, w.guardian_user.username, PASSWORD)
    page.goto(f"{live_server.url}/o/authorize/?{urlencode(authorize_query(app, pkce_pair()[1], 'openid family'))}")
    assert axe_serious(page) == []
    AccessToken.objects.create(user=w.guardian_user, application=app, token="t-1", scope="openid family",  # noqa: S106 - a test token
                               expires="2099-01-01T00:00:00Z")  # fmt: skip
    page.goto(f"{live_server.url}/api/apps/")
    assert heading(page) == "Подключённые приложения"
    assert "Дневник-Мобайл" in page.locator("main").inner_text()
    assert page_width(page) <= PHONE_WIDTH
    assert axe_serious(page) == []
    press(page, "Отозвать")  # the question first
    assert axe_serious(page) == []
    press(page, "Отозвать")
    assert "отозван" in page.locator("main").inner_text()
    assert not AccessToken.objects.filter(application=app).exists()
    assert not console_errors


def test_api_description_page_is_russian_and_fits_a_phone(axe_phone_page, live_server, browser_world, console_errors):  # noqa: F811
    page = axe_phone_page
    page.goto(f"{live_server.url}/api/")
    assert heading(page) == "Открытый API электронного журнала"
    assert "Неделя дневника" in page.locator("main").inner_text()
    assert page_width(page) <= PHONE_WIDTH
    assert axe_serious(page) == []
    assert not console_errors
