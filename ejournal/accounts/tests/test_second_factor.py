"""Second factor: required for the named roles, TOTP with a real generator, recovery codes, throttling, reset."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ejournal.access.roles import Role
from ejournal.accounts.models import RecoveryCode
from ejournal.core.models import AuditEvent
from ejournal.testing import PASSWORD, appoint

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
SETUP = "/accounts/second-factor/"
T0 = dt.datetime(2026, 10, 5, 6, 0, tzinfo=dt.UTC)
REQUIRED = [
    Role.DIRECTOR,
    Role.DEPUTY_HEAD,
    Role.JOURNAL_COORDINATOR,
    Role.DISTRICT_OFFICER,
    Role.MUNICIPAL_OFFICER,
    Role.METHODIST,
]


def _password(client: Client, username: str, password: str = PASSWORD, address: str = "198.51.100.20"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _enrol(client: Client) -> tuple[pyotp.TOTP, list[str]]:
    """Scan nothing: read the manual key off the page, as a person types it into the app."""
    page = client.get(SETUP).content.decode()
    found = re.search(r'id="otp-key">([A-Z2-7 ]+)<', page)
    assert found is not None
    key = found.group(1).replace(" ", "")
    assert "<svg" in page  # the QR code is drawn on the server
    totp = pyotp.TOTP(key)
    response = client.post(SETUP, {"code": totp.now()})
    assert response.status_code == 200
    codes = re.findall(r"<code>([A-Z0-9-]{19})</code>", response.content.decode())
    assert len(codes) == 10
    return totp, codes


def _enrolled(world, user, username: str) -> tuple[pyotp.TOTP, list[str]]:
    client = Client()
    with time_machine.travel(T0 - dt.timedelta(minutes=5), tick=False):
        _password(client, username)
        return _enrol(client)


@pytest.mark.parametrize("role", REQUIRED)
def test_the_named_roles_cannot_use_the_site_before_setting_up_the_second_factor(world, client, role):
    user = world.personas[role]
    assert _password(client, user.username).status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == SETUP
    assert client.get("/school/staff/").status_code == 302
    assert client.get(SETUP).status_code == 200


def test_a_teacher_is_not_asked_for_a_second_factor(world, client):
    _password(client, "teacher")
    assert client.get("/").status_code == 200


def test_the_required_roles_are_a_setting(world, client, settings):
    settings.OTP_REQUIRED_ROLES = []
    _password(client, "deputy")
    assert client.get("/").status_code == 200


def test_enrolment_with_the_manual_key_and_a_real_totp_generator_opens_the_site(world, client):
    _password(client, "deputy")
    _totp, codes = _enrol(client)
    assert client.get("/").status_code == 200
    device = TOTPDevice.objects.get(user=world.deputy_head)
    assert device.confirmed
    # Recovery codes are kept hashed only.
    stored = set(RecoveryCode.objects.filter(user=world.deputy_head).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not {c.replace("-", "") for c in codes} & stored
    assert AuditEvent.objects.filter(action="second_factor_enrol", object_id=str(world.deputy_head.pk)).exists()


def test_a_wrong_first_code_enrols_nothing(world, client):
    _password(client, "deputy")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert "Код не подошёл" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.deputy_head).exists()
    assert client.get("/").status_code == 302


def test_with_a_device_the_password_alone_does_not_sign_in(world):
    totp, _codes = _enrolled(world, world.deputy_head, "deputy")
    client = Client()
    with time_machine.travel(T0, tick=False):
        response = _password(client, "deputy")
        assert response["Location"] == CODE
        assert client.get("/").status_code == 302  # not signed in yet
        assert client.post(CODE, {"code": totp.now()})["Location"] == "/"
        assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(world):
    totp, _codes = _enrolled(world, world.deputy_head, "deputy")
    with time_machine.travel(T0, tick=False):
        first, second = Client(), Client()
        _password(first, "deputy")
        assert first.post(CODE, {"code": totp.now()}).status_code == 302
        _password(second, "deputy")
        assert second.post(CODE, {"code": totp.now()}).status_code == 200  # refused, asked again
        assert second.get("/").status_code == 302


def test_the_password_step_expires(world):
    totp, _codes = _enrolled(world, world.deputy_head, "deputy")
    client = Client()
    with time_machine.travel(T0, tick=False):
        _password(client, "deputy")
    with time_machine.travel(T0 + dt.timedelta(seconds=settings.OTP_PENDING_SECONDS + 1), tick=False):
        response = client.post(CODE, {"code": totp.now()})
        assert response["Location"] == LOGIN
        assert client.get("/").status_code == 302


def test_a_recovery_code_works_once(world):
    _totp, codes = _enrolled(world, world.deputy_head, "deputy")
    with time_machine.travel(T0, tick=False):
        client = Client()
        _password(client, "deputy")
        response = client.post(CODE, {"code": codes[0].lower()}, follow=True)
        assert response.status_code == 200 and "осталось кодов: 9" in response.content.decode()
        client.post("/accounts/logout/")
        _password(client, "deputy")
        response = client.post(CODE, {"code": codes[0]})
        assert response.status_code == 200 and "Код не подошёл" in response.content.decode()
        assert client.get("/").status_code == 302
        # Another, unused code still works.
        assert client.post(CODE, {"code": codes[1]})["Location"] == "/"


def test_wrong_codes_lock_like_wrong_passwords(world):
    totp, _codes = _enrolled(world, world.deputy_head, "deputy")
    attacker = "203.0.113.7"
    with time_machine.travel(T0, tick=False):
        client = Client()
        _password(client, "deputy", address=attacker)
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert client.post(CODE, {"code": "123456"}, REMOTE_ADDR=attacker).status_code == 200
        locked = client.post(CODE, {"code": "123456"}, REMOTE_ADDR=attacker)
        assert locked.status_code == 429 and "Слишком много неудачных попыток" in locked.content.decode()
        # Locked: the right password is refused from there, and so is the right code.
        assert _password(client, "deputy", address=attacker).status_code == 429
        assert client.get("/").status_code == 302
    # The same person elsewhere is not locked out.
    with time_machine.travel(T0 + dt.timedelta(seconds=31), tick=False):
        other = Client()
        _password(other, "deputy", address="198.51.100.99")
        assert other.post(CODE, {"code": totp.now()}, REMOTE_ADDR="198.51.100.99").status_code == 302


def test_a_right_password_between_wrong_codes_does_not_reset_the_count(world):
    _enrolled(world, world.deputy_head, "deputy")
    attacker = "203.0.113.8"
    with time_machine.travel(T0, tick=False):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            _password(client, "deputy", address=attacker)
            client.post(CODE, {"code": "654321"}, REMOTE_ADDR=attacker)
        _password(client, "deputy", address=attacker)
        assert client.post(CODE, {"code": "654321"}, REMOTE_ADDR=attacker).status_code == 429


def test_a_teacher_may_switch_the_second_factor_on_and_off(world, client):
    _password(client, "teacher")
    _enrol(client)
    assert TOTPDevice.objects.filter(user=world.teacher).exists()
    assert client.post("/accounts/second-factor/off/").status_code == 200  # the question first
    assert TOTPDevice.objects.filter(user=world.teacher).exists()
    client.post("/accounts/second-factor/off/", {"confirmed": "yes"})
    assert not TOTPDevice.objects.filter(user=world.teacher).exists()
    assert not RecoveryCode.objects.filter(user=world.teacher).exists()


def test_a_deputy_head_cannot_switch_it_off(world, client):
    _password(client, "deputy")
    _enrol(client)
    assert client.post("/accounts/second-factor/off/", {"confirmed": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(user=world.deputy_head).exists()


def test_new_recovery_codes_replace_the_old_ones(world, client):
    _password(client, "teacher")
    _totp, old = _enrol(client)
    response = client.post("/accounts/second-factor/codes/", {"confirmed": "yes"})
    new = re.findall(r"<code>([A-Z0-9-]{19})</code>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/accounts/logout/")
    _password(client, "teacher")
    assert client.post(CODE, {"code": old[0]}).status_code == 200
    assert client.post(CODE, {"code": new[0]}).status_code == 302


def _device_for(user):
    TOTPDevice.objects.create(user=user, name="TOTP", key="00" * 20, confirmed=True)


def test_the_coordinator_resets_a_lost_device_after_a_question_and_it_is_recorded(world, login_as):
    _device_for(world.other_teacher)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = f"/school/staff/{world.other_teacher.pk}/second-factor/reset/"
    question = client.post(url)
    assert question.status_code == 200 and "Сбросить второй фактор" in question.content.decode()
    assert TOTPDevice.objects.filter(user=world.other_teacher).exists()
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.other_teacher).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert event.actor_id == world.coordinator.pk
    assert event.actor_role == Role.JOURNAL_COORDINATOR
    assert event.object_id == str(world.other_teacher.pk)
    assert event.school_id == world.school.pk


def test_the_coordinator_cannot_reset_staff_of_another_school(world, login_as):
    _device_for(world.foreign_teacher)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(f"/school/staff/{world.foreign_teacher.pk}/second-factor/reset/", {"confirmed": "yes"})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=world.foreign_teacher).exists()


def test_a_teacher_cannot_reset_a_colleagues_device(world, login_as):
    _device_for(world.other_teacher)
    client = login_as(world.teacher, Role.TEACHER)
    response = client.post(f"/school/staff/{world.other_teacher.pk}/second-factor/reset/", {"confirmed": "yes"})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=world.other_teacher).exists()


def test_a_person_working_beyond_the_school_is_not_reset_by_the_school(world, login_as):
    appoint(world.other_teacher, Role.DISTRICT_OFFICER, district=world.school.district)
    _device_for(world.other_teacher)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.post(f"/school/staff/{world.other_teacher.pk}/second-factor/reset/", {"confirmed": "yes"})
    assert TOTPDevice.objects.filter(user=world.other_teacher).exists()
    assert not AuditEvent.objects.filter(action="second_factor_reset").exists()


def test_after_a_reset_the_deputy_head_enrols_again_at_the_next_sign_in(world, login_as):
    _enrolled(world, world.deputy_head, "deputy")
    login_as(world.coordinator, Role.JOURNAL_COORDINATOR).post(
        f"/school/staff/{world.deputy_head.pk}/second-factor/reset/", {"confirmed": "yes"}
    )
    client = Client()
    assert _password(client, "deputy")["Location"] == "/"
    assert client.get("/")["Location"] == SETUP
