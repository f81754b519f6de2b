"""Active sessions: listed with device, address and last seen; «выйти на других устройствах» ends the others."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.test import Client

from ejournal.accounts.models import SignInSession
from ejournal.core.models import AuditEvent
from ejournal.testing import PASSWORD

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
T0 = dt.datetime(2026, 10, 5, 6, 0, tzinfo=dt.UTC)


def _sign_in(user_agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    assert client.post("/accounts/login/", {"username": "teacher", "password": PASSWORD}).status_code == 302
    return client


def test_sessions_are_listed_with_device_address_and_last_seen(world):
    with time_machine.travel(T0, tick=False):
        school_pc = _sign_in(CHROME_WINDOWS, "198.51.100.20")
        _sign_in(FIREFOX_ANDROID, "203.0.113.50")
        page = school_pc.get("/accounts/sessions/").content.decode()
    assert "Chrome, Windows" in page and "Firefox, Android" in page
    assert "198.51.100.20" in page and "203.0.113.50" in page
    assert page.count("этот сеанс") == 1
    assert "05.10.2026 09:00" in page  # Moscow time


def test_signing_out_on_other_devices_ends_them_and_keeps_this_one(world):
    with time_machine.travel(T0, tick=False):
        school_pc = _sign_in(CHROME_WINDOWS, "198.51.100.20")
        phone = _sign_in(FIREFOX_ANDROID, "203.0.113.50")
        assert phone.get("/").status_code == 200
        response = school_pc.post("/accounts/sessions/end-others/", follow=True)
        assert "Вы вышли на всех других устройствах" in response.content.decode()
        assert school_pc.get("/").status_code == 200
        assert phone.get("/").status_code == 302
        assert SignInSession.objects.filter(user=world.teacher).count() == 1
    assert AuditEvent.objects.filter(action="sessions_end_others", object_id=str(world.teacher.pk)).exists()


def test_signing_out_elsewhere_ends_a_session_the_index_does_not_know(world, login_as):
    """A session from before the index (or lost from it) ends too: the session hash carries a generation."""
    old = login_as(world.teacher)  # force_login: no index row
    current = _sign_in(CHROME_WINDOWS, "198.51.100.20")
    current.post("/accounts/sessions/end-others/")
    assert old.get("/").status_code == 302
    assert current.get("/").status_code == 200


def test_last_seen_is_written_at_most_every_few_minutes(world):
    with time_machine.travel(T0, tick=False):
        client = _sign_in(CHROME_WINDOWS, "198.51.100.20")
    row = SignInSession.objects.get(user=world.teacher)
    with time_machine.travel(T0 + dt.timedelta(seconds=settings.SIGN_IN_SEEN_EVERY_SECONDS - 1), tick=False):
        client.get("/")
    row.refresh_from_db()
    assert row.last_seen_at == T0
    later = T0 + dt.timedelta(seconds=settings.SIGN_IN_SEEN_EVERY_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        client.get("/")
    row.refresh_from_db()
    assert row.last_seen_at == later


def test_signing_out_removes_the_row(world):
    client = _sign_in(CHROME_WINDOWS, "198.51.100.20")
    client.post("/accounts/logout/")
    assert not SignInSession.objects.filter(user=world.teacher).exists()
