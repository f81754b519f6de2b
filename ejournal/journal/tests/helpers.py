"""Journal test helpers: a class's maths journal with dated lessons, actors per role, the frozen clock."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.timetable.tests.helpers import MON, assignment, lesson

MSK = ZoneInfo("Europe/Moscow")

__all__ = [
    "MON", "assignment", "at", "class_teacher", "deputy", "director", "journal", "lesson", "teacher", "view_queries",
]  # fmt: skip


def at(day: dt.date, hour: int = 12):
    """Freeze the clock at `hour` o'clock Moscow time on `day`."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=MSK), tick=False)


def teacher(world, user=None, role=Role.TEACHER) -> Actor:
    user = user or world.teacher
    led = frozenset(c.pk for c in (world.cls, world.other_cls) if c.class_teacher_id == user.pk)
    return Actor(
        user_id=user.pk,
        role=role,
        school_id=world.school.pk,
        class_ids=frozenset({world.cls.pk, world.other_cls.pk}),
        led_class_ids=led if role == Role.CLASS_TEACHER else frozenset(),
    )


def class_teacher(world) -> Actor:
    return teacher(world, world.teacher, Role.CLASS_TEACHER)


def deputy(world) -> Actor:
    return Actor(user_id=world.deputy_head.pk, role=Role.DEPUTY_HEAD, school_id=world.school.pk)


def director(world) -> Actor:
    return Actor(user_id=world.director.pk, role=Role.DIRECTOR, school_id=world.school.pk)


def journal(world, days=(MON,), *, cls=None, user=None, subgroup=None, hours="5", name="Математика"):
    """An assignment of `user` (the world's teacher) and one lesson on each of `days`."""
    a = assignment(world, cls=cls, teacher=user, subgroup=subgroup, hours=hours, name=name)
    return a, [lesson(world, a, day, 1) for day in days]


@contextmanager
def view_queries(first_read: str = "assignment_get"):
    """Count the queries of a journal view from its first read (`selectors.<first_read>`) on.

    The request's own queries before the view (session, user, the actor's roles) belong to the portal's
    middleware and its caches, not to the journal: they are left out. `.count` is set on exit.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .. import selectors

    real, counted = getattr(selectors, first_read), SimpleNamespace(count=None, before=None)

    def spy(*args, **kwargs):
        if counted.before is None:
            counted.before = len(queries)
        return real(*args, **kwargs)

    with CaptureQueriesContext(connection) as queries, mock.patch.object(selectors, first_read, spy):
        yield counted
    assert counted.before is not None, f"the view did not call selectors.{first_read}"
    counted.count = len(queries) - counted.before
