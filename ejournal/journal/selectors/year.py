"""Year, exam and final marks: the journal's year sheet and the class teacher's year overview, constant queries.

The students of a journal's year are those in the class (and subgroup) on the
last day of the year's last term: a student who left mid-year gets the year
mark at the new school, one who arrived mid-year is marked for the terms spent
here (and carries the term marks of another class of the school). Term marks
are read by student and subject, not by class, for that reason.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.curriculum.models import CurriculumLine, Subject, TeachingAssignment
from ejournal.schools.models import SchoolClass, Term

from .. import sql
from ..models import PeriodKind, PeriodMark
from ..rules import JournalRules, rules_for
from ..services.setup import allowed_period_values, scale_of
from ..year_suggest import YearSuggestion, YearWindow, final_suggest, year_suggest, year_window
from .common import today
from .grid import GridStudent, journal_students

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

YEAR_KINDS = (PeriodKind.YEAR, PeriodKind.EXAM, PeriodKind.FINAL)
NO_SUGGESTION = YearSuggestion("")


@dataclass
class YearRow:
    """One student of the year sheet: the term marks, the year/exam/final marks set, and the suggestions."""

    student: GridStudent
    term_marks: list[str]  # in the order of the terms; "" none, "·" not in the class that term
    marks: dict[str, PeriodMark] = field(default_factory=dict)  # kind → the mark set
    year: YearSuggestion = NO_SUGGESTION
    final: YearSuggestion = NO_SUGGESTION

    def value(self, kind: str) -> str:
        mark = self.marks.get(kind)
        return mark.value if mark else ""

    def version(self, kind: str) -> int:
        mark = self.marks.get(kind)
        return mark.version if mark else 0

    def suggestion(self, kind: str) -> YearSuggestion:
        by_kind: dict[str, YearSuggestion] = {PeriodKind.YEAR: self.year, PeriodKind.FINAL: self.final}
        return by_kind.get(kind, NO_SUGGESTION)

    def cells(self, kinds: tuple[str, ...]) -> list[YearCell]:
        """The row's year, exam and final cells as the sheet shows them (the value a form starts with included)."""
        cells = []
        for kind in kinds:
            suggestion = self.suggestion(kind)
            start = self.value(kind) or ("" if suggestion.warning else suggestion.value)
            cells.append(
                YearCell(kind, PeriodKind(kind).label, self.value(kind), self.version(kind), suggestion, start)
            )
        return cells


@dataclass(frozen=True)
class YearCell:
    kind: str
    label: StrOrPromise
    value: str
    version: int
    suggestion: YearSuggestion
    start: str  # what the form's select starts at: the mark set, else the suggestion without a warning


@dataclass
class YearSheet:
    """The year, exam and final marks of one journal (class or subgroup × subject)."""

    assignment: TeachingAssignment
    terms: list[Term]
    window: YearWindow
    has_exam: bool
    rows: list[YearRow]
    allowed: tuple[str, ...]
    year_closed: bool  # the last term is closed for the class: year marks only through a correction

    @property
    def kinds(self) -> tuple[str, ...]:
        return YEAR_KINDS if self.has_exam else (PeriodKind.YEAR, PeriodKind.FINAL)

    @property
    def is_open(self) -> bool:
        return today() >= self.window.opens_on

    def lines(self) -> list[tuple[YearRow, list[YearCell]]]:
        return [(row, row.cells(self.kinds)) for row in self.rows]


def last_term(terms: list[Term]) -> Term:
    if not terms:
        raise ValidationError(_("В учебном году нет учебных периодов."), code="term")
    return max(terms, key=lambda t: (t.ends_on, t.pk))


def subject_has_exam(school_class: SchoolClass, subject_id: int) -> bool:
    """Whether the class's grade sits an exam in the subject this year (the curriculum's flag)."""
    return CurriculumLine.objects.filter(
        school_id=school_class.school_id, year_id=school_class.year_id, grade=school_class.grade,
        subject_id=subject_id, has_exam=True,
    ).exists()  # fmt: skip


