"""A week of a class's lessons with everything the diary shows, made straight with the ORM."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ejournal.journal.models import Attendance, Homework, HomeworkAttachment, Mark, PeriodMark
from ejournal.journal.services.setup import work_types_ensure
from ejournal.timetable.models import Lesson
from ejournal.timetable.tests.helpers import MON, assignment, bells, lesson

WED = MON + dt.timedelta(days=2)


def mark(world, day: Lesson, student, value: int, code: str = "answer", comment: str = "") -> Mark:
    kind = work_types_ensure(day.school)[code]
    return Mark.objects.create(school=day.school, lesson=day, student=student, value=value, work_type=kind,
                               weight=kind.weight, comment=comment, created_by=day.teacher)  # fmt: skip


def week_of_lessons(world, *, per_day: int = 2, cls=None, student=None) -> SimpleNamespace:
    """`per_day` lessons Monday to Friday (maths, then Russian), a mark each, and the week's changes:
    Tuesday's first lesson substituted, Thursday's cancelled, Friday's moved to Saturday, an illness on
    Wednesday, homework with a file on Monday's first lesson."""
    cls, student = cls or world.cls, student or world.student
    if not cls.school.bell_schedules.exists():
        bells(world, school=cls.school)
    maths = assignment(world, cls=cls, teacher=cls.class_teacher)
    russian = assignment(world, cls=cls, teacher=cls.class_teacher, name="Русский язык", hours="2")
    days = {}
    for n in range(5):
        date = MON + dt.timedelta(days=n)
        days[date] = [lesson(world, maths if k % 2 else russian, date, k + 1) for k in range(per_day)]
        for k, day in enumerate(days[date]):
            mark(world, day, student, 5 - k % 3, "test" if k == 0 else "answer", comment="Молодец" if k == 0 else "")
    first = days[MON][0]
    homework = Homework.objects.create(school=cls.school, lesson=first, school_class_id=first.school_class_id,
                                       text="Упр. 12", due_date=MON + dt.timedelta(1), created_by=first.teacher)  # fmt: skip
    file = HomeworkAttachment(school=cls.school, homework=homework, token=secrets.token_hex(8),
                              original_name="упражнения.pdf", size=8, uploaded_by=first.teacher)  # fmt: skip
    file.file.save(file.token, ContentFile(b"%PDF-1.4"), save=True)
    substituted = days[MON + dt.timedelta(1)][0]
    Lesson.objects.filter(pk=substituted.pk).update(substitute=world.other_teacher)
    cancelled = days[MON + dt.timedelta(3)][0]
    Lesson.objects.filter(pk=cancelled.pk).update(status=Lesson.Status.CANCELLED, change_note="Учитель на курсах")
    moved = days[MON + dt.timedelta(4)][-1]
    target = lesson(world, moved.assignment, MON + dt.timedelta(5), 1, status=Lesson.Status.EXTRA)
    Lesson.objects.filter(pk=moved.pk).update(status=Lesson.Status.MOVED, moved_to=target)
    Attendance.objects.create(school=cls.school, lesson=days[WED][0], student=student, code="б",
                              created_by=days[WED][0].teacher)  # fmt: skip
    return SimpleNamespace(maths=maths, russian=russian, days=days, homework=homework, file=file)


def term_mark(world, student, subject, term, value: str) -> PeriodMark:
    return PeriodMark.objects.create(
        school=student.school, year=world.year, student=student, school_class=student.school_class, subject=subject,
        term=term, kind="term" if term else "final", value=value, confirmed_by=world.teacher,
        confirmed_at=dt.datetime(2026, 10, 25, 12, tzinfo=dt.UTC), average=Decimal("4.5"),
    )  # fmt: skip


def request_queries(client) -> int:
    """The queries of any signed-in request (the session, user and role of the portal's middleware), counted on
    the diary's home, which only redirects to the child the session remembers; page counts are this plus their own."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("diary:home")).status_code == 302
    return len(queries)
