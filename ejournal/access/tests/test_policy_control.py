"""Rules of the Regulation pages and of the filling control, on plain objects."""

from types import SimpleNamespace as Obj

import pytest

from ejournal.access.policy import Actor, check
from ejournal.access.roles import Role


def actor(role, **kw):
    return Actor(user_id=99, role=role, **kw)


MUNICIPAL = actor(Role.MUNICIPAL_OFFICER, municipality_id=1, school_ids=frozenset({1, 2}))
METHODIST = actor(Role.METHODIST, municipality_id=1, school_ids=frozenset({1, 2}))
DISTRICT = actor(Role.DISTRICT_OFFICER, municipality_id=1, district_id=10, school_ids=frozenset({1}))
DIRECTOR = actor(Role.DIRECTOR, municipality_id=1, school_id=1)
DEPUTY = actor(Role.DEPUTY_HEAD, municipality_id=1, school_id=1)
COORDINATOR = actor(Role.JOURNAL_COORDINATOR, municipality_id=1, school_id=1)
TEACHER = actor(Role.TEACHER, municipality_id=1, school_id=1)
GUARDIAN = actor(Role.GUARDIAN, student_ids=frozenset({5}))
OWN, FOREIGN = Obj(school_id=1), Obj(school_id=2)


def test_only_the_department_edits_the_exemplary_regulation_of_its_city():
    assert check(MUNICIPAL, "can_edit_exemplary_regulation", Obj(municipality_id=1))
    assert not check(MUNICIPAL, "can_edit_exemplary_regulation", Obj(municipality_id=2))
    for a in (METHODIST, DISTRICT, DIRECTOR, DEPUTY, COORDINATOR, TEACHER, GUARDIAN):
        assert not check(a, "can_edit_exemplary_regulation"), a.role


def test_city_district_and_school_administration_read_the_exemplary_regulation():
    for a in (MUNICIPAL, METHODIST, DISTRICT, DIRECTOR, DEPUTY, COORDINATOR):
        assert check(a, "can_view_exemplary_regulation"), a.role
    for a in (TEACHER, GUARDIAN):
        assert not check(a, "can_view_exemplary_regulation"), a.role


def test_school_administration_reads_its_own_schools_regulation_only():
    for a in (DIRECTOR, DEPUTY, COORDINATOR):
        assert check(a, "can_view_school_regulation", OWN)
        assert not check(a, "can_view_school_regulation", FOREIGN)
    for a in (MUNICIPAL, TEACHER, GUARDIAN):
        assert not check(a, "can_view_school_regulation"), a.role


def test_only_the_director_adopts_the_regulation_and_appoints_the_coordinator():
    assert check(DIRECTOR, "can_adopt_school_regulation", OWN)
    assert not check(DIRECTOR, "can_adopt_school_regulation", FOREIGN)
    for a in (DEPUTY, COORDINATOR, MUNICIPAL, TEACHER):
        assert not check(a, "can_adopt_school_regulation"), a.role


@pytest.mark.parametrize("a", [DIRECTOR, DEPUTY])
def test_deputy_head_and_director_see_the_filling_control_of_their_school(a):
    assert check(a, "can_view_filling_control")
    assert check(a, "can_view_filling_control", OWN)
    assert not check(a, "can_view_filling_control", FOREIGN)


@pytest.mark.parametrize("a", [COORDINATOR, TEACHER, MUNICIPAL, DISTRICT, GUARDIAN])
def test_others_do_not_see_the_filling_control(a):
    assert not check(a, "can_view_filling_control")


def test_deputy_head_and_director_remind_only_their_own_schools_teachers():
    for a in (DIRECTOR, DEPUTY):
        assert check(a, "can_remind_teachers", OWN)
        assert not check(a, "can_remind_teachers", FOREIGN)
    for a in (COORDINATOR, TEACHER, MUNICIPAL, GUARDIAN):
        assert not check(a, "can_remind_teachers"), a.role
