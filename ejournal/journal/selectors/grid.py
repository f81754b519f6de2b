"""The journal grid of one class (subgroup) × subject × term, and the term-mark suggestion of a student.

`journal_grid` loads whole columns at once (students, lessons, marks,
attendance, period marks) and arranges them in Python, so the number of SQL
queries does not grow with students or lessons. Marks and attendance come as
plain tuples (`MarkCell`, `AttendanceCell`), not model instances: a term's
page holds a thousand of them. `journal_cells` is the answer to a save: the
saved cells and their students' summaries only.

A journal is a class (or subgroup) × subject: its lessons are those of every
assignment of that class, subgroup and subject, so a mid-year change of
teacher keeps one journal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

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

from .. import sql
from ..averages import Suggestion, build_suggestion
from ..batch import batch_cache
from ..models import Attendance, HomeworkAttachment, Mark, PeriodKind, PeriodMark, WorkType
from ..rules import JournalRules, rules_for
from ..school_cache import school_constants
from ..services.common import Span, lesson_refusal, related_or_none, ru_date


class KeptRows(Protocol):
    """What a save left in its students' rows (`services.answer.Answer`, which this module does not import: the
    services build on the selectors)."""

    @property
    def students(self) -> frozenset[int]: ...
    @property
    def lessons(self) -> frozenset[int]: ...
    @property
    def marks(self) -> dict[tuple[int, int], list[MarkCell]]: ...
    @property
    def attendance(self) -> dict[tuple[int, int], AttendanceCell]: ...


HELD = sql.HELD  # held lessons: scheduled or extra (defined with the save's prepared reads)


@dataclass(frozen=True)
class GridStudent:
    """A student of the journal with the dates they arrived in and left it (None: before/after the term)."""

    student: Student
    arrived_on: dt.date | None
    left_on: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        """False for the cells the grid greys out (before arrival, after departure)."""
        return (self.arrived_on is None or day >= self.arrived_on) and (self.left_on is None or day <= self.left_on)


class MarkCell(NamedTuple):
    """A mark as the grid shows it (a row of `values_list`, in the order given)."""

    pk: int
    version: int
    value: int | None
    symbol: str
    work_type_id: int
    weight: Decimal

    @property
    def display(self) -> str:
        return str(self.value) if self.value is not None else self.symbol


class AttendanceCell(NamedTuple):
    code: str
    late_minutes: int | None
    version: int


class LessonRef(NamedTuple):
    """A column of the grid in a save's answer: only its id, date and status are needed there."""

    pk: int
    date: dt.date
    status: str


MARK_FIELDS = ("student_id", "lesson_id", "pk", "version", "value", "symbol", "work_type_id", "weight")
ATTENDANCE_FIELDS = ("student_id", "lesson_id", "code", "late_minutes", "version")


@dataclass
class JournalGrid:
    """Everything the journal page of one class/subgroup × subject × term shows."""

    assignment: TeachingAssignment
    term: Term
    students: list[GridStudent]
    # The page: lessons with .homework_or_none, .note_or_none, .attachment_count;
    # a save's answer (`journal_cells`): `LessonRef`s.
    lessons: Sequence[Lesson | LessonRef]
    marks: dict[tuple[int, int], list[MarkCell]]  # (student_id, lesson_id) → marks in order given
    attendance: dict[tuple[int, int], AttendanceCell]
    summaries: dict[int, Suggestion]  # student_id → averages, suggestion, density
    period_marks: dict[int, PeriodMark]
    work_types: dict[int, WorkType]
    # lesson_id → why its cells take no mark (cancelled, moved, ahead of the lesson): shown read-only when empty
    locked: dict[int, str]


def journal_lessons(assignment: TeachingAssignment, term: Term) -> QuerySet[Lesson]:
    """Held lessons (and any lesson holding records) of the assignment's class, subgroup and subject in the term."""
    return Lesson.objects.filter(
        Q(status__in=HELD) | Q(has_records=True),
        school_class_id=assignment.school_class_id, subgroup=assignment.subgroup_id,
        subject_id=assignment.subject_id, date__gte=term.starts_on, date__lte=term.ends_on,
    )  # fmt: skip


STUDENT_NAMES = ("last_name", "first_name", "middle_name")


