"""The deputy head sees that the journal was not changed outside the system (with when it was checked) or the breach."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.archive.tests.data import term_of_marks
from ejournal.journal.models import ChangeRecord
from ejournal.journal.tests.test_chain import tamper

CHECKED = dt.datetime(2026, 11, 2, 7, 30, tzinfo=dt.UTC)  # 10:30 in Moscow


def _dashboard(client) -> str:
    return client.get(reverse("control:dashboard")).content.decode()


def test_the_deputy_head_checks_now_and_sees_the_journal_intact_with_the_time(world, login_as, settings):
    settings.TASK_RUNNER = "sync"
    term_of_marks(world)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assert "Журнал ещё не проверялся на изменения вне системы." in _dashboard(client)
    with time_machine.travel(CHECKED, tick=False):
        response = client.post(reverse("control:verify"))
    assert response.status_code == 302
    page = _dashboard(client)
    assert "Журнал не изменялся вне системы: проверено 02.11.2026 10:30." in page
    assert _checked(ChangeRecord.objects.count()) in page


def _checked(n: int) -> str:
    """The Russian plural as a reader says it: 1 запись, 2–4 записи, 5–20 записей, 21 запись…"""
    if n % 10 == 1 and n % 100 != 11:
        return f"Проверена {n} запись истории изменений."
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"Проверены {n} записи истории изменений."
    return f"Проверено {n} записей истории изменений."


def test_the_deputy_head_sees_the_exact_breach(world, login_as, settings):
    settings.TASK_RUNNER = "sync"
    data = term_of_marks(world)
    mark = data["marks"][0]
    tamper("UPDATE journal_mark SET value = 2 WHERE id = %s", [mark.pk])
    record = ChangeRecord.objects.get(entity="mark", entity_id=mark.pk, field="value")
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    client.post(reverse("control:verify"))
    page = _dashboard(client)
    assert "Журнал изменён вне системы" in page
    assert f"отметка № {mark.pk} изменена вне системы: по записи № {record.pk} она «5», в журнале «2»" in page
    assert f"Школа: СОШ № 1; запись истории изменений № {record.pk}." in page


def test_a_teacher_cannot_run_the_check(world, login_as):
    client = login_as(world.teacher, Role.TEACHER)
    assert client.post(reverse("control:verify")).status_code == 403
