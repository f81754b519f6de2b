"""Rows of other areas (curriculum, assignments, calendar) made straight with the ORM for timetable tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.curriculum.models import CurriculumLine, Subject, TeachingAssignment
from ejournal.schools.models import Holiday

from ..models import Bell, BellSchedule, Lesson, Room, TimetableEntry

MON = dt.date(2026, 9, 7)  # a Monday of the first quarter (ISO week 37, odd)


def subject(name: str) -> Subject:
    return Subject.objects.get(school__isnull=True, name=name)


def assignment(world, *, cls=None, teacher=None, name="Математика", subgroup=None, hours="5", starts=None, ends=None):
    cls = cls or world.cls
    return TeachingAssignment.objects.create(
        school=cls.school,
        year=world.year,
        teacher=teacher or world.teacher,
        school_class=cls,
        subgroup=subgroup,
        subject=subject(name),
        hours_per_week=Decimal(hours),
        starts_on=starts or world.year.starts_on,
        ends_on=ends,
    )


def line(world, *, grade=5, name="Математика", hours="5", school=None):
    return CurriculumLine.objects.create(
        school=school or world.school, year=world.year, grade=grade, subject=subject(name), hours_per_week=hours
    )


def entry(world, a, *, weekday=1, number=1, room=None, valid_from=None, valid_to=None, parity=0):
    return TimetableEntry.objects.create(
        school=a.school,
        year=world.year,
        school_class=a.school_class,
        weekday=weekday,
        lesson_number=number,
        assignment=a,
        room=room,
        week_parity=parity,
        valid_from=valid_from or world.year.starts_on,
        valid_to=valid_to,
    )


def room(world, name="101", school=None):
    return Room.objects.create(school=school or world.school, name=name)


def bells(world, *, school=None, shift=1, numbers=range(1, 8)):
    school = school or world.school
    schedule = BellSchedule.objects.create(school=school, name=f"{shift} смена", shift=shift)
    for n in numbers:
        start = dt.datetime(2026, 1, 1, 7, 30) + dt.timedelta(minutes=55 * n)
        Bell.objects.create(
            school=school,
            schedule=schedule,
            number=n,
            starts_at=start.time(),
            ends_at=(start + dt.timedelta(minutes=40)).time(),
        )
    return schedule


def holiday(world, starts, ends, *, school=None, min_grade=1, max_grade=11):
    return Holiday.objects.create(
        municipality=world.city,
        school=school,
        year=world.year,
        name="Каникулы",
        starts_on=starts,
        ends_on=ends,
        min_grade=min_grade,
        max_grade=max_grade,
    )


def lesson(world, a, day, number=1, **extra):
    return Lesson.objects.create(
        school=a.school,
        assignment=a,
        school_class=a.school_class,
        subgroup=a.subgroup,
        subject=a.subject,
        teacher=a.teacher,
        date=day,
        lesson_number=number,
        **extra,
    )


def deputy(world) -> Actor:
    return Actor(user_id=world.deputy_head.pk, role=Role.DEPUTY_HEAD, school_id=world.school.pk)
