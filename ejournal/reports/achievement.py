"""Успеваемость, качество, СОУ and the lists, by class, parallel, subject, teacher and school.

Read in a fixed number of queries whatever the school's size: the roster on the period's day, the period
marks, the subjects' names, the assignments and the subgroup memberships; everything else is counting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.journal.models import PeriodKind, PeriodMark
from ejournal.people.models import Enrolment, SubgroupMembership
from ejournal.schools.models import School

from .formulas import NOT_ATTESTED, Figures, one_below, student_category, unit_category
from .periods import Period


@dataclass
class StudentRow:
    id: int
    name: str
    class_id: int
    class_label: str
    marks: dict[int, str] = field(default_factory=dict)  # subject id → value

    @property
    def category(self) -> str | None:
        return student_category(self.marks.values())


@dataclass
class ClassRow:
    id: int
    label: str
    grade: int
    students: list[StudentRow] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)


@dataclass
class Achievement:
    period: Period
    classes: list[ClassRow]
    subjects: dict[int, str]
    by_subject: dict[int, Figures]
    by_teacher: dict[int, Figures]
    teachers: dict[int, str]
    by_class_subject: dict[tuple[int, int], Figures]
    school: Figures

    def by_grade(self) -> list[tuple[int, Figures]]:
        grades: dict[int, Figures] = {}
        for c in self.classes:
            grades.setdefault(c.grade, Figures()).merge(c.figures)
        return sorted(grades.items())

    def lists(self) -> dict[str, list[StudentRow]]:
        """Отличники, хорошисты, «с одной 4», «с одной 3», неуспевающие, н/а — in class order."""
        out: dict[str, list[StudentRow]] = {k: [] for k in ("5", "4", "one4", "one3", "2", "na")}
        for c in self.classes:
            for s in c.students:
                cat = s.category
                if cat in ("5", "4", "2"):
                    out[cat].append(s)
                if cat == "4" and one_below(s.marks.values(), "4"):
                    out["one4"].append(s)
                if cat == "3" and one_below(s.marks.values(), "3"):
                    out["one3"].append(s)
                if NOT_ATTESTED in s.marks.values():
                    out["na"].append(s)
        return out


def _name(last: str, first: str, middle: str) -> str:
    return " ".join(p for p in (last, first, middle) if p)


def roster(school: School, period: Period, class_ids: list[int] | None = None):
    """Enrolments active on the period's day in the period's grades (students who left are not there)."""
    day = period.day
    rows = Enrolment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), school=school, starts_on__lte=day,
        school_class__grade__gte=period.min_grade, school_class__grade__lte=period.max_grade,
    )  # fmt: skip
    if class_ids is not None:
        rows = rows.filter(school_class_id__in=class_ids)
    return rows


def period_marks(school: School, period: Period, student_ids: list[int] | None = None):
    """The period's marks of the school, or of the given students (the caller drops those not on its roster).

    Listed ids rather than a subquery of the roster: a semi-join the planner misjudges (fresh statistics
    after a bulk load) costs seconds, the plain index scan of the term's marks milliseconds.
    """
    marks = PeriodMark.objects.filter(school=school)
    if student_ids is not None:
        marks = marks.filter(student_id__in=student_ids)
    if period.term is None:
        return marks.filter(kind=PeriodKind.YEAR, year=period.year)
    return marks.filter(kind=PeriodKind.TERM, term=period.term)


def achievement_build(school: School, period: Period, class_ids: list[int] | None = None) -> Achievement:
    """The period's figures for the school (or the given classes), from its period marks."""
    enrolments = roster(school, period, class_ids)
    classes: dict[int, ClassRow] = {}
    students: dict[int, StudentRow] = {}
    for e in enrolments.values("student_id", "school_class_id", "school_class__grade", "school_class__letter",
                               "student__last_name", "student__first_name", "student__middle_name"):  # fmt: skip
        label = f"{e['school_class__grade']} «{e['school_class__letter']}»"
        cls = classes.setdefault(e["school_class_id"], ClassRow(e["school_class_id"], label, e["school_class__grade"]))
        row = StudentRow(e["student_id"], _name(e["student__last_name"], e["student__first_name"],
                         e["student__middle_name"]), cls.id, label)  # fmt: skip
        students[row.id] = row
        cls.students.append(row)
    ids = list(students) if class_ids is not None else None
    for student_id, subject_id, value in period_marks(school, period, ids).values_list(
        "student_id", "subject_id", "value"
    ):
        if student_id in students:
            students[student_id].marks[subject_id] = value
    subject_ids = {sid for s in students.values() for sid in s.marks}
    subjects = dict(Subject.objects.filter(pk__in=subject_ids).order_by("position", "name").values_list("id", "name"))
    teacher_of, teachers = _teachers(school, period, list(classes))
    by_subject: dict[int, Figures] = defaultdict(Figures)
    by_teacher: dict[int, Figures] = defaultdict(Figures)
    by_class_subject: dict[tuple[int, int], Figures] = defaultdict(Figures)
    school_figures = Figures()
    for cls in sorted(classes.values(), key=lambda c: (c.grade, c.label)):
        cls.students.sort(key=lambda s: s.name)
        for s in cls.students:
            cls.figures.add(s.category, s.marks.values())
            for subject_id, value in s.marks.items():
                cat = unit_category(value)
                by_subject[subject_id].add(cat, [value])
                by_class_subject[(cls.id, subject_id)].add(cat, [value])
                for teacher_id in teacher_of(s.id, cls.id, subject_id):
                    by_teacher[teacher_id].add(cat, [value])
        school_figures.merge(cls.figures)
    ordered = sorted(classes.values(), key=lambda c: (c.grade, c.label))
    return Achievement(period, ordered, subjects, dict(by_subject), dict(by_teacher), teachers,
                       dict(by_class_subject), school_figures)  # fmt: skip


def _teachers(school: School, period: Period, class_ids: list[int]):
    """Who taught a student a subject on the period's day: the class's teacher, or their subgroup's. Two queries."""
    day = period.day
    active = Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    assignments = list(
        TeachingAssignment.objects.filter(active, school=school, school_class_id__in=class_ids).values(
            "school_class_id", "subject_id", "subgroup_id", "teacher_id",
            "teacher__last_name", "teacher__first_name", "teacher__middle_name",
        )
    )  # fmt: skip
    members: dict[int, set[int]] = defaultdict(set)
    subgroups = {a["subgroup_id"] for a in assignments if a["subgroup_id"]}
    for m in SubgroupMembership.objects.filter(active, subgroup_id__in=subgroups).values("subgroup_id", "student_id"):
        members[m["subgroup_id"]].add(m["student_id"])
    by_cell: dict[tuple[int, int], list[Any]] = defaultdict(list)
    teachers = {}
    for a in assignments:
        by_cell[(a["school_class_id"], a["subject_id"])].append(a)
        teachers[a["teacher_id"]] = _name(a["teacher__last_name"], a["teacher__first_name"], a["teacher__middle_name"])

    def teacher_of(student_id: int, class_id: int, subject_id: int) -> set[int]:
        cell = by_cell.get((class_id, subject_id), [])
        return {a["teacher_id"] for a in cell if a["subgroup_id"] is None or student_id in members[a["subgroup_id"]]}

    return teacher_of, teachers
