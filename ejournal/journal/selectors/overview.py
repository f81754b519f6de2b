"""The class teacher's view of a class for a term: every subject × student, in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.people.models import Student
from ejournal.schools.models import SchoolClass, Term

from ..averages import weighted_average
from ..models import Attendance, Mark, PeriodKind, PeriodMark
from ..rules import rules_for
from .common import today
from .grid import GridStudent, check_term, journal_students


@dataclass
class OverviewCell:
    average: Decimal | None = None
    count: int = 0
    absences: int = 0
    period_mark: str = ""
    pairs: list = field(default_factory=list, repr=False)


@dataclass
class ClassOverview:
    """The class teacher's view: every subject × student with averages, absences and term marks."""

    school_class: SchoolClass
    term: Term
    subjects: list[Subject]
    students: list[GridStudent]
    cells: dict[tuple[int, int], OverviewCell]  # (student_id, subject_id)
    absences: dict[int, dict[str, int]]  # student_id → code → lessons missed


def class_overview(*, actor: Actor, school_class: SchoolClass, term: Term) -> ClassOverview:
    """Load the class overview for a term (class teacher and school administration); constant queries."""
    policy.enforce(actor, "can_view_journal", SimpleNamespace(school_id=school_class.school_id,
                                                             school_class_id=school_class.pk))  # fmt: skip
    check_term(term, school_class.school_id)
    rules = rules_for(school_class.school)
    overlap = Q(starts_on__lte=term.ends_on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=term.starts_on))
    subjects: dict[int, Subject] = {}
    for a in TeachingAssignment.objects.filter(overlap, school_class=school_class).select_related("subject"):
        subjects.setdefault(a.subject_id, a.subject)
    students = journal_students(school_class.pk, None, term.starts_on, term.ends_on)
    in_term = {"lesson__school_class": school_class, "lesson__date__gte": term.starts_on,
               "lesson__date__lte": term.ends_on}  # fmt: skip
    cells: dict[tuple[int, int], OverviewCell] = defaultdict(OverviewCell)
    for sid, subject_id, value, weight in Mark.objects.filter(**in_term).values_list(
        "student_id", "lesson__subject_id", "value", "weight"
    ):
        cells[(sid, subject_id)].pairs.append((value, weight))
    absences: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sid, subject_id, code in Attendance.objects.filter(**in_term).values_list(
        "student_id", "lesson__subject_id", "code"
    ):
        absences[sid][code] += 1
        if code != "оп":
            cells[(sid, subject_id)].absences += 1
    for p in PeriodMark.objects.filter(school_class=school_class, term=term, kind=PeriodKind.TERM):
        cells[(p.student_id, p.subject_id)].period_mark = p.value
    for cell in cells.values():
        cell.count = len(cell.pairs)
        cell.average = weighted_average(cell.pairs, rules.average_decimals)
    ordered = sorted(subjects.values(), key=lambda s: (s.position, s.name))
    return ClassOverview(
        school_class=school_class, term=term, subjects=ordered, students=students, cells=dict(cells),
        absences={sid: dict(codes) for sid, codes in absences.items()},
    )  # fmt: skip


def class_students(*, actor: Actor, school_class: SchoolClass) -> list[Student]:
    """The class's current students, by name (the class teacher's absence reasons page)."""
    policy.enforce(actor, "can_manage_class", school_class)
    return [r.student for r in journal_students(school_class.pk, None, today(), today())]
