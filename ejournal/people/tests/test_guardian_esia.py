"""The school records a parent's identifier at the identity provider: the only key sign-in through it links by."""

from __future__ import annotations

from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.core.models import AuditEvent


def _url(w):
    return f"/school/guardians/{w.guardian.pk}/esia/"


def test_the_coordinator_records_the_identifier_and_it_is_audited(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    assert client.post(_url(world), {"esia_subject": " 1000123456 "}).status_code == 302
    assert User.objects.get(pk=world.guardian_user.pk).esia_subject == "1000123456"
    event = AuditEvent.objects.get(action="esia_subject_set")
    assert event.actor_id == world.coordinator.pk and event.changes == {"esia_subject": ["", "1000123456"]}


def test_one_identifier_belongs_to_one_account(world, login_as):
    User.objects.filter(pk=world.teacher.pk).update(esia_subject="1000123456")
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(_url(world), {"esia_subject": "1000123456"})
    assert response.status_code == 200
    assert "уже записан у другой учётной записи" in response.content.decode()
    assert User.objects.get(pk=world.guardian_user.pk).esia_subject is None


def test_a_malformed_identifier_is_refused_in_russian(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(_url(world), {"esia_subject": "12 34; drop"})
    assert "Идентификатор состоит из цифр и латинских букв" in response.content.decode()
    assert User.objects.get(pk=world.guardian_user.pk).esia_subject is None


def test_clearing_the_field_unlinks(world, login_as):
    User.objects.filter(pk=world.guardian_user.pk).update(esia_subject="1000123456")
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.post(_url(world), {"esia_subject": ""})
    assert User.objects.get(pk=world.guardian_user.pk).esia_subject is None
