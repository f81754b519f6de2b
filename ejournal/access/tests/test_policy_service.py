"""Rules of the municipal service register, on plain objects."""

from types import SimpleNamespace as Obj

import pytest

from ejournal.access.policy import Actor, check
from ejournal.access.roles import Role

own_application = Obj(id=1, school_id=1)
foreign_application = Obj(id=2, school_id=2)


def actor(role, **kw):
    return Actor(user_id=99, role=role, **kw)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR])
def test_school_administration_reads_only_its_own_register(role):
    a = actor(role, school_id=1)
    assert check(a, "can_view_service_register")
    assert check(a, "can_view_service_register", own_application)
    assert not check(a, "can_view_service_register", foreign_application)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.JOURNAL_COORDINATOR])
def test_director_and_coordinator_handle_applications_of_their_school(role):
    a = actor(role, school_id=1)
    assert check(a, "can_handle_service_application")
    assert check(a, "can_handle_service_application", own_application)
    assert not check(a, "can_handle_service_application", foreign_application)


def test_deputy_head_only_reads_the_register():
    assert not check(actor(Role.DEPUTY_HEAD, school_id=1), "can_handle_service_application", own_application)


@pytest.mark.parametrize(
    "a",
    [
        actor(Role.TEACHER, school_id=1, class_ids=frozenset({50})),
        actor(Role.CLASS_TEACHER, school_id=1, led_class_ids=frozenset({50})),
        actor(Role.GUARDIAN, student_ids=frozenset({5})),
        actor(Role.STUDENT, student_ids=frozenset({5})),
        actor(Role.DISTRICT_OFFICER, district_id=10, school_ids=frozenset({1})),
        actor(Role.MUNICIPAL_OFFICER, municipality_id=100, school_ids=frozenset({1, 2})),
        actor(Role.METHODIST, municipality_id=100, school_ids=frozenset({1, 2})),
    ],
    ids=lambda a: a.role,
)
def test_other_roles_neither_read_nor_handle_applications(a):
    for rule in ("can_view_service_register", "can_handle_service_application"):
        assert not check(a, rule)
        assert not check(a, rule, own_application)
