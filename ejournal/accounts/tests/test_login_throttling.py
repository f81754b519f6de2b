"""django-axes: a login is locked per (login, address), never for the whole city."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from ejournal.testing import PASSWORD

LOGIN_URL = "/accounts/login/"
ATTACKER = "203.0.113.7"
SCHOOL_PC = "198.51.100.20"


def _attempt(client, username, password, address):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail_until_locked(client, username, address):
    responses = [_attempt(client, username, "wrong-password", address) for _ in range(settings.AXES_FAILURE_LIMIT)]
    return responses[-1]


def test_login_is_locked_after_the_failure_limit_from_one_address(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "teacher", "wrong-password", ATTACKER).status_code == 200
    locked = _attempt(client, "teacher", "wrong-password", ATTACKER)
    assert locked.status_code == 429
    # Even the right password is refused from that address while locked.
    assert _attempt(client, "teacher", PASSWORD, ATTACKER).status_code == 429


def test_lockout_from_one_address_does_not_block_the_teacher_elsewhere(world, client):
    _fail_until_locked(client, "teacher", ATTACKER)
    response = _attempt(client, "teacher", PASSWORD, SCHOOL_PC)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_lockout_of_one_login_does_not_block_another_login_from_the_same_address(world, client):
    _fail_until_locked(client, "teacher", ATTACKER)
    assert _attempt(client, "teacher2", PASSWORD, ATTACKER).status_code == 302


def test_lockout_page_is_russian_and_says_when_to_retry(world, client):
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        body = _fail_until_locked(client, "teacher", ATTACKER).content.decode()
    assert "Слишком много неудачных попыток" in body
    assert "на 15 минут" in body
    # 09:00 UTC is 12:00 in Moscow; the cool-off is 15 minutes.
    assert "Попробуйте снова после 12:15" in body
    assert 'lang="ru"' in body


@pytest.mark.parametrize("minutes_later, status", [(14, 429), (16, 302)])
def test_cool_off_expires(world, client, minutes_later, status):
    start = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _fail_until_locked(client, "teacher", ATTACKER)
    with time_machine.travel(start + dt.timedelta(minutes=minutes_later), tick=False):
        assert _attempt(client, "teacher", PASSWORD, ATTACKER).status_code == status


def test_successful_login_resets_the_failure_count(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "teacher", "wrong-password", ATTACKER)
    assert _attempt(client, "teacher", PASSWORD, ATTACKER).status_code == 302
    client.logout()
    assert _attempt(client, "teacher", "wrong-password", ATTACKER).status_code == 200
