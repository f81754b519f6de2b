"""Figures for the city's monthly report: received, granted, refused, average days, per school and month."""

from __future__ import annotations

import datetime as dt

import time_machine

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.service import selectors, services

from .factories import make_application

MSK = dt.timezone(dt.timedelta(hours=3))


def _at(day: int, month: int = 10):
    return time_machine.travel(dt.datetime(2026, month, day, 12, 0, tzinfo=MSK), tick=False)


def _coordinator(world, school) -> Actor:
    return Actor(user_id=world.coordinator.pk, role=Role.JOURNAL_COORDINATOR, school_id=school.pk)


def _decide(world, application, *, grant: bool):
    actor = _coordinator(world, application.school)
    if grant:
        services.application_match(application=application, student=world.classmate, actor=actor)
        services.application_verify(application=application, note="", actor=actor)
        services.application_grant(
            application=application, consent_date=dt.date(2026, 10, 1), consent_document="", actor=actor
        )
    else:
        services.application_refuse(application=application, reason="Не обучается в школе", actor=actor)


def test_monthly_figures_count_by_school_and_month(world):
    with _at(28, 9):
        september = make_application(world.school, child_first_name="Анна")  # received in September
    with _at(2):
        a = make_application(world.school)
        b = make_application(world.school, child_first_name="Мария", email="m@example.ru", phone="+7 900 111-22-33")
        c = make_application(world.school, child_first_name="Ольга")
        make_application(world.other_school)
    with _at(5):
        _decide(world, september, grant=False)  # 7 days
        _decide(world, a, grant=True)  # 3 days
    with _at(12):
        _decide(world, b, grant=False)  # 10 days
    with _at(3, 11):
        _decide(world, c, grant=False)  # decided in November
    city = Actor(
        user_id=world.municipal_officer.pk,
        role=Role.MUNICIPAL_OFFICER,
        municipality_id=world.city.pk,
        school_ids=frozenset({world.school.pk, world.other_school.pk}),
    )
    october = {f.school_id: f for f in selectors.monthly_figures(actor=city, year=2026, month=10)}
    own = october[world.school.pk]
    assert (own.received, own.granted, own.refused) == (3, 1, 2)
    assert own.average_days == round((7 + 3 + 10) / 3, 1)
    other = october[world.other_school.pk]
    assert (other.received, other.granted, other.refused, other.average_days) == (1, 0, 0, None)
    november = {f.school_id: f for f in selectors.monthly_figures(actor=city, year=2026, month=11)}
    assert (november[world.school.pk].refused, november[world.school.pk].average_days) == (1, 32.0)
    december = selectors.monthly_figures(actor=city, year=2026, month=12)
    assert all((f.received, f.granted, f.refused) == (0, 0, 0) for f in december)


def test_a_school_sees_only_its_own_figures_and_a_teacher_none(world):
    with _at(2):
        make_application(world.school)
        make_application(world.other_school)
    figures = selectors.monthly_figures(actor=_coordinator(world, world.school), year=2026, month=10)
    assert [(f.school_id, f.received) for f in figures] == [(world.school.pk, 1)]
    teacher = Actor(user_id=world.teacher.pk, role=Role.TEACHER, school_id=world.school.pk)
    assert selectors.monthly_figures(actor=teacher, year=2026, month=10) == []
