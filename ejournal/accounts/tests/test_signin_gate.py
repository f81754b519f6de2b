"""Sign-ins at the peak: at most SIGNIN_CONCURRENCY password checks at once; another is asked, politely, to come
back in a minute, with nothing checked or recorded."""

import threading

from axes.models import AccessAttempt
from django.contrib.auth import hashers

from ejournal.accounts.signin_gate import signin_slot
from ejournal.testing import PASSWORD

LOGIN_URL = "/accounts/login/"


def test_a_sign_in_beyond_the_limit_is_asked_to_come_back_in_a_minute(world, client, settings, monkeypatch):
    settings.SIGNIN_CONCURRENCY, settings.SIGNIN_WAIT_SECONDS = 1, 0.05
    checked = []
    monkeypatch.setattr(hashers, "check_password", lambda *a, **k: checked.append(a) or True)
    with signin_slot() as held:  # another sign-in is checking its password now
        assert held
        response = client.post(LOGIN_URL, {"username": "teacher", "password": "wrong-password"})
    assert response.status_code == 503 and response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Попробуйте, пожалуйста, через минуту" in html and 'value="teacher"' in html
    assert checked == [] and not AccessAttempt.objects.exists()  # nothing hashed, no failure counted
    monkeypatch.undo()
    assert client.post(LOGIN_URL, {"username": "teacher", "password": PASSWORD}).status_code == 302  # slot free


def test_sign_ins_within_the_limit_wait_for_a_slot_and_pass(world, client, settings):
    settings.SIGNIN_CONCURRENCY, settings.SIGNIN_WAIT_SECONDS = 1, 5
    releaser_ready = threading.Event()

    def hold_briefly():
        with signin_slot():
            releaser_ready.set()
            threading.Event().wait(0.3)

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    releaser_ready.wait(5)
    response = client.post(LOGIN_URL, {"username": "teacher", "password": PASSWORD})
    holder.join()
    assert response.status_code == 302


def test_the_limit_is_per_setting(settings):
    settings.SIGNIN_CONCURRENCY, settings.SIGNIN_WAIT_SECONDS = 2, 0
    with signin_slot() as first, signin_slot() as second, signin_slot() as third:
        assert (first, second, third) == (True, True, False)
