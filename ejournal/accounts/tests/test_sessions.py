"""Session lifetime: a shared school computer must not stay signed in."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from ejournal.testing import PASSWORD


def test_session_settings_are_strict():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_session_cookie_ends_with_the_browser(world, client):
    response = client.post("/accounts/login/", {"username": "teacher", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"]


@pytest.mark.parametrize("hours_later, signed_in", [(7, True), (9, False)])
def test_session_expires_after_a_working_day(world, client, hours_later, signed_in):
    start = dt.datetime(2026, 10, 5, 5, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post("/accounts/login/", {"username": "teacher", "password": PASSWORD})
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=hours_later), tick=False):
        assert (client.get("/").status_code == 200) is signed_in


def test_logout_needs_post_and_ends_the_session(world, login_as):
    client = login_as(world.teacher)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302