def year_rows(
    assignment: TeachingAssignment, terms: list[Term], rules: JournalRules, *, has_exam: bool, lock: bool = False
) -> list[YearRow]:
    """The year sheet's students with their marks and suggestions (no access check: callers check).

    Two or three queries: the students over the year, and every period mark of theirs in the subject
    (`lock`: locked for update, inside a service's transaction).
    """
    final_term = last_term(terms)
    everyone = journal_students(
        assignment.school_class_id, assignment.subgroup_id, assignment.year.starts_on, final_term.ends_on
    )
    students = [s for s in everyone if s.left_on is None]  # a student who left mid-year is marked elsewhere
    marks = PeriodMark.objects.filter(
        student_id__in=[s.student.pk for s in students], subject_id=assignment.subject_id, year_id=assignment.year_id
    )
    if lock:
        marks = marks.select_for_update()
    by_student: dict[int, dict] = defaultdict(dict)
    for mark in marks:
        by_student[mark.student_id][mark.term_id if mark.kind == PeriodKind.TERM else mark.kind] = mark
    rows = []
    for s in students:
        held = by_student[s.student.pk]
        arrived = s.arrived_on or assignment.year.starts_on
        in_class = [t.ends_on >= arrived for t in terms]
        term_marks = [held[t.pk].value if t.pk in held else ("" if here else "·") for t, here in
                      zip(terms, in_class, strict=True)]  # fmt: skip
        row = YearRow(student=s, term_marks=term_marks, marks={k: held[k] for k in YEAR_KINDS if k in held})
        attended = [(str(t), held[t.pk].value if t.pk in held else None) for t, here in zip(terms, in_class,
                    strict=True) if here or t.pk in held]  # fmt: skip
        row.year = year_suggest(attended, rules)
        row.final = final_suggest(year=row.value(PeriodKind.YEAR), exam=row.value(PeriodKind.EXAM), has_exam=has_exam)
        rows.append(row)
    return rows


def year_sheet(*, actor: Actor, assignment: TeachingAssignment, terms: list[Term] | None = None) -> YearSheet:
    """The journal's year sheet (its readers: the teacher, the class teacher, administration); constant queries."""
    policy.enforce(actor, "can_view_journal", assignment)
    terms = sql.class_terms(assignment.school_class) if terms is None else terms
    if not terms:
        raise Http404
    rules = rules_for(assignment.school)
    has_exam = subject_has_exam(assignment.school_class, assignment.subject_id)
    final_term = last_term(terms)
    return YearSheet(
        assignment=assignment, terms=terms, window=year_window(final_term, rules), has_exam=has_exam,
        rows=year_rows(assignment, terms, rules, has_exam=has_exam),
        allowed=allowed_period_values(scale_of(assignment.school, assignment.subject_id)),
        year_closed=bool(getattr(final_term, "is_closed", False)),
    )  # fmt: skip


@dataclass
class ClassYear:
    """The class teacher's year view: every subject × student with the year, exam and final marks."""

    school_class: SchoolClass
    subjects: list[Subject]
    exams: set[int]  # subject ids with an exam in the grade
    students: list[GridStudent]
    marks: dict[tuple[int, int], dict[str, str]]  # (student_id, subject_id) → kind → value


def class_year(*, actor: Actor, school_class: SchoolClass) -> ClassYear:
    """Load the class's year marks (class teacher and school administration); six queries whatever the class."""
    policy.enforce(actor, "can_view_journal", SimpleNamespace(school_id=school_class.school_id,
                                                             school_class_id=school_class.pk))  # fmt: skip
    year = school_class.year
    subjects: dict[int, Subject] = {}
    for a in TeachingAssignment.objects.filter(school_class=school_class).select_related("subject"):
        subjects.setdefault(a.subject_id, a.subject)
    exams = set(
        CurriculumLine.objects.filter(
            school_id=school_class.school_id, year_id=school_class.year_id, grade=school_class.grade, has_exam=True
        ).values_list("subject_id", flat=True)
    )
    terms = sql.class_terms(school_class)
    end = last_term(terms).ends_on if terms else year.ends_on
    students = [s for s in journal_students(school_class.pk, None, year.starts_on, end) if s.left_on is None]
    marks: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for sid, subject_id, kind, value in PeriodMark.objects.filter(
        student_id__in=[s.student.pk for s in students], year_id=school_class.year_id, kind__in=YEAR_KINDS
    ).values_list("student_id", "subject_id", "kind", "value"):
        marks[(sid, subject_id)][kind] = value
    ordered = sorted(subjects.values(), key=lambda s: (s.position, s.name))
    return ClassYear(school_class=school_class, subjects=ordered, exams=exams & set(subjects), students=students,
                     marks=dict(marks))  # fmt: skip
