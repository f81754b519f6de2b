"""A small hand-made month of journal data with known answers (September 2026, school A of the world)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from axes.models import AccessLog

from ejournal.journal.models import ChangeRecord, Homework, LessonNote, Mark
from ejournal.journal.services.setup import work_types_ensure
from ejournal.timetable.models import Lesson
from ejournal.timetable.tests.helpers import assignment, lesson

MSK = ZoneInfo("Europe/Moscow")
SEP = [dt.date(2026, 9, d) for d in (7, 8, 9, 10, 11)]  # Monday … Friday of the first quarter


def moment(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=MSK)


def change(lesson_, when, *, user, role="teacher", entity="lesson", field="topic", student=None, late=False,
           entity_id=None, action="update"):  # fmt: skip
    record = ChangeRecord.objects.create(
        school_id=lesson_.school_id, entity=entity, entity_id=entity_id, action=action, lesson=lesson_,
        student=student, field=field, actor=user, actor_role=role, is_late=late,
    )  # fmt: skip
    ChangeRecord.objects.filter(pk=record.pk).update(at=when)
    return record


def topic(lesson_, day, text="Дроби", hour=12):
    Lesson.objects.filter(pk=lesson_.pk).update(topic=text)
    LessonNote.objects.create(school_id=lesson_.school_id, lesson=lesson_, topic_set_at=moment(day, hour))


def homework(lesson_, day, hour=12, minute=0, *, user):
    hw = Homework.objects.create(
        school_id=lesson_.school_id,
        lesson=lesson_,
        school_class_id=lesson_.school_class_id,
        text="№ 1",
        due_date=lesson_.date,
        created_by=user,
    )
    Homework.objects.filter(pk=hw.pk).update(published_at=moment(day, hour, minute))


def mark(lesson_, student, value, *, user, kinds, late=False, written=False):
    kind = kinds["test" if written else "answer"]
    m = Mark.objects.create(
        school_id=lesson_.school_id, lesson=lesson_, student=student, value=value, work_type=kind,
        weight=kind.weight, created_by=user,
    )  # fmt: skip
    change(lesson_, moment(lesson_.date), user=user, entity="mark", field="value", student=student, late=late,
           entity_id=m.pk, action="create")  # fmt: skip
    return m


def signed_in(username: str, when: dt.datetime) -> None:
    log = AccessLog.objects.create(username=username, user_agent="test", ip_address="127.0.0.1")
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=when)  # attempt_time is auto_now_add


def september(w) -> SimpleNamespace:
    """Maths of 5 «А» at 2 hours a week: four held lessons (7–10.09), one cancelled, one in October.

    Topics on time: L1, L3 (L2 written a day late, L4 none) → 2 of 4.
    Homework on time: L1, L2 (23:30 of the lesson day) → 2 of 4 (L3 the next day, L4 none).
    Kept on the day: L1, L3, L4 (L2 first touched a day late) → 3 of 4.
    Marks: the student 3 (L1, L3, L4 — the L4 one late), the classmate 1 → 4 marks, 1 late;
    3 students in the school → 1.3 marks per student; density norm (3 at ≤ 2 h): 1 pair of 2.
    """
    d = SimpleNamespace()
    kinds = work_types_ensure(w.school)
    d.a = assignment(w, cls=w.cls, teacher=w.teacher, hours="2")
    d.lessons = [lesson(w, d.a, day) for day in SEP[:4]]
    d.cancelled = lesson(w, d.a, SEP[4], status=Lesson.Status.CANCELLED)
    d.october = lesson(w, d.a, dt.date(2026, 10, 5))
    l1, l2, l3, l4 = d.lessons
    topic(l1, l1.date)
    topic(l2, l2.date + dt.timedelta(days=1))
    topic(l3, l3.date, hour=23)
    homework(l1, l1.date, user=w.teacher)
    homework(l2, l2.date, 23, 30, user=w.teacher)
    homework(l3, l3.date + dt.timedelta(days=1), 8, user=w.teacher)
    change(l1, moment(l1.date), user=w.teacher)
    change(l2, moment(l2.date + dt.timedelta(days=1)), user=w.teacher)
    change(l3, moment(l3.date, 23), user=w.teacher)
    change(l4, moment(l4.date, 15), user=w.teacher, entity="attendance", field="code", student=w.classmate)
    change(l1, moment(l1.date, 16), user=w.deputy_head, role="deputy_head")  # not a teacher: not «active»
    d.marks = [
        mark(l1, w.student, 5, user=w.teacher, kinds=kinds),
        mark(l1, w.classmate, 4, user=w.teacher, kinds=kinds),
        mark(l3, w.student, 4, user=w.teacher, kinds=kinds),
        mark(l4, w.student, 3, user=w.teacher, kinds=kinds, late=True),
    ]
    signed_in("parent", moment(dt.date(2026, 9, 20)))
    signed_in("parent2", moment(dt.date(2026, 8, 20)))  # the other school's guardian: not in September
    return d
