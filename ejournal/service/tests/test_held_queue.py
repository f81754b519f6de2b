"""The held queue: over the hourly limits applications wait for the school instead of being refused; the
coordinator releases real ones and rejects spam in one action after a confirmation; duplicates are flagged."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from ejournal.access.policy import ANONYMOUS, Actor
from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.service import selectors, services
from ejournal.service.models import Application

from .factories import application_input, make_application

NOW = dt.datetime(2026, 10, 5, 7, 0, tzinfo=dt.UTC)  # 10:00 in Moscow
REGISTER = "/u/register/"
BULK = "/u/register/bulk/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _submit(world, source="addr-1", **overrides) -> Application:
    return services.application_submit(
        school=world.school, data=application_input(**overrides), actor=ANONYMOUS, source=source
    )


def test_over_the_limit_per_address_an_application_is_held_with_no_deadline(world, frozen, settings):
    settings.EJ_SERVICE = {"rate_per_ip": 2}
    first, second, third = (_submit(world, child_first_name=n) for n in ("Анна", "Мария", "Ольга"))
    assert [a.status for a in (first, second)] == [Application.Status.RECEIVED] * 2
    assert third.status == Application.Status.HELD
    assert third.hold_reason == Application.HoldReason.ADDRESS
    assert third.due_on is None and third.number == "S1-00003"
    assert _submit(world, source="addr-2").status == Application.Status.RECEIVED  # another sender: not held
    frozen.shift(3601)
    assert _submit(world).status == Application.Status.RECEIVED  # an hour later the sender is welcome again


def test_over_the_limit_per_school_every_sender_is_held_other_schools_are_not(world, frozen, settings):
    settings.EJ_SERVICE = {"rate_per_school": 1}
    assert _submit(world, source="a").status == Application.Status.RECEIVED
    held = _submit(world, source="b")
    assert (held.status, held.hold_reason) == (Application.Status.HELD, Application.HoldReason.SCHOOL)
    other = services.application_submit(
        school=world.other_school, data=application_input(), actor=ANONYMOUS, source="c"
    )
    assert other.status == Application.Status.RECEIVED


def test_a_held_application_cannot_be_worked_on_before_it_is_released(world, login_as, frozen, settings):
    settings.EJ_SERVICE = {"rate_per_school": 0}
    held = _submit(world)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.post(reverse("service:application_match", args=[held.pk]), {"student": world.classmate.pk})
    held.refresh_from_db()
    assert held.status == Application.Status.HELD and held.student_id is None
    page = client.get(reverse("service:application", args=[held.pk])).content.decode()
    assert "Принять в работу…" in page and "Связать с обучающимся" not in page


def _held_flood(world, n: int, settings) -> list[Application]:
    settings.EJ_SERVICE = {"rate_per_school": 0}
    return [
        _submit(
            world,
            source=f"s{i}",
            last_name="Спамов",
            child_first_name=f"Спам{i}",
            phone=f"+7 900 {i:03d}-00-00",
            email="",
        )
        for i in range(n)
    ]


def test_the_register_shows_the_held_queue_apart_with_a_banner(world, login_as, frozen, settings):
    real = make_application(world.school)
    junk = _held_flood(world, 3, settings)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    text = client.get(REGISTER).content.decode()
    assert real.number in text and junk[0].number not in text
    assert "data-held-banner" in text and "Задержаны 3" in text
    held = client.get(REGISTER + "?status=held").content.decode()
    assert all(a.number in held for a in junk) and real.number not in held


def test_the_coordinator_rejects_the_whole_held_queue_as_spam_after_a_confirmation(world, login_as, frozen, settings):
    junk = _held_flood(world, 60, settings)  # more than a page of the register
    real = junk.pop()
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    assert client.post(BULK, {"action": "release", "ids": [real.pk], "confirm": "1"}).status_code == 302
    real.refresh_from_db()
    assert real.status == Application.Status.RECEIVED and real.due_on == dt.date(2026, 10, 20)

    upto = max(a.pk for a in junk)
    confirm = client.post(BULK, {"action": "spam", "upto": upto, "back": REGISTER + "?status=held"})
    text = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Будет отклонено как спам 59 заявлений" in text
    assert "data-cancel" in text and "autofocus" in text  # the safe choice is the default
    assert Application.objects.filter(status=Application.Status.HELD).count() == 59  # nothing changed yet

    late = _submit(world, source="late")  # arrives after the page was shown: not part of the action
    done = client.post(BULK, {"action": "spam", "upto": upto, "confirm": "1", "back": REGISTER + "?status=held"})
    assert done.status_code == 302 and done["Location"] == REGISTER + "?status=held"
    assert Application.objects.filter(status=Application.Status.SPAM).count() == 59
    assert Application.objects.get(pk=late.pk).status == Application.Status.HELD
    assert Application.objects.get(pk=real.pk).status == Application.Status.RECEIVED
    events = AuditEvent.objects.filter(action="service_application_spam")
    assert events.count() == 59 and {e.actor_id for e in events} == {world.coordinator.pk}
    assert AuditEvent.objects.filter(action="service_application_release", object_id=str(real.pk)).exists()
    assert "Отклонено как спам 59" in client.get(done["Location"]).content.decode()


def test_ticked_applications_in_work_or_foreign_are_left_as_they_are(world, login_as, frozen):
    mine = make_application(world.school)
    in_work = make_application(world.school, child_first_name="Мария")
    foreign = make_application(world.other_school)
    actor = Actor(user_id=world.coordinator.pk, role=Role.JOURNAL_COORDINATOR, school_id=world.school.pk)
    services.application_match(application=in_work, student=world.classmate, same_child_confirmed=True, actor=actor)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    ids = [mine.pk, in_work.pk, foreign.pk]
    confirm = client.post(BULK, {"action": "spam", "ids": ids}).content.decode()
    assert "Будет отклонено как спам 1 заявление" in confirm and "data-left" in confirm
    client.post(BULK, {"action": "spam", "ids": ids, "confirm": "1"})
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "spam", in_work.pk: "in_work", foreign.pk: "received"}


def test_a_second_tab_confirming_the_same_action_is_told_nothing_changed(world, login_as, frozen, settings):
    """Two tabs showed the same confirmation; the second «Отклонить» used to report success («Отклонено как спам
    0 заявлений.») although nothing was saved."""
    junk = _held_flood(world, 2, settings)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    post = {"action": "spam", "ids": [a.pk for a in junk], "confirm": "1", "back": REGISTER + "?status=held"}
    assert "Отклонены как спам 2 заявления" in client.post(BULK, post, follow=True).content.decode()
    assert Application.objects.filter(status=Application.Status.SPAM).count() == 2
    page = client.post(BULK, post, follow=True).content.decode()
    assert "Ничего не изменено" in page
    assert "Отклонено как спам 0" not in page and 'class="success"' not in page
    assert AuditEvent.objects.filter(action="service_application_spam").count() == 2


def test_the_deputy_head_cannot_act_in_bulk(world, login_as, frozen):
    application = make_application(world.school)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assert client.post(BULK, {"action": "spam", "ids": [application.pk], "confirm": "1"}).status_code == 403
    assert Application.objects.get().status == Application.Status.RECEIVED


def test_spam_and_the_held_queue_are_not_in_the_monthly_figures(world, frozen, settings):
    make_application(world.school)
    spam = make_application(world.school, child_first_name="Спам")
    actor = Actor(user_id=world.coordinator.pk, role=Role.JOURNAL_COORDINATOR, school_id=world.school.pk)
    services.applications_mark_spam(school_id=world.school.pk, ids=[spam.pk], actor=actor)
    _held_flood(world, 2, settings)
    (figures,) = selectors.monthly_figures(actor=actor, year=2026, month=10)
    assert figures.received == 1


def test_probable_duplicates_are_flagged_never_merged(world, login_as, frozen):
    first = make_application(world.school)
    again = make_application(world.school, child_first_name="ДАРЬЯ ", phone="+7 900 000-00-00", email="")
    brother = make_application(world.school, child_first_name="Иван", child_birth_date=dt.date(2013, 5, 5))
    stranger = make_application(
        world.school, child_first_name="Пётр", phone="+7 900 111-11-11", email="x@example.ru",
        child_birth_date=dt.date(2012, 1, 1),
    )  # fmt: skip
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    text = client.get(REGISTER).content.decode()
    assert text.count("data-duplicate") == 3  # first, again (same child), brother (same phone as first)
    page = client.get(reverse("service:application", args=[again.pk])).content.decode()
    assert first.number in page and "тот же ребёнок" in page
    page = client.get(reverse("service:application", args=[brother.pk])).content.decode()
    assert "тот же телефон или e-mail" in page
    assert "data-duplicates" not in client.get(reverse("service:application", args=[stranger.pk])).content.decode()
    assert Application.objects.count() == 4
