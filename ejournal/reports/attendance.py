"""Attendance of a period: lessons and days missed by reason, students over the alert share.

A lesson counts for a student when it is a held lesson of their class (the whole class, or a subgroup they
belong to) on a day they were enrolled. A day counts as missed when every one of its lessons was (н, б,
уп); its reason is the lessons' code when they agree, else «н». Lateness (оп) is counted, never missed.
Five grouped queries for any number of students.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q

from ejournal.control.common import percent
from ejournal.control.indicators import HELD
from ejournal.journal.models import Attendance, AttendanceCode
from ejournal.people.models import SubgroupMembership
from ejournal.schools.models import School
from ejournal.timetable.models import Lesson

from .achievement import roster
from .periods import Period

MISSED = (AttendanceCode.ABSENT, AttendanceCode.ILL, AttendanceCode.EXCUSED)
REASONS = [c.value for c in MISSED]


@dataclass
class StudentAttendance:
    id: int
    name: str
    class_id: int
    class_label: str
    lessons: int = 0
    missed: Counter = field(default_factory=Counter)  # code → lessons
    days: Counter = field(default_factory=Counter)  # code → days
    late: int = 0

    @property
    def missed_total(self) -> int:
        return sum(self.missed[c] for c in REASONS)

    @property
    def days_total(self) -> int:
        return sum(self.days.values())

    @property
    def share(self) -> Decimal | None:
        return percent(self.missed_total, self.lessons)

    @property
    def over_alert(self) -> bool:
        return bool(self.lessons) and self.missed_total * 100 > settings.REPORTS_ABSENCE_ALERT_PERCENT * self.lessons


@dataclass
class ClassAttendance:
    id: int
    label: str
    students: list[StudentAttendance]

    def total(self, attr: str, code: str | None = None) -> int:
        if code is None:
            return sum(getattr(s, attr) for s in self.students)
        return sum(getattr(s, attr)[code] for s in self.students)

    @property
    def lessons(self) -> int:
        return self.total("lessons")

    @property
    def missed_total(self) -> int:
        return sum(s.missed_total for s in self.students)

    @property
    def days_total(self) -> int:
        return sum(s.days_total for s in self.students)

    @property
    def share(self) -> Decimal | None:
        return percent(self.missed_total, self.lessons)

    @property
    def over_alert(self) -> list[StudentAttendance]:
        return [s for s in self.students if s.over_alert]


def attendance_build(school: School, period: Period, class_ids: list[int] | None = None) -> list[ClassAttendance]:
    last = period.day
    enrolments = list(roster(school, period, class_ids).values(
        "student_id", "school_class_id", "school_class__grade", "school_class__letter", "starts_on",
        "student__last_name", "student__first_name", "student__middle_name"))  # fmt: skip
    ids = [e["school_class_id"] for e in enrolments]
    lessons = Lesson.objects.filter(school=school, school_class_id__in=set(ids), status__in=HELD,
                                    date__gte=period.first, date__lte=last)  # fmt: skip
    per_day: dict[tuple[int, dt.date], Counter] = defaultdict(Counter)  # (class, date) → subgroup → lessons
    for row in lessons.order_by().values("school_class_id", "subgroup_id", "date").annotate(n=Count("*")):
        per_day[(row["school_class_id"], row["date"])][row["subgroup_id"]] += row["n"]
    active = Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=period.first))
    groups: dict[int, set] = defaultdict(lambda: {None})
    for m in SubgroupMembership.objects.filter(active, school=school).values("student_id", "subgroup_id"):
        groups[m["student_id"]].add(m["subgroup_id"])
    absent: dict[int, dict[dt.date, Counter]] = defaultdict(lambda: defaultdict(Counter))  # student → day → codes
    marks = Attendance.objects.filter(
        school=school, lesson__in=lessons, student_id__in=[e["student_id"] for e in enrolments]
    )
    for student_id, day, code, n in marks.order_by().values("student_id", "lesson__date", "code").annotate(
        n=Count("*")
    ).values_list("student_id", "lesson__date", "code", "n"):  # fmt: skip
        absent[student_id][day][code] += n
    days_by_class: dict[int, list[dt.date]] = defaultdict(list)
    for class_id, day in per_day:
        days_by_class[class_id].append(day)
    had_of = _lessons_had(per_day, days_by_class)
    classes: dict[int, ClassAttendance] = {}
    for e in sorted(enrolments, key=lambda e: (e["school_class__grade"], e["school_class__letter"],
                                               e["student__last_name"], e["student__first_name"])):  # fmt: skip
        label = f"{e['school_class__grade']} «{e['school_class__letter']}»"
        cls = classes.setdefault(e["school_class_id"], ClassAttendance(e["school_class_id"], label, []))
        name = " ".join(p for p in (e["student__last_name"], e["student__first_name"], e["student__middle_name"]) if p)
        s = StudentAttendance(e["student_id"], name, cls.id, label)
        mine = frozenset(groups[s.id])
        # The lessons of the class's days from the enrolment on, in the student's groups (one sum per distinct
        # class, groups and first day); then only the days with an absence or lateness are looked at one by one.
        s.lessons = had_of(cls.id, mine, e["starts_on"])
        for day, codes in absent.get(s.id, {}).items():
            if day < e["starts_on"] or (cls.id, day) not in per_day:
                continue
            had = sum(n for sg, n in per_day[(cls.id, day)].items() if sg in mine)
            s.late += codes[AttendanceCode.LATE]
            missed = sum(codes[c] for c in REASONS)
            for c in REASONS:
                s.missed[c] += codes[c]
            if had and missed >= had:
                reasons = [c for c in REASONS if codes[c]]
                s.days[reasons[0] if len(reasons) == 1 else AttendanceCode.ABSENT.value] += 1
        cls.students.append(s)
    return list(classes.values())


def _lessons_had(per_day: dict[tuple[int, dt.date], Counter], days_by_class: dict[int, list[dt.date]]):
    """The number of a class's held lessons from a day on that a student of the given groups had (memoised: the
    students of a class share their groups and first day but for a few)."""
    known: dict[tuple[int, frozenset, dt.date], int] = {}

    def had(class_id: int, groups: frozenset, starts_on: dt.date) -> int:
        key = (class_id, groups, starts_on)
        if key not in known:
            known[key] = sum(n for day in days_by_class[class_id] if day >= starts_on
                             for sg, n in per_day[(class_id, day)].items() if sg in groups)  # fmt: skip
        return known[key]

    return had