def journal_students(
    school_class_id: int, subgroup_id: int | None, start: dt.date, end: dt.date, *, names_only: bool = False
) -> list[GridStudent]:
    """Students in the class (and subgroup) at any time in [start, end], ordered by name (one or two queries).

    `names_only`: the students carry their id and names only (the journal's grid: a lighter read).
    Inside a save's batch the class's enrolments and the subgroup's memberships it read are used instead.
    """
    overlap = Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    spans: dict[int, list] = defaultdict(list)
    students: dict[int, Student] = {}
    known = (batch_cache() or {}).get(("class_enrolments", school_class_id))
    enrolments = Enrolment.objects.filter(overlap, school_class_id=school_class_id)
    if known is not None:
        for sid, starts, ends, student in known:
            if _overlaps(starts, ends, start, end):
                students[sid] = student
                spans[sid].append((starts, ends))
    elif names_only:
        named = enrolments.values_list("student_id", "starts_on", "ends_on", *(f"student__{n}" for n in STUDENT_NAMES))
        for sid, starts, ends, *names in named:
            students[sid] = Student(pk=sid, **dict(zip(STUDENT_NAMES, names, strict=True)))
            spans[sid].append((starts, ends))
    else:
        for enrolment in enrolments.select_related("student"):
            students[enrolment.student_id] = enrolment.student
            spans[enrolment.student_id].append((enrolment.starts_on, enrolment.ends_on))
    if subgroup_id is not None:
        members = defaultdict(list)
        for sid, starts, ends in _memberships(subgroup_id, overlap):
            if _overlaps(starts, ends, start, end):
                members[sid].append((starts, ends))
        spans = {sid: [_intersect(a, b) for a in spans[sid] for b in members[sid]] for sid in spans if sid in members}
        spans = {sid: [s for s in ss if s] for sid, ss in spans.items() if any(ss)}
    rows: list[GridStudent] = []
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


