"""Rules of year setup, curriculum and teaching assignments, on plain objects."""

from types import SimpleNamespace as Obj

import pytest

from ejournal.access.policy import Actor, check
from ejournal.access.roles import Role

own = Obj(school_id=1)
foreign = Obj(school_id=2)
my_assignment = Obj(school_id=1, teacher_id=99)
colleagues_assignment = Obj(school_id=1, teacher_id=98)


def actor(role, **kw):
    return Actor(user_id=99, role=role, **kw)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD])
def test_director_and_deputy_head_plan_only_their_school(role):
    a = actor(role, school_id=1)
    assert check(a, "can_plan_school")
    assert check(a, "can_plan_school", own)
    assert not check(a, "can_plan_school", foreign)


@pytest.mark.parametrize(
    "role",
    [Role.JOURNAL_COORDINATOR, Role.TEACHER, Role.CLASS_TEACHER, Role.STUDENT, Role.GUARDIAN],
)
def test_other_school_roles_do_not_plan(role):
    assert not check(actor(role, school_id=1), "can_plan_school", own)


@pytest.mark.parametrize("role", [Role.MUNICIPAL_OFFICER, Role.METHODIST, Role.DISTRICT_OFFICER])
def test_city_and_district_roles_neither_plan_nor_read_the_plan(role):
    a = actor(role, school_ids=frozenset({1, 2}), municipality_id=100, district_id=10)
    assert not check(a, "can_plan_school", own)
    assert not check(a, "can_view_school_plan", own)
    assert not check(a, "can_view_own_assignments")


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR])
def test_school_administration_reads_the_plan_of_its_school(role):
    a = actor(role, school_id=1)
    assert check(a, "can_view_school_plan")
    assert not check(a, "can_view_school_plan", foreign)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.CLASS_TEACHER, Role.GUARDIAN, Role.STUDENT])
def test_teachers_and_families_do_not_read_the_plan(role):
    assert not check(actor(role, school_id=1), "can_view_school_plan", own)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.CLASS_TEACHER])
def test_teacher_reads_only_own_assignments(role):
    a = actor(role, school_id=1)
    assert check(a, "can_view_own_assignments")
    assert check(a, "can_view_own_assignments", my_assignment)
    assert not check(a, "can_view_own_assignments", colleagues_assignment)
    assert not check(a, "can_view_own_assignments", Obj(school_id=2, teacher_id=99))


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD, Role.STUDENT, Role.GUARDIAN])
def test_my_assignments_page_is_for_teachers(role):
    assert not check(actor(role, school_id=1), "can_view_own_assignments")
