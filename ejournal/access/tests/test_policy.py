"""The rules themselves, on plain objects: no database, no views."""

from types import SimpleNamespace as Obj

import pytest
from django.core.exceptions import PermissionDenied

from ejournal.access import policy
from ejournal.access.policy import Actor, check, enforce
from ejournal.access.roles import Role

school = Obj(id=1, district_id=10, municipality_id=100)
foreign_school = Obj(id=2, district_id=20, municipality_id=100)
own_student = Obj(id=5, school_id=1, school_class_id=50)
other_class_student = Obj(id=6, school_id=1, school_class_id=51)
foreign_student = Obj(id=7, school_id=2, school_class_id=60)


def actor(role, **kw):
    return Actor(user_id=99, role=role, **kw)


def test_unknown_rule_denies():
    assert not check(actor(Role.DIRECTOR, school_id=1), "can_do_anything", school)


def test_anonymous_is_denied_every_rule():
    assert not any(check(policy.ANONYMOUS, name, school) for name in policy.RULES)


def test_enforce_raises_permission_denied():
    with pytest.raises(PermissionDenied):
        enforce(actor(Role.TEACHER, school_id=1), "can_manage_school", school)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR])
def test_school_administration_manages_only_its_school(role):
    a = actor(role, school_id=1)
    assert check(a, "can_manage_school", school)
    assert not check(a, "can_manage_school", foreign_school)
    assert check(a, "can_view_student", own_student)
    assert not check(a, "can_view_student", foreign_student)


def test_teacher_sees_students_of_own_classes_only():
    a = actor(Role.TEACHER, school_id=1, class_ids=frozenset({50}))
    assert check(a, "can_view_student", own_student)
    assert not check(a, "can_view_student", other_class_student)
    assert not check(a, "can_view_student", foreign_student)
    assert not check(a, "can_manage_school", school)


def test_guardian_sees_only_linked_children():
    a = actor(Role.GUARDIAN, student_ids=frozenset({5}))
    assert check(a, "can_view_student", own_student)
    assert not check(a, "can_view_student", other_class_student)
    assert not check(a, "can_view_school", school)


def test_district_officer_reads_own_district_schools_but_no_children():
    a = actor(Role.DISTRICT_OFFICER, district_id=10, school_ids=frozenset({1}))
    assert check(a, "can_view_school", school)
    assert not check(a, "can_view_school", foreign_school)
    assert check(a, "can_view_district", Obj(id=10, municipality_id=100))
    assert not check(a, "can_view_district", Obj(id=20, municipality_id=100))
    assert not check(a, "can_view_student", own_student)
    assert not check(a, "can_manage_school", school)


def test_methodist_reads_the_city_and_manages_nothing():
    a = actor(Role.METHODIST, municipality_id=100, school_ids=frozenset({1, 2}))
    assert check(a, "can_view_school", foreign_school)
    assert check(a, "can_view_city", Obj(id=100))
    assert not check(a, "can_view_city", Obj(id=101))
    assert not any(check(a, name, school) for name in ("can_manage_school", "can_manage_staff", "can_import_roster"))


def test_class_teacher_issues_credentials_only_for_own_class():
    a = actor(Role.CLASS_TEACHER, school_id=1, class_ids=frozenset({50}), led_class_ids=frozenset({50}))
    assert check(a, "can_issue_credentials", own_student)
    assert not check(a, "can_issue_credentials", other_class_student)
    assert not check(a, "can_manage_student", own_student)


def test_only_director_and_coordinator_manage_staff():
    assert check(actor(Role.DIRECTOR, school_id=1), "can_manage_staff", school_obj := Obj(school_id=1))
    assert check(actor(Role.JOURNAL_COORDINATOR, school_id=1), "can_manage_staff", school_obj)
    assert not check(actor(Role.DEPUTY_HEAD, school_id=1), "can_manage_staff", school_obj)
    assert not check(actor(Role.DIRECTOR, school_id=2), "can_manage_staff", school_obj)
