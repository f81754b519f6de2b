"""A small hand-made month of journal data with known answers (September 2026, school A of the world)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine
from axes.models import AccessLog

from ejournal.journal.models import Attendance, ChangeRecord, Homework, LessonNote, Mark
from ejournal.journal.services.chain import change_records_append
from ejournal.journal.services.setup import work_types_ensure
from ejournal.timetable.models import Lesson
from ejournal.timetable.tests.helpers import assignment, lesson

MSK = ZoneInfo("Europe/Moscow")
SEP = [dt.date(2026, 9, d) for d in (7, 8, 9, 10, 11)]  # Monday … Friday of the first quarter


def moment(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=MSK)


def change(lesson_, when, *, user, role="teacher", entity="lesson", field="topic", student=None, late=False,
           entity_id=None, action="update"):  # fmt: skip
    record = ChangeRecord(
        school_id=lesson_.school_id, entity=entity, entity_id=entity_id, action=action, lesson=lesson_,
        student=student, field=field, actor=user, actor_role=role, is_late=late,
    )  # fmt: skip
    with time_machine.travel(when, tick=False):  # the record is written at `when`, in its school's chain
        change_records_append([record])
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


NOV = [dt.date(2026, 11, d) for d in (6, 9, 10, 11, 12)]  # Friday, then Monday … Thursday of the second quarter


def absent(lesson_, student, code="н", *, user):
    return Attendance.objects.create(
        school_id=lesson_.school_id, lesson=lesson_, student=student, code=code, created_by=user
    )


def november_loaded(w) -> SimpleNamespace:
    """November 2026 of school A as an import or a bulk load leaves it: journal rows and no change records
    (except one late mark's creation). Every indicator of the month is counted by hand below.

    Lessons held: maths (2 h/week, the teacher) L0 6.11, L1 9.11, L2 10.11, L3 11.11, L4 12.11 (a substitute,
    the deputy head, held it and wrote nothing); physics (3 h/week, the other teacher) M1 9.11, M2 10.11 (a
    substitute, the director, held it); a cancelled one with an absence does not count → 7 lessons.
    Topic on the day: L0, L1, L2, M1 (L3 the next day, L4 and M2 none) → 4 of 7 = 57.1 %.
    Homework on the day: L1, M1 (23:59) (M2 the next day) → 2 of 7 = 28.6 %.
    Attendance rows: L1 (н), L2 (б), M2 (оп) → 3 of 7 = 42.9 % (no change records, so none kept otherwise).
    Teachers active: the teacher (L0–L3), the other teacher (M1), the director (M2); not the deputy head (L4
    has no entry) → 3.
    Marks: L0 student 4, L1 student 5, L1 classmate 4, L3 student 3 (entered late), M1 classmate 5 → 5 marks,
    1 late = 20.0 %; 3 students in the school → 1.7 per student.
    Density (second quarter in progress): pairs maths × 2 students, physics × 2 students = 4; maths/student has
    3 marks ≥ 3 (norm at 2 h) → 1 of 4 = 25.0 %.
    Guardians: the parent has access and signed in on 20.11 → 1 of 1.
    """
    d = SimpleNamespace()
    kinds = work_types_ensure(w.school)
    d.maths = assignment(w, cls=w.cls, teacher=w.teacher, hours="2")
    d.physics = assignment(w, cls=w.cls, teacher=w.other_teacher, name="Физика", hours="3")
    l0, l1, l2, l3 = (lesson(w, d.maths, day) for day in NOV[:4])
    l4 = lesson(w, d.maths, NOV[4], substitute=w.deputy_head)
    m1 = lesson(w, d.physics, NOV[1], number=2)
    m2 = lesson(w, d.physics, NOV[2], number=2, substitute=w.director)
    cancelled = lesson(w, d.physics, NOV[3], number=2, status=Lesson.Status.CANCELLED)
    d.lessons = [l0, l1, l2, l3, l4, m1, m2]
    for lesson_, day in ((l0, l0.date), (l1, l1.date), (l2, l2.date), (l3, l3.date + dt.timedelta(days=1)),
                         (m1, m1.date)):  # fmt: skip
        topic(lesson_, day)
    homework(l1, l1.date, user=w.teacher)
    homework(m1, m1.date, 23, 59, user=w.other_teacher)
    homework(m2, m2.date + dt.timedelta(days=1), 8, user=w.director)
    absent(l1, w.student, user=w.teacher)
    absent(l2, w.classmate, "б", user=w.teacher)
    absent(m2, w.student, "оп", user=w.director)
    absent(cancelled, w.student, user=w.other_teacher)
    for lesson_, student, value in ((l0, w.student, 4), (l1, w.student, 5), (l1, w.classmate, 4),
                                    (l3, w.student, 3), (m1, w.classmate, 5)):  # fmt: skip
        kind = kinds["answer"]
        made = Mark.objects.create(
            school_id=w.school.pk, lesson=lesson_, student=student, value=value, work_type=kind, weight=kind.weight,
            created_by=lesson_.teacher,
        )  # fmt: skip
        if lesson_ == l3:
            change(l3, moment(l3.date + dt.timedelta(days=3)), user=w.teacher, entity="mark", field="value",
                   student=student, late=True, entity_id=made.pk, action="create")  # fmt: skip
    signed_in("parent", moment(dt.date(2026, 11, 20)))
    return d
