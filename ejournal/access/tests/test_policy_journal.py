"""The journal's rules on plain objects: keepers, readers, corrections, closing terms."""

from types import SimpleNamespace as Obj

import pytest

from ejournal.access.policy import Actor, check
from ejournal.access.roles import Role

lesson = Obj(school_id=1, teacher_id=10, substitute_id=11, school_class_id=50)
assignment = Obj(school_id=1, teacher_id=10, school_class_id=50)
foreign_lesson = Obj(school_id=2, teacher_id=10, substitute_id=None, school_class_id=60)
term = Obj(school_id=1)


def actor(role, user_id=99, **kw):
    return Actor(user_id=user_id, role=role, school_id=kw.pop("school_id", 1), **kw)


def test_the_teacher_and_the_substitute_keep_the_lesson_nobody_else():
    assert check(actor(Role.TEACHER, 10), "can_keep_journal", lesson)
    assert check(actor(Role.CLASS_TEACHER, 11), "can_keep_journal", lesson)
    assert check(actor(Role.TEACHER, 10), "can_keep_journal", assignment)
    assert not check(actor(Role.TEACHER, 11), "can_keep_journal", assignment)
    assert not check(actor(Role.TEACHER, 12), "can_keep_journal", lesson)
    assert not check(actor(Role.TEACHER, 10, school_id=1), "can_keep_journal", foreign_lesson)
    assert not check(actor(Role.STUDENT, 10), "can_keep_journal", lesson)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD])
def test_administration_keeps_journals_only_when_the_regulation_says_so(settings, role):
    assert not check(actor(role), "can_keep_journal", lesson)
    settings.EJ_JOURNAL_RULES = {"admin_may_keep_journal": True}
    assert check(actor(role), "can_keep_journal", lesson)
    assert not check(actor(role), "can_keep_journal", foreign_lesson)
    assert not check(actor(Role.JOURNAL_COORDINATOR), "can_keep_journal", lesson)


def test_readers_of_a_journal():
    assert check(actor(Role.TEACHER, 11), "can_view_journal", lesson)
    for role in (Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR):
        assert check(actor(role), "can_view_journal", lesson)
        assert not check(actor(role), "can_view_journal", foreign_lesson)
    assert check(actor(Role.CLASS_TEACHER, led_class_ids=frozenset({50})), "can_view_journal", assignment)
    assert not check(actor(Role.CLASS_TEACHER, led_class_ids=frozenset({51})), "can_view_journal", assignment)
    assert not check(actor(Role.TEACHER, class_ids=frozenset({50})), "can_view_journal", assignment)
    for role in (Role.GUARDIAN, Role.STUDENT, Role.DISTRICT_OFFICER, Role.METHODIST):
        assert not check(actor(role), "can_view_journal", lesson)


@pytest.mark.parametrize("rule", ["can_approve_correction", "can_close_term"])
def test_corrections_and_closing_are_for_the_deputy_head_and_the_director(rule):
    assert check(actor(Role.DEPUTY_HEAD), rule, term)
    assert check(actor(Role.DIRECTOR), rule, term)
    assert not check(actor(Role.DIRECTOR, school_id=2), rule, term)
    for role in (Role.JOURNAL_COORDINATOR, Role.TEACHER, Role.CLASS_TEACHER, Role.DISTRICT_OFFICER):
        assert not check(actor(role), rule, term)
