"""A term of journal data written through the journal's services (so every change is in the school's chain)."""

from __future__ import annotations

import datetime as dt

from ejournal.journal.services import attendance_set, homework_set, lesson_topic_set, mark_set, period_mark_set
from ejournal.journal.tests.helpers import MON, at, journal, lesson, teacher


def term_of_marks(world) -> dict:
    """Maths of 5 «А» in the first quarter: 3 lessons with topics and homework, marks, an absence, a term mark.

    `marks`: 5 and 3 on the first maths lesson, 4 in English, 4 on the second maths lesson.
    """
    a, days = journal(world, days=[MON, MON + dt.timedelta(days=1), MON + dt.timedelta(days=7)])
    english, (eng_day,) = journal(world, name="Иностранный язык (английский)")
    actor = teacher(world)
    marks = []
    with at(days[0].date):
        marks.append(mark_set(lesson=days[0], student=world.student, value=5, actor=actor))
        marks.append(mark_set(lesson=days[0], student=world.classmate, value=3, actor=actor))
        marks.append(mark_set(lesson=eng_day, student=world.classmate, value=4, actor=actor))
        homework_set(lesson=days[0], text="№ 12, 14 на с. 7", actor=actor)
    with at(days[1].date):
        marks.append(mark_set(lesson=days[1], student=world.student, value=4, actor=actor))
    with at(days[2].date):
        attendance_set(lesson=days[2], student=world.classmate, code="н", actor=actor)
    for n, day in enumerate(days, 1):
        with at(day.date):
            lesson_topic_set(lesson=day, topic=f"Натуральные числа, урок {n}", actor=actor)
    term = world.school.terms.get(number=1)
    with at(term.ends_on):
        period_mark_set(assignment=a, student=world.student, value="5", term=term, actor=actor)
    return {"assignment": a, "days": days, "marks": marks, "term": term, "english": english, "lesson": lesson}
