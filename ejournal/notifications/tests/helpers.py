"""Digest test helpers: a family's journal with marks, absences and homework, actors, subscribing."""

from __future__ import annotations

import datetime as dt

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.journal.services import attendance_set, homework_set, mark_set, work_types_ensure
from ejournal.journal.tests.helpers import MON, assignment, at, lesson, teacher

from ..services import subscription_save

__all__ = ["MON", "at", "family", "foreign_teacher", "guardian_actor", "subscribe"]


def guardian_actor(world, user=None, children=None) -> Actor:
    user = user or world.guardian_user
    children = children if children is not None else (world.student, world.sibling)
    return Actor(user_id=user.pk, role=Role.GUARDIAN, student_ids=frozenset(c.pk for c in children))


def subscribe(world, actor=None, **choices):
    values = {
        "enabled": True,
        "marks": True,
        "absences": True,
        "homework": True,
        "send_at": dt.time(19, 0),
        "quiet_from": dt.time(22, 0),
        "quiet_to": dt.time(7, 0),
        "email": "",
    }
    values.update(choices)
    return subscription_save(**values, actor=actor or guardian_actor(world))


def foreign_teacher(world) -> Actor:
    return Actor(
        user_id=world.foreign_teacher.pk,
        role=Role.TEACHER,
        school_id=world.other_school.pk,
        class_ids=frozenset({world.foreign_cls.pk}),
    )


def family(world, day=MON):
    """On `day`: maths for 5 «А» (a 5 for the student, a 4 for the classmate, homework), Russian for 5 «Б»
    (the sibling ill at two lessons), and a 3 for the other family's child in the other school."""
    me = teacher(world)
    kinds = work_types_ensure(world.school)
    maths = assignment(world, cls=world.cls, teacher=world.teacher)
    russian = assignment(world, cls=world.other_cls, teacher=world.teacher, name="Русский язык")
    m1 = lesson(world, maths, day, 2)
    r1, r2 = lesson(world, russian, day, 3), lesson(world, russian, day, 4)
    mark_set(lesson=m1, student=world.student, value=5, work_type=kinds["test"], actor=me)
    mark_set(lesson=m1, student=world.classmate, value=4, work_type=kinds["test"], actor=me)
    homework_set(lesson=m1, text="№ 145, 146", due_date=day + dt.timedelta(days=2), actor=me)
    for r in (r1, r2):
        attendance_set(lesson=r, student=world.sibling, code="б", actor=me)
    other = work_types_ensure(world.other_school)
    foreign = assignment(world, cls=world.foreign_cls, teacher=world.foreign_teacher)
    f1 = lesson(world, foreign, day, 2)
    mark_set(lesson=f1, student=world.foreign_student, value=3, work_type=other["test"], actor=foreign_teacher(world))
    return {"maths": maths, "russian": russian, "lessons": (m1, r1, r2), "foreign_lesson": f1}