def _overlaps(starts: dt.date, ends: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return starts <= end and (ends is None or ends >= start)


def _memberships(subgroup_id: int, overlap: Q) -> Iterable[tuple[int, dt.date, dt.date | None]]:
    """(student, starts, ends) of the subgroup: those a save's batch read (`services.require_enrolled`), else now."""
    known = (batch_cache() or {}).get(("members", subgroup_id))
    if known is not None:
        return [(sid, starts, ends) for sid, spans in known.items() for starts, ends in spans]
    return SubgroupMembership.objects.filter(overlap, subgroup_id=subgroup_id).values_list(
        "student_id", "starts_on", "ends_on"
    )


def _intersect(a: Span, b: Span) -> Span | None:
    start = max(a[0], b[0])
    ends = [e for e in (a[1], b[1]) if e is not None]
    end = min(ends) if ends else None
    return (start, end) if end is None or end >= start else None


def check_term(term: Term, school_id: int) -> None:
    if term.school_id != school_id:
        raise ValidationError(_("Учебный период другой школы."), code="term")


def journal_grid(*, actor: Actor, assignment: TeachingAssignment, term: Term) -> JournalGrid:
    """Load one journal for a term: students, lessons, marks, attendance, averages, period marks.

    Refuses (PermissionDenied) unless the actor may view this journal.
    Constant number of queries whatever the size of the class and the term.
    """
    policy.enforce(actor, "can_view_journal", assignment)
    check_term(term, assignment.school_id)
    students = journal_students(
        assignment.school_class_id, assignment.subgroup_id, term.starts_on, term.ends_on, names_only=True
    )
    lesson_qs = journal_lessons(assignment, term)
    files = (
        HomeworkAttachment.objects.filter(homework__lesson_id=OuterRef("pk"))
        .values("homework__lesson_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    lessons: list[Lesson] = list(
        # Neither the kinds of work (`work_types`) nor the substitute (a join with the users, costly to plan) are shown.
        lesson_qs.select_related("homework", "journal_note__planned_topic")
        .annotate(attachment_count=Coalesce(Subquery(files), 0))
        .order_by("date", "lesson_number")
    )
    for lesson in lessons:  # reverse one-to-ones raise when missing: plain attributes for the page
        lesson.homework_or_none = related_or_none(lesson, "homework")  # type: ignore[attr-defined]  # for the template
        lesson.note_or_none = related_or_none(lesson, "journal_note")  # type: ignore[attr-defined]  # for the template
    lesson_ids = [lesson.pk for lesson in lessons]
    return JournalGrid(
        assignment=assignment, term=term, students=students,
        lessons=lessons, **_cells_of(assignment, term, students, lesson_ids, None, lesson_ids),
        work_types=_work_types(assignment.school_id), locked=_locked(lessons, rules_for(assignment.school)),
    )  # fmt: skip


def _locked(lessons: Iterable[Lesson | LessonRef], rules: JournalRules) -> dict[int, str]:
    """The lessons on which no mark may be written (`services.common.lesson_refusal`), each with the reason."""
    locked = {}
    for lesson in lessons:
        refusal = lesson_refusal(status=lesson.status, day=lesson.date, rules=rules, attendance=False)
        if refusal:
            locked[lesson.pk] = refusal % {"date": ru_date(lesson.date)}
    return locked


def _work_types(school_id: int) -> dict[int, WorkType]:
    """The school's kinds of work by id, in their order (from the cache of the school's constants)."""
    kinds = sorted(school_constants(school_id)["work_types"].values(), key=lambda w: (w.position, w.name))
    return {w.pk: w for w in kinds}


def journal_cells(
    *, actor: Actor, assignment: TeachingAssignment, term: Term, keys: set[tuple[int, int]], only: set[int]
) -> JournalGrid:
    """The answer to a save: the cells `keys` ((student, lesson)) and the summaries of the students `only`.

    All students and the lessons' ids and dates are listed (the cells keep
    their row and column numbers); marks and period marks are read for the
    students `only`, attendance for the cells `keys`. No lesson details.
    Constant number of queries; inside the save's batch the students and lessons it read are reused.
    """
    policy.enforce(actor, "can_view_journal", assignment)
    check_term(term, assignment.school_id)
    students = journal_students(
        assignment.school_class_id, assignment.subgroup_id, term.starts_on, term.ends_on, names_only=True
    )
    lessons = (batch_cache() or {}).get(("journal_lessons", assignment.pk, term.pk))  # read by the save
    if lessons is None:
        lessons = [
            LessonRef(*row)
            for row in journal_lessons(assignment, term)
            .order_by("date", "lesson_number")
            .values_list("pk", "date", "status")
        ]
    lesson_ids = [lesson.pk for lesson in lessons]
    cell_lessons = {lesson for _student, lesson in keys}
    kept = (batch_cache() or {}).get(("answer", assignment.pk, term.pk))  # the rows as the save left them
    if kept is not None and not (only <= kept.students and cell_lessons <= kept.lessons):
        kept = None
    return JournalGrid(
        assignment=assignment, term=term, students=students, lessons=lessons,
        **_cells_of(assignment, term, students, lesson_ids, only, cell_lessons, kept),
        work_types=_work_types(assignment.school_id), locked=_locked(lessons, rules_for(assignment.school)),
    )  # fmt: skip


def _cells_of(
    assignment: TeachingAssignment,
    term: Term,
    students: list[GridStudent],
    lesson_ids: list[int],
    only: set[int] | None,
    attendance_lessons: Collection[int],
    kept: KeptRows | None = None,
) -> dict[str, Any]:
    """Marks, attendance (of `attendance_lessons`), period marks and summaries, as tuples.

    `kept`: the marks and attendance of the students `only` as a save left them (`services.answer`), not read.
    """
    whose = Q() if only is None else Q(student_id__in=only)
    marks: dict[tuple[int, int], list[MarkCell]] = defaultdict(list)
    pairs: dict[int, list] = defaultdict(list)
    rows: Iterable[tuple[int, int, MarkCell]]
    if kept is None:
        found = Mark.objects.filter(whose, lesson_id__in=lesson_ids).order_by("created_at", "id")
        rows = ((sid, lid, MarkCell(*mark)) for sid, lid, *mark in found.values_list(*MARK_FIELDS))
        attendance = {
            (sid, lid): AttendanceCell(*rest)
            for sid, lid, *rest in Attendance.objects.filter(whose, lesson_id__in=attendance_lessons).values_list(
                *ATTENDANCE_FIELDS
            )
        }
    else:
        assert only is not None  # a save's answer is kept for the students it names
        rows = ((sid, lid, cell) for (sid, lid), cells in kept.marks.items() if sid in only for cell in cells)
        attendance = {k: a for k, a in kept.attendance.items() if k[0] in only and k[1] in attendance_lessons}
    for sid, lid, cell in rows:
        marks[(sid, lid)].append(cell)
        pairs[sid].append((cell.value, cell.weight))
    period_marks = {
        p.student_id: p
        for p in sql.period_marks(
            school_class_id=assignment.school_class_id, subject_id=assignment.subject_id, term_id=term.pk,
            kind=PeriodKind.TERM, student_ids=None if only is None else list(only),
        )
    }  # fmt: skip
    rules = rules_for(assignment.school)
    summaries = {
        row.student.pk: build_suggestion(
            pairs.get(row.student.pk, []), hours_per_week=assignment.hours_per_week, term_kind=term.kind, rules=rules
        )
        for row in students
        if only is None or row.student.pk in only
    }
    return {"marks": dict(marks), "attendance": attendance, "summaries": summaries, "period_marks": period_marks}


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
