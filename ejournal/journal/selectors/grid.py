"""The journal grid of one class (subgroup) × subject × term, and the term-mark suggestion of a student.

`journal_grid` loads whole columns at once (students, lessons, marks,
attendance, period marks) and arranges them in Python, so the number of SQL
queries does not grow with students or lessons.

A journal is a class (or subgroup) × subject: its lessons are those of every
assignment of that class, subgroup and subject, so a mid-year change of
teacher keeps one journal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import Enrolment, Student, SubgroupMembership
from ejournal.schools.models import Term
from ejournal.timetable.models import Lesson

from ..averages import Suggestion, build_suggestion
from ..models import Attendance, HomeworkAttachment, Mark, PeriodKind, PeriodMark, WorkType
from ..rules import rules_for
from ..services.common import related_or_none
from ..services.setup import scale_of

HELD = (Lesson.Status.SCHEDULED, Lesson.Status.EXTRA)


@dataclass(frozen=True)
class GridStudent:
    """A student of the journal with the dates they arrived in and left it (None: before/after the term)."""

    student: Student
    arrived_on: dt.date | None
    left_on: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        """False for the cells the grid greys out (before arrival, after departure)."""
        return (self.arrived_on is None or day >= self.arrived_on) and (self.left_on is None or day <= self.left_on)


@dataclass
class JournalGrid:
    """Everything the journal page of one class/subgroup × subject × term shows."""

    assignment: TeachingAssignment
    term: Term
    scale: str
    students: list[GridStudent]
    lessons: list[Lesson]  # with .homework_or_none, .note_or_none (its work type), .attachment_count, .substitute
    marks: dict[tuple[int, int], list[Mark]]  # (student_id, lesson_id) → marks in order given
    attendance: dict[tuple[int, int], Attendance]
    summaries: dict[int, Suggestion]  # student_id → averages, suggestion, density
    period_marks: dict[int, PeriodMark]
    work_types: dict[int, WorkType]


def journal_lessons(assignment: TeachingAssignment, term: Term) -> QuerySet[Lesson]:
    """Held lessons (and any lesson holding records) of the assignment's class, subgroup and subject in the term."""
    return Lesson.objects.filter(
        Q(status__in=HELD) | Q(has_records=True),
        school_class_id=assignment.school_class_id, subgroup_id=assignment.subgroup_id,
        subject_id=assignment.subject_id, date__gte=term.starts_on, date__lte=term.ends_on,
    )  # fmt: skip


def journal_students(school_class_id: int, subgroup_id: int | None, start: dt.date, end: dt.date) -> list[GridStudent]:
    """Students in the class (and subgroup) at any time in [start, end], ordered by name (one or two queries)."""
    overlap = Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    spans: dict[int, list] = defaultdict(list)
    students: dict[int, Student] = {}
    for enrolment in Enrolment.objects.filter(overlap, school_class_id=school_class_id).select_related("student"):
        students[enrolment.student_id] = enrolment.student
        spans[enrolment.student_id].append((enrolment.starts_on, enrolment.ends_on))
    if subgroup_id is not None:
        members = defaultdict(list)
        for m in SubgroupMembership.objects.filter(overlap, subgroup_id=subgroup_id):
            members[m.student_id].append((m.starts_on, m.ends_on))
        spans = {sid: [_intersect(a, b) for a in spans[sid] for b in members[sid]] for sid in spans if sid in members}
        spans = {sid: [s for s in ss if s] for sid, ss in spans.items() if any(ss)}
    rows = []
    for sid, ss in spans.items():
        first = min(s[0] for s in ss)
        last = None if any(s[1] is None for s in ss) else max(s[1] for s in ss)
        rows.append(
            GridStudent(
                student=students[sid],
                arrived_on=first if first > start else None,
                left_on=last if last is not None and last < end else None,
            )
        )
    rows.sort(key=lambda r: (r.student.last_name, r.student.first_name, r.student.middle_name, r.student.pk))
    return rows


