"""The Regulation as data: the exemplary one, a school's adoption, rules_for, the coordinator's appointment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.journal.rules import rules_for
from ejournal.people.models import RoleAssignment

from ..models import NORM_FIELDS, CoordinatorAppointment, Regulation
from ..selectors import cache_forget, differences
from ..services import coordinator_appoint, exemplary_save, school_regulation_adopt

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache(world):
    cache_forget([world.school.pk, world.other_school.pk])
    yield
    cache_forget([world.school.pk, world.other_school.pk])


def officer(w):
    return Actor(user_id=w.municipal_officer.pk, role=Role.MUNICIPAL_OFFICER, municipality_id=w.city.pk)


def director(w):
    return Actor(user_id=w.director.pk, role=Role.DIRECTOR, school_id=w.school.pk)


def norms(**changed):
    return {**Regulation().norms(), **changed}


def test_rules_for_reads_the_schools_regulation_then_the_exemplary_one_then_the_settings(world):
    assert rules_for(world.school).written_mark_school_days == 3
    exemplary_save(municipality=world.city, values=norms(written_mark_school_days=4), actor=officer(world))
    assert rules_for(world.school).written_mark_school_days == 4
    assert rules_for(world.other_school).written_mark_school_days == 4
    adopted = school_regulation_adopt(
        school=world.school, values=norms(written_mark_school_days=5, suggestion_five=D("4.50")),
        adopted_on=dt.date(2026, 8, 30), order_number="15-о", actor=director(world),
    )  # fmt: skip
    rules = rules_for(world.school)
    assert rules.written_mark_school_days == 5
    assert rules.suggestion_thresholds[0] == (D("4.50"), "5")
    assert rules_for(world.other_school).written_mark_school_days == 4
    assert adopted.derived_from.school_id is None
    assert differences(adopted, adopted.derived_from) == {"written_mark_school_days", "suggestion_five"}
    assert set(Regulation().norms()) == set(NORM_FIELDS)


def test_only_the_department_edits_the_exemplary_and_only_the_director_adopts(world):
    with pytest.raises(ValidationError):
        exemplary_save(municipality=world.city, values=norms(), actor=director(world))
    deputy = Actor(user_id=world.deputy_head.pk, role=Role.DEPUTY_HEAD, school_id=world.school.pk)
    with pytest.raises(ValidationError):
        school_regulation_adopt(school=world.school, values=norms(), adopted_on=dt.date(2026, 8, 30),
                                order_number="1", actor=deputy)  # fmt: skip
    assert not Regulation.objects.exists()


def test_bad_norms_are_refused_with_nothing_saved(world):
    with pytest.raises(ValidationError, match="убывать"):
        exemplary_save(municipality=world.city, values=norms(suggestion_four=D("4.70")), actor=officer(world))
    with pytest.raises(ValidationError, match="приказа"):
        school_regulation_adopt(school=world.school, values=norms(), adopted_on=dt.date(2026, 8, 30),
                                order_number=" ", actor=director(world))  # fmt: skip
    assert not Regulation.objects.exists()


def test_appointing_a_coordinator_opens_the_role_and_ends_the_predecessors(world):
    first = coordinator_appoint(
        school=world.school, user=world.teacher, order_number="20-о", order_date=dt.date(2026, 9, 1),
        starts_on=dt.date(2026, 9, 1), actor=director(world),
    )  # fmt: skip
    assert first.role_assignment.role == Role.JOURNAL_COORDINATOR and first.role_assignment.user == world.teacher
    second = coordinator_appoint(
        school=world.school, user=world.other_teacher, order_number="31-о", order_date=dt.date(2026, 10, 1),
        starts_on=dt.date(2026, 10, 1), actor=director(world),
    )  # fmt: skip
    first.refresh_from_db()
    assert first.ends_on == dt.date(2026, 9, 30)
    assert RoleAssignment.objects.get(pk=first.role_assignment_id).ends_on == dt.date(2026, 9, 30)
    assert second.role_assignment.ends_on is None
    assert CoordinatorAppointment.objects.filter(school=world.school, ends_on__isnull=True).count() == 1
    with pytest.raises(ValidationError):
        coordinator_appoint(school=world.school, user=world.foreign_teacher, order_number="1",
                            order_date=dt.date(2026, 10, 2), starts_on=dt.date(2026, 10, 2), actor=director(world))  # fmt: skip
