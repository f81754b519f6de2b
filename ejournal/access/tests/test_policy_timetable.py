"""Timetable rules on plain objects: planning, viewing a class/teacher/room, keeping a lesson."""

from types import SimpleNamespace as Obj

import pytest

from ejournal.access.policy import Actor, check
from ejournal.access.roles import Role

cls = Obj(id=50, school_id=1)
other_cls = Obj(id=51, school_id=1)
foreign_cls = Obj(id=60, school_id=2)
room = Obj(id=7, school_id=1)
lesson = Obj(school_id=1, teacher_id=10, substitute_id=11)
foreign_lesson = Obj(school_id=2, teacher_id=10, substitute_id=None)


def actor(role, user_id=99, **kw):
    return Actor(user_id=user_id, role=role, school_id=kw.pop("school_id", 1), **kw)


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DEPUTY_HEAD])
def test_director_and_deputy_head_plan_their_own_school_only(role):
    assert check(actor(role), "can_plan_timetable")
    assert check(actor(role), "can_plan_timetable", cls)
    assert not check(actor(role), "can_plan_timetable", foreign_cls)


@pytest.mark.parametrize("role", [Role.JOURNAL_COORDINATOR, Role.TEACHER, Role.CLASS_TEACHER, Role.METHODIST])
def test_others_do_not_plan(role):
    assert not check(actor(role), "can_plan_timetable", cls)


def test_coordinator_views_every_class_and_room_of_the_school():
    a = actor(Role.JOURNAL_COORDINATOR)
    assert check(a, "can_view_timetable", other_cls) and check(a, "can_view_room_timetable", room)
    assert not check(a, "can_view_timetable", foreign_cls)


def test_teacher_views_classes_taught_and_own_timetable_only():
    a = actor(Role.TEACHER, user_id=10, class_ids=frozenset({50}))
    assert check(a, "can_view_timetable", cls)
    assert not check(a, "can_view_timetable", other_cls)
    assert check(a, "can_view_teacher_timetable", Obj(id=10, school_id=1))
    assert not check(a, "can_view_teacher_timetable", Obj(id=11, school_id=1))
    assert not check(a, "can_view_room_timetable", room)
    assert check(a, "can_view_own_lessons")


@pytest.mark.parametrize("role", [Role.STUDENT, Role.GUARDIAN, Role.DISTRICT_OFFICER, Role.MUNICIPAL_OFFICER])
def test_family_district_and_city_roles_see_no_timetable(role):
    a = actor(role, school_ids=frozenset({1}), class_ids=frozenset({50}))
    for name in ("can_view_timetable", "can_view_own_lessons", "can_plan_timetable", "can_view_room_timetable"):
        assert not check(a, name, None), name
    assert not check(a, "can_view_timetable", cls)


def test_lesson_is_kept_by_its_teacher_or_substitute_in_the_same_school():
    assert check(actor(Role.TEACHER, user_id=10), "can_keep_lesson", lesson)
    assert check(actor(Role.CLASS_TEACHER, user_id=11), "can_keep_lesson", lesson)
    assert not check(actor(Role.TEACHER, user_id=12), "can_keep_lesson", lesson)
    assert not check(actor(Role.DEPUTY_HEAD, user_id=12), "can_keep_lesson", lesson)
    assert not check(actor(Role.TEACHER, user_id=10), "can_keep_lesson", foreign_lesson)
    assert not check(actor(Role.GUARDIAN, user_id=10), "can_keep_lesson", lesson)
