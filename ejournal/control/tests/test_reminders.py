"""Reminders to teachers: one e-mail per teacher with findings, no students' names, the command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.journal.tests.helpers import at

from ..services import teacher_reminders_send
from .data import september

pytestmark = pytest.mark.django_db
AFTER = dt.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_teacher_gets_one_message_with_what_they_owe(world):
    world.teacher.email = "popova@school1.example"
    world.teacher.save(update_fields=["email"])
    september(world)
    with at(AFTER):
        result = teacher_reminders_send(school=world.school, first=dt.date(2026, 9, 1), last=dt.date(2026, 9, 30))
    assert result.sent == 1
    (message,) = mail.outbox
    assert message.to == ["popova@school1.example"]
    assert "Тема урока не записана в срок: 2" in message.body
    assert "08.09.2026" in message.body
    assert world.classmate.last_name not in message.body  # students are counted, not named
    assert AuditEvent.objects.filter(action="control_reminders_send", school_id=world.school.pk).exists()


def test_teacher_without_email_is_counted_and_nothing_is_sent(world):
    september(world)
    with at(AFTER):
        result = teacher_reminders_send(school=world.school, first=dt.date(2026, 9, 1), last=dt.date(2026, 9, 30))
    assert (result.sent, result.without_email) == (0, 1)
    assert mail.outbox == []


def test_command_reminds_the_schools_teachers(world):
    world.teacher.email = "popova@school1.example"
    world.teacher.save(update_fields=["email"])
    september(world)
    out = StringIO()
    with at(AFTER):
        call_command("control_remind", "--school", "s1", "--month", "2026-09", stdout=out)
    assert "напоминаний отправлено 1" in out.getvalue()
    assert len(mail.outbox) == 1


def test_command_refuses_a_bad_month_in_russian(world):
    with pytest.raises(CommandError, match="Месяц — в виде ГГГГ-ММ"):
        call_command("control_remind", "--month", "2026-13")
    with pytest.raises(CommandError, match="Школы с кодом"):
        call_command("control_remind", "--school", "nope")


def test_deputy_head_sends_the_reminders_from_the_dashboard(world, login_as):
    world.teacher.email = "popova@school1.example"
    world.teacher.save(update_fields=["email"])
    september(world)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    with at(AFTER):
        question = client.post(reverse("control:remind") + "?month=2026-09")
        html = question.content.decode()
        assert question.status_code == 200 and 'role="alertdialog"' in html and 'id="confirm-cancel"' in html
        assert "1 учителю" in html and "01.09.2026" in html and "30.09.2026" in html
        assert mail.outbox == [] and not AuditEvent.objects.filter(action="control_reminders_send").exists()
        response = client.post(reverse("control:remind") + "?month=2026-09", {"confirmed": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Напоминание отправлено 1 учителю." in response.content.decode()
    assert len(mail.outbox) == 1


def test_coordinator_cannot_send_the_reminders(world, login_as):
    september(world)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    assert client.post(reverse("control:remind")).status_code == 403
    assert mail.outbox == []


def test_a_bad_period_sends_nothing(world, login_as):
    september(world)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    response = client.post(reverse("control:remind") + "?month=2026-13", follow=True)
    assert "Месяц — в виде ГГГГ-ММ" in response.content.decode()
    assert mail.outbox == []
