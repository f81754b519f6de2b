"""The digest settings page: who may open it, what it saves, how it refuses bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.access.roles import Role

from ..models import DigestSubscription
from .helpers import MON, at

URL = reverse("notifications:settings")
FORM = {
    "enabled": "on",
    "marks": "on",
    "homework": "on",
    "send_at": "19:30",
    "quiet_from": "22:00",
    "quiet_to": "07:00",
    "email": "",
}


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.STUDENT])
def test_a_family_member_opens_own_settings(world, login_as, role):
    response = login_as(world.personas[role], role).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Уведомления на e-mail" in page and "Сводок ещё не было" in page


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.GUARDIAN, Role.STUDENT)])
def test_staff_and_officers_are_refused(world, login_as, role):
    assert login_as(world.personas[role], role).get(URL).status_code == 403
    assert not DigestSubscription.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_guardian_saves_choices_and_the_first_digest_is_scheduled(world, login_as):
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(MON, 10):
        response = client.post(URL, FORM)
    assert response.status_code == 302
    s = DigestSubscription.objects.get(guardian=world.guardian)
    assert (s.enabled, s.marks, s.absences, s.homework) == (True, True, False, True)
    assert s.send_at == dt.time(19, 30) and (s.quiet_from, s.quiet_to) == (dt.time(22), dt.time(7))
    assert s.next_due_at == dt.datetime(2026, 9, 7, 16, 30, tzinfo=dt.UTC)  # 19:30 Moscow, the same day
    page = client.get(URL).content.decode()
    assert "Следующая сводка — 07.09.2026 19:30" in page


def test_student_with_a_login_subscribes_for_self(world, login_as):
    with at(MON, 10):
        login_as(world.student_user, Role.STUDENT).post(URL, {**FORM, "email": "max@example.ru"})
    s = DigestSubscription.objects.get()
    assert s.student == world.student and s.guardian is None and s.email == "max@example.ru"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"send_at": "19:15"}, "Выберите корректный вариант"),
        ({"send_at": "завтра"}, "Выберите корректный вариант"),
        ({"quiet_to": ""}, "Укажите и начало, и конец"),
        ({"email": "не адрес"}, "Введите правильный адрес электронной почты"),
    ],
)
def test_bad_input_is_refused_in_russian_and_nothing_changes(world, login_as, change, message):
    response = login_as(world.guardian_user, Role.GUARDIAN).post(URL, {**FORM, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DigestSubscription.objects.exists()


def test_without_any_address_digests_cannot_be_turned_on(world, login_as):
    world.foreign_guardian_user.email = ""
    world.foreign_guardian_user.save()
    response = login_as(world.foreign_guardian_user, Role.GUARDIAN).post(URL, FORM)
    assert response.status_code == 400
    assert "В учётной записи нет адреса e-mail" in response.content.decode()
    assert not DigestSubscription.objects.exists()


def test_turning_off_and_on_again_restarts_the_period(world, login_as):
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(MON, 10):
        client.post(URL, FORM)
    with at(MON, 11):
        client.post(URL, {k: v for k, v in FORM.items() if k != "enabled"})
    assert not DigestSubscription.objects.get().enabled
    with at(MON + dt.timedelta(days=3), 9):
        client.post(URL, FORM)
    s = DigestSubscription.objects.get()
    assert s.enabled and s.watermark == dt.datetime(2026, 9, 10, 6, 0, tzinfo=dt.UTC)


def test_the_settings_page_reads_in_constant_queries(world, login_as, django_assert_max_num_queries):
    from ..models import DigestLog

    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(MON, 10):
        client.post(URL, FORM)
    s = DigestSubscription.objects.get()
    for day in range(1, 16):
        slot = dt.datetime(2026, 9, day, 16, tzinfo=dt.UTC)
        DigestLog.objects.create(subscription=s, slot=slot, period_start=slot, period_end=slot, status="sent")
    with django_assert_max_num_queries(10):  # session, user, roles, recipient, subscription, logs…
        page = client.get(URL).content.decode()
    assert page.count("<tr><td>") == 10  # the latest ten digests
