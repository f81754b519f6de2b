"""The notifications rule on plain objects: only a family member, only their own settings."""

from types import SimpleNamespace as Obj

import pytest

from ejournal.access.policy import ANONYMOUS, Actor, check
from ejournal.access.roles import Role


def actor(role, user_id=7):
    return Actor(user_id=user_id, role=role, school_id=1, student_ids=frozenset({3}))


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.STUDENT])
def test_a_family_member_manages_own_digest_settings(role):
    assert check(actor(role), "can_manage_notifications")
    assert check(actor(role), "can_manage_notifications", Obj(user_id=7))


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.STUDENT])
def test_nobody_manages_another_persons_digest_settings(role):
    assert not check(actor(role), "can_manage_notifications", Obj(user_id=8))
    assert not check(actor(role), "can_manage_notifications", Obj(user_id=None))


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.GUARDIAN, Role.STUDENT)])
def test_staff_and_officers_have_no_digest_settings(role):
    assert not check(actor(role), "can_manage_notifications")
    assert not check(actor(role), "can_manage_notifications", Obj(user_id=7))


def test_anonymous_has_no_digest_settings():
    assert not check(ANONYMOUS, "can_manage_notifications")