def _intersect(a, b):
    start = max(a[0], b[0])
    ends = [e for e in (a[1], b[1]) if e is not None]
    end = min(ends) if ends else None
    return (start, end) if end is None or end >= start else None


def check_term(term: Term, school_id: int) -> None:
    if term.school_id != school_id:
        raise ValidationError(_("Учебный период другой школы."), code="term")


def journal_grid(
    *, actor: Actor, assignment: TeachingAssignment, term: Term, only: set[int] | None = None
) -> JournalGrid:
    """Load one journal for a term: students, lessons, marks, attendance, averages, period marks.

    `only` (student ids): the answer to a save; all students and lessons are
    listed (row and column numbers stay), but marks, attendance, period marks
    and summaries are read for these students only.
    Refuses (PermissionDenied) unless the actor may view this journal.
    Constant number of queries whatever the size of the class and the term.
    """
    policy.enforce(actor, "can_view_journal", assignment)
    check_term(term, assignment.school_id)
    school = assignment.school
    rules = rules_for(school)
    students = journal_students(assignment.school_class_id, assignment.subgroup_id, term.starts_on, term.ends_on)
    lesson_qs = journal_lessons(assignment, term)
    files = (
        HomeworkAttachment.objects.filter(homework__lesson_id=OuterRef("pk"))
        .values("homework__lesson_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    lessons = list(
        lesson_qs.select_related("homework", "journal_note__planned_topic", "journal_note__work_type", "substitute")
        .annotate(attachment_count=Coalesce(Subquery(files), 0))
        .order_by("date", "lesson_number")
    )
    for lesson in lessons:  # reverse one-to-ones raise when missing: plain attributes for the page
        lesson.homework_or_none = related_or_none(lesson, "homework")
        lesson.note_or_none = related_or_none(lesson, "journal_note")
    whose = Q() if only is None else Q(student_id__in=only)
    marks: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    for mark in Mark.objects.filter(whose, lesson__in=lesson_qs).order_by("created_at", "id"):
        marks[(mark.student_id, mark.lesson_id)].append(mark)
    attendance = {(a.student_id, a.lesson_id): a for a in Attendance.objects.filter(whose, lesson__in=lesson_qs)}
    period_marks = {
        p.student_id: p
        for p in PeriodMark.objects.filter(
            whose, school_class_id=assignment.school_class_id, subject_id=assignment.subject_id, term=term,
            kind=PeriodKind.TERM,
        )
    }  # fmt: skip
    summaries = {}
    for row in students:
        if only is not None and row.student.pk not in only:
            continue
        pairs = [(m.value, m.weight) for lesson in lessons for m in marks.get((row.student.pk, lesson.pk), ())]
        summaries[row.student.pk] = build_suggestion(
            pairs, hours_per_week=assignment.hours_per_week, term_kind=term.kind, rules=rules
        )
    return JournalGrid(
        assignment=assignment, term=term, scale=scale_of(school, assignment.subject_id), students=students,
        lessons=lessons, marks=dict(marks), attendance=attendance, summaries=summaries, period_marks=period_marks,
        work_types={w.pk: w for w in WorkType.objects.filter(school_id=assignment.school_id)},
    )  # fmt: skip


def student_period_suggestion(*, assignment: TeachingAssignment, student: Student, term: Term) -> Suggestion:
    """The suggestion for one student (used by `period_mark_set`; no access check: callers check)."""
    pairs = list(
        Mark.objects.filter(lesson__in=journal_lessons(assignment, term), student=student).values_list(
            "value", "weight"
        )
    )
    rules = rules_for(assignment.school)
    return build_suggestion(pairs, hours_per_week=assignment.hours_per_week, term_kind=term.kind, rules=rules)


def period_mark_suggest(*, actor: Actor, assignment: TeachingAssignment, student: Student, term: Term) -> Suggestion:
    """Weighted average Σ(mark×weight)/Σweight, the suggested mark by the thresholds, and the density warning."""
    policy.enforce(actor, "can_view_journal", assignment)
    check_term(term, assignment.school_id)
    return student_period_suggestion(assignment=assignment, student=student, term=term)
