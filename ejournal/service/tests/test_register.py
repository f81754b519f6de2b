"""The coordinator's register: who sees it, the deadline, matching, checking, granting, refusing, consents."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.people.models import Guardian, GuardianLink
from ejournal.service.models import Application, Consent

from .factories import make_application

RECEIVED = dt.datetime(2026, 10, 5, 7, 0, tzinfo=dt.UTC)  # 10:00 in Moscow


def _url(name, application):
    return reverse(f"service:{name}", args=[application.pk])


def _ready(client, application, student):
    """Match the child and record the check, as the coordinator does before granting."""
    client.post(_url("application_match", application), {"student": student.pk})
    client.post(_url("application_verify", application), {"identity": "on", "relationship": "on", "note": "паспорт"})


def _grant(client, application):
    return client.post(
        _url("application_grant", application),
        {"consent_date": "05.10.2026", "consent_document": "№ 15", "consent_received": "on"},
    )


@pytest.fixture
def application(world):
    with time_machine.travel(RECEIVED, tick=False):
        return make_application(world.school)


# --- who ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR])
def test_school_administration_reads_the_register(world, login_as, application, role):
    client = login_as(world.personas[role], role)
    assert application.number in client.get(reverse("service:register")).content.decode()
    assert client.get(_url("application", application)).status_code == 200


@pytest.mark.parametrize("role", [Role.TEACHER, Role.CLASS_TEACHER, Role.GUARDIAN, Role.DISTRICT_OFFICER])
def test_other_roles_are_refused_the_register(world, login_as, application, role):
    client = login_as(world.personas[role], role)
    assert client.get(reverse("service:register")).status_code == 403
    assert client.get(_url("application", application)).status_code == 403


def test_foreign_coordinator_gets_404_on_our_application_and_does_not_list_it(world, login_as, application):
    client = login_as(world.foreign_coordinator, Role.JOURNAL_COORDINATOR)
    assert client.get(_url("application", application)).status_code == 404
    assert client.post(_url("application_refuse", application), {"reason": "x"}).status_code == 404
    assert application.number not in client.get(reverse("service:register")).content.decode()


def test_deputy_head_reads_but_cannot_decide(world, login_as, application):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assert client.post(_url("application_refuse", application), {"reason": "нет"}).status_code == 403
    assert "Предоставить доступ" not in client.get(_url("application", application)).content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED


def test_register_list_takes_the_same_queries_for_few_and_many(world, login_as, django_assert_num_queries):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    make_application(world.school)
    client.get(reverse("service:register"))  # warm the session and the actor
    # The user (session and roles are cached), the list, the count, the page's probable duplicates, the held count.
    with django_assert_num_queries(5) as few:
        client.get(reverse("service:register"))
    for n in range(12):
        make_application(world.school, child_first_name=f"Ребёнок{'а' * n}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("service:register"))
    assert response.content.decode().count("/u/register/") >= 13


# --- the deadline ------------------------------------------------------------------------------


def test_deadline_counts_down_and_an_overdue_application_is_flagged(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    assert application.due_on == dt.date(2026, 10, 20)
    with time_machine.travel(dt.datetime(2026, 10, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        text = client.get(reverse("service:register")).content.decode()
        assert "осталось 5 дней" in text and "data-overdue" not in text
    with time_machine.travel(dt.datetime(2026, 10, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        assert "срок сегодня" in client.get(reverse("service:register")).content.decode()
    with time_machine.travel(dt.datetime(2026, 10, 22, 9, 0, tzinfo=dt.UTC), tick=False):
        text = client.get(reverse("service:register")).content.decode()
        assert "просрочено на 2 дня" in text
        assert application.number in client.get(reverse("service:register") + "?overdue=1").content.decode()


def test_a_decided_application_is_never_overdue(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.post(_url("application_refuse", application), {"reason": "Ребёнок не обучается в школе"})
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=False):
        assert application.number not in client.get(reverse("service:register") + "?overdue=1").content.decode()
        assert "просрочено" not in client.get(reverse("service:register")).content.decode()


def test_status_filter(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    other = make_application(world.school, child_first_name="Мария")
    client.post(_url("application_refuse", other), {"reason": "Нет такого ребёнка"})
    text = client.get(reverse("service:register") + "?status=refused").content.decode()
    assert other.number in text and application.number not in text


# --- matching and checking ---------------------------------------------------------------------


def test_the_child_is_suggested_by_name_and_birth_date(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    text = client.get(_url("application", application)).content.decode()
    assert f'name="student" value="{world.classmate.pk}"' in text
    assert f'name="student" value="{world.student.pk}"' not in text


def test_a_foreign_student_cannot_be_matched(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    assert client.post(_url("application_match", application), {"student": world.foreign_student.pk}).status_code == 404
    application.refresh_from_db()
    assert application.student is None


def test_check_records_who_and_when_and_puts_the_application_in_work(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    _ready(client, application, world.classmate)
    application.refresh_from_db()
    assert application.status == Application.Status.IN_WORK
    assert application.student == world.classmate
    assert application.verified_by == world.coordinator and application.verified_at is not None
    assert application.verification_note == "паспорт"


def test_check_without_the_boxes_is_refused(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(_url("application_verify", application), {"identity": "on"})
    assert response.status_code == 400
    assert "родство или полномочия проверены" in response.content.decode()
    application.refresh_from_db()
    assert application.verified_at is None


# --- granting ---------------------------------------------------------------------------------


def test_grant_creates_the_guardian_link_consent_and_login_and_shows_the_slip(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    _ready(client, application, world.classmate)
    response = _grant(client, application)
    assert response.status_code == 302 and response["Location"] == reverse("people:slips")
    guardian = Guardian.objects.get(last_name="Белова", first_name="Светлана")
    assert guardian.user is not None and guardian.user.must_change_password
    link = GuardianLink.objects.get(guardian=guardian)
    assert link.student == world.classmate and link.relation == "mother"
    consent = Consent.objects.get(guardian=guardian)
    assert (consent.student, consent.kind, consent.given_at) == (world.classmate, "consent", dt.date(2026, 10, 5))
    slip = client.get(response["Location"]).content.decode()
    assert guardian.user.username in slip and "Белова Дарья Игоревна" in slip
    application.refresh_from_db()
    assert application.status == Application.Status.GRANTED and application.guardian == guardian
    assert AuditEvent.objects.filter(action="service_application_grant", object_id=str(application.pk)).count() == 1


def test_granting_twice_creates_exactly_one_guardian_and_link(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    _ready(client, application, world.classmate)
    _grant(client, application)
    response = _grant(client, application)
    assert response.status_code == 400
    assert "уже принято решение" in response.content.decode()
    assert Guardian.objects.filter(last_name="Белова").count() == 1
    assert GuardianLink.objects.filter(student=world.classmate).count() == 1
    assert Consent.objects.filter(student=world.classmate).count() == 1


def test_grant_reuses_a_guardian_known_in_the_city_and_keeps_their_login(world, login_as):
    mother = world.guardian  # Орлова Марина, parent@example.ru, already has a login
    application = make_application(
        world.school, last_name="Орлова", first_name="Марина", email="parent@example.ru", phone="+7 900 000-00-01"
    )
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    _ready(client, application, world.classmate)
    password = mother.user.password
    response = _grant(client, application)
    assert response["Location"] == _url("application", application)
    assert Guardian.objects.filter(last_name="Орлова", first_name="Марина").count() == 1
    assert GuardianLink.objects.filter(guardian=mother, student=world.classmate).exists()
    mother.user.refresh_from_db()
    assert mother.user.password == password


def test_grant_before_the_check_is_refused(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.post(_url("application_match", application), {"student": world.classmate.pk})
    response = _grant(client, application)
    assert "Сначала проверьте личность" in response.content.decode()
    assert not Guardian.objects.filter(last_name="Белова").exists()


def test_grant_without_written_consent_is_refused(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    _ready(client, application, world.classmate)
    response = client.post(_url("application_grant", application), {"consent_date": "05.10.2026"})
    assert response.status_code == 400
    assert "Без письменного согласия" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_student_of_fourteen_gets_their_own_login(world, login_as):
    world.classmate.birth_date = dt.date(2010, 1, 1)
    world.classmate.save()
    application = make_application(
        world.school,
        applicant_kind="student",
        relation="",
        last_name="Белова",
        first_name="Дарья",
        child_birth_date=dt.date(2010, 1, 1),
    )
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    _ready(client, application, world.classmate)
    assert _grant(client, application)["Location"] == reverse("people:slips")
    world.classmate.refresh_from_db()
    assert world.classmate.user is not None
    assert not GuardianLink.objects.filter(student=world.classmate).exists()
    assert Consent.objects.get(student=world.classmate).guardian is None


# --- refusing ---------------------------------------------------------------------------------


def test_refusal_requires_a_reason(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    response = client.post(_url("application_refuse", application), {"reason": "   "})
    assert response.status_code == 400
    assert "Укажите причину отказа" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED


def test_refusal_is_recorded_and_printable(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.post(_url("application_refuse", application), {"reason": "Ребёнок не обучается в школе"})
    application.refresh_from_db()
    assert application.status == Application.Status.REFUSED
    assert application.refusal_reason == "Ребёнок не обучается в школе"
    assert application.decided_by == world.coordinator
    text = client.get(_url("application", application)).content.decode()
    assert "Уведомление об отказе" in text and "Ребёнок не обучается в школе" in text


def test_written_refusal_of_consent_is_recorded(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.post(_url("application_match", application), {"student": world.classmate.pk})
    client.post(_url("application_refuse", application), {"reason": "Отказ от согласия", "consent_refused": "on"})
    assert Consent.objects.get().kind == Consent.Kind.REFUSAL
    assert not GuardianLink.objects.filter(student=world.classmate).exists()


# --- consent withdrawal ------------------------------------------------------------------------


def test_consent_withdrawal_unlinks_the_guardian_from_the_child(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    _ready(client, application, world.classmate)
    _grant(client, application)
    guardian = Guardian.objects.get(last_name="Белова")
    consent = Consent.objects.get(guardian=guardian)
    page = client.get(reverse("service:guardian", args=[guardian.pk])).content.decode()
    assert "Отозвать согласие" in page
    response = client.post(
        reverse("service:consent_withdraw", args=[consent.pk]), {"reason": "заявление от 06.10.2026"}
    )
    assert response["Location"] == reverse("service:guardian", args=[guardian.pk])
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == world.coordinator
    assert not GuardianLink.objects.filter(guardian=guardian, student=world.classmate).exists()
    assert AuditEvent.objects.filter(action="service_consent_withdraw").count() == 1
    assert AuditEvent.objects.filter(action="guardian_unlink").count() == 1
    assert "отозвано" in client.get(reverse("service:guardian", args=[guardian.pk])).content.decode()


def test_withdrawal_needs_a_reason_and_a_foreign_consent_is_404(world, login_as, application):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    _ready(client, application, world.classmate)
    _grant(client, application)
    consent = Consent.objects.get()
    client.post(reverse("service:consent_withdraw", args=[consent.pk]), {"reason": ""})
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    foreign = login_as(world.foreign_coordinator, Role.JOURNAL_COORDINATOR)
    assert foreign.post(reverse("service:consent_withdraw", args=[consent.pk]), {"reason": "x"}).status_code == 404
    assert GuardianLink.objects.filter(student=world.classmate).exists()


def test_linking_an_application_to_a_different_child_asks_for_a_confirmation(world, login_as):
    """The coordinator picked another child than the one in the application: refused with what differs, unless
    the coordinator confirms it is the same child; a consent dated years before the application is refused."""
    with time_machine.travel(RECEIVED, tick=False):
        application = make_application(world.school)
    student = world.student  # Орлов Максим, not the application's Белова Дарья
    client = login_as(world.coordinator)
    response = client.post(_url("application_match", application), {"student": student.pk}, follow=True)
    page = response.content.decode()
    assert "не совпадает с выбранным обучающимся" in page and "фамилия, имя" in page
    application.refresh_from_db()
    assert application.student_id is None
    client.post(_url("application_match", application), {"student": student.pk, "same_child": "yes"})
    application.refresh_from_db()
    assert application.student_id == student.pk
    event = AuditEvent.objects.filter(action="service_application_match").latest("id")
    assert "same_child_confirmed" in event.changes
    client.post(_url("application_verify", application), {"identity": "on", "relationship": "on", "note": "паспорт"})
    response = client.post(
        _url("application_grant", application),
        {"consent_date": "01.01.1990", "consent_document": "№ 15", "consent_received": "on"}, follow=True,
    )  # fmt: skip
    assert "Дата согласия не может быть раньше" in response.content.decode()
    application.refresh_from_db()
    assert application.status != Application.Status.GRANTED
