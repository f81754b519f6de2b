"""A hand-counted class for the report formulas: 5 «А» of the world's school, first quarter of 2026/27.

Marks of the first quarter (Математика, Русский язык, Английский язык in two subgroups):

| student   | М   | Р | А   | category | subgroup |
|-----------|-----|---|-----|----------|----------|
| Аксенова  | 5   | 5 | 5   | 5        | 1        |
| Борисов   | 5   | 5 | 4   | 4, one 4 | 1        |
| Васильев  | 4   | 4 | 5   | 4        | 1        |
| Галкина   | 5   | 4 | 3   | 3, one 3 | 1        |
| Данилов   | 3   | 3 | 4   | 3        | 2        |
| Егоров    | 2   | 4 | 5   | 2        | 2        |
| Жукова    | н/а | 3 | 4   | н/а      | 2        |
| Зуева     | 5   | 5 | осв | 5        | 2        |
| Иванов    | осв |осв| осв | not counted (only exempt) | 2 |
| Киров     | 2   | 2 | 2   | not counted: left on 10.10 | 1 |

Орлов and Белова (the world's students) have no marks: not counted. The teacher (Попова) teaches
Математика and the first English subgroup; the other teacher (Волков) Русский язык and the second.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from ejournal.journal.models import PeriodKind, PeriodMark
from ejournal.people.models import Enrolment, SubgroupMembership
from ejournal.schools.models import Subgroup, Term
from ejournal.testing import make_student
from ejournal.timetable.tests.helpers import assignment

MARKS = {
    "Аксенова": ("5", "5", "5", 1),
    "Борисов": ("5", "5", "4", 1),
    "Васильев": ("4", "4", "5", 1),
    "Галкина": ("5", "4", "3", 1),
    "Данилов": ("3", "3", "4", 2),
    "Егоров": ("2", "4", "5", 2),
    "Жукова": ("н/а", "3", "4", 2),
    "Зуева": ("5", "5", "осв", 2),
    "Иванов": ("осв", "осв", "осв", 2),
    "Киров": ("2", "2", "2", 1),
}
LEFT_ON = dt.date(2026, 10, 10)


def period_mark(w, student, subject, value, *, term=None, kind=PeriodKind.TERM, cls=None):
    return PeriodMark.objects.create(
        school=w.school, year=w.year, student=student, school_class=cls or w.cls, subject=subject, term=term,
        kind=kind, value=value, confirmed_by=w.teacher, confirmed_at=timezone.now(),
    )  # fmt: skip


def quarter_class(w) -> SimpleNamespace:
    d = SimpleNamespace()
    d.terms = list(Term.objects.filter(school=w.school).order_by("starts_on"))
    d.q1, d.q2 = d.terms[0], d.terms[1]
    d.sg1 = w.subgroup
    d.sg2 = Subgroup.objects.create(school=w.school, school_class=w.cls, name="Английский язык, 2 группа")
    d.maths = assignment(w, cls=w.cls, teacher=w.teacher, name="Математика", hours="5")
    d.russian = assignment(w, cls=w.cls, teacher=w.other_teacher, name="Русский язык", hours="5")
    d.english1 = assignment(
        w, cls=w.cls, teacher=w.teacher, name="Иностранный язык (английский)", subgroup=d.sg1, hours="3"
    )
    d.english2 = assignment(w, cls=w.cls, teacher=w.other_teacher, name="Иностранный язык (английский)", subgroup=d.sg2,
                            hours="3")  # fmt: skip
    d.subjects = [d.maths.subject, d.russian.subject, d.english1.subject]
    d.students = {}
    for last, (*values, group) in MARKS.items():
        s = make_student(w.cls, last, "Имя")
        d.students[last] = s
        SubgroupMembership.objects.create(school=w.school, subgroup=d.sg1 if group == 1 else d.sg2, student=s,
                                          starts_on=w.year.starts_on)  # fmt: skip
        for subject, value in zip(d.subjects, values, strict=True):
            period_mark(w, s, subject, value, term=d.q1)
    Enrolment.objects.filter(student=d.students["Киров"]).update(ends_on=LEFT_ON, end_reason="departure")
    return d
