"""Reads of the journal, scoped to the acting `Actor`, in a constant number of queries.

`journal_grid` and `class_overview` load whole columns at once (students,
lessons, marks, attendance, period marks) and arrange them in Python, so the
number of SQL queries does not grow with students or lessons.

A journal is a class (or subgroup) × subject: its lessons are those of every
assignment of that class, subgroup and subject, so a mid-year change of
teacher keeps one journal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.people.models import Enrolment, Student, SubgroupMembership
from ejournal.schools.models import SchoolClass, Term
from ejournal.timetable.models import Lesson

from .averages import Suggestion, build_suggestion, weighted_average
from .models import (
    Attendance,
    ChangeRecord,
    CorrectionRequest,
    Homework,
    HomeworkAttachment,
    LessonNote,
    Mark,
    PeriodKind,
    PeriodMark,
    PlannedTopic,
    TermClosure,
    ThematicPlan,
    WorkType,
)
from .rules import rules_for
from .services.lessons import next_lesson_date
from .services.setup import scale_of

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
    lessons: list[Lesson]  # with .homework_or_none, .note_or_none (attachments prefetched), .substitute
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


def _journal_students(school_class_id: int, subgroup_id: int | None, start: dt.date, end: dt.date) -> list[GridStudent]:
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


def _check_term(term: Term, school_id: int) -> None:
    if term.school_id != school_id:
        raise ValidationError(_("Учебный период другой школы."), code="term")


def journal_grid(*, actor: Actor, assignment: TeachingAssignment, term: Term) -> JournalGrid:
    """Load one journal for a term: students, lessons, marks, attendance, averages, period marks.

    Refuses (PermissionDenied) unless the actor may view this journal.
    Constant number of queries whatever the size of the class and the term.
    """
    policy.enforce(actor, "can_view_journal", assignment)
    _check_term(term, assignment.school_id)
    school = assignment.school
    rules = rules_for(school)
    students = _journal_students(assignment.school_class_id, assignment.subgroup_id, term.starts_on, term.ends_on)
    lesson_qs = journal_lessons(assignment, term)
    lessons = list(
        lesson_qs.select_related("homework", "journal_note__planned_topic", "substitute")
        .prefetch_related("homework__attachments")
        .order_by("date", "lesson_number")
    )
    for lesson in lessons:  # reverse one-to-ones raise when missing: plain attributes for the page
        lesson.homework_or_none = _related(lesson, "homework")
        lesson.note_or_none = _related(lesson, "journal_note")
    marks: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    for mark in Mark.objects.filter(lesson__in=lesson_qs).order_by("created_at", "id"):
        marks[(mark.student_id, mark.lesson_id)].append(mark)
    attendance = {(a.student_id, a.lesson_id): a for a in Attendance.objects.filter(lesson__in=lesson_qs)}
    period_marks = {
        p.student_id: p
        for p in PeriodMark.objects.filter(
            school_class_id=assignment.school_class_id, subject_id=assignment.subject_id, term=term,
            kind=PeriodKind.TERM,
        )
    }  # fmt: skip
    summaries = {}
    for row in students:
        pairs = [(m.value, m.weight) for lesson in lessons for m in marks.get((row.student.pk, lesson.pk), ())]
        summaries[row.student.pk] = build_suggestion(
            pairs, hours_per_week=assignment.hours_per_week, term_kind=term.kind, rules=rules
        )
    return JournalGrid(
        assignment=assignment, term=term, scale=scale_of(school, assignment.subject_id), students=students,
        lessons=lessons, marks=dict(marks), attendance=attendance, summaries=summaries, period_marks=period_marks,
        work_types={w.pk: w for w in WorkType.objects.filter(school_id=assignment.school_id)},
    )  # fmt: skip


def _related(lesson: Lesson, name: str):
    try:
        return getattr(lesson, name)
    except ObjectDoesNotExist:
        return None


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
    _check_term(term, assignment.school_id)
    return student_period_suggestion(assignment=assignment, student=student, term=term)


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
    _check_term(term, school_class.school_id)
    rules = rules_for(school_class.school)
    overlap = Q(starts_on__lte=term.ends_on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=term.starts_on))
    subjects: dict[int, Subject] = {}
    for a in TeachingAssignment.objects.filter(overlap, school_class=school_class).select_related("subject"):
        subjects.setdefault(a.subject_id, a.subject)
    students = _journal_students(school_class.pk, None, term.starts_on, term.ends_on)
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


def cell_history(*, actor: Actor, lesson: Lesson, student: Student) -> list[ChangeRecord]:
    """Every change of one cell (marks and attendance of a student in a lesson), oldest first, with who and why."""
    policy.enforce(actor, "can_view_journal", lesson)
    return list(
        ChangeRecord.objects.filter(lesson=lesson, student=student)
        .select_related("actor", "correction_request")
        .order_by("at", "id")
    )


def lesson_history(*, actor: Actor, lesson: Lesson) -> list[ChangeRecord]:
    """Changes of the lesson itself (topic, control flag, homework), oldest first."""
    policy.enforce(actor, "can_view_journal", lesson)
    return list(
        ChangeRecord.objects.filter(lesson=lesson, student__isnull=True).select_related("actor").order_by("at", "id")
    )


@dataclass(frozen=True)
class PlanVsFact:
    """Programme delivery of one assignment on a date (hours = lessons)."""

    planned_total: int  # hours in the thematic plan
    scheduled_total: int  # held lessons in the timetable for the whole year
    planned_to_date: int  # lessons scheduled up to the date (what the plan expects by then, capped by the plan)
    given_to_date: int  # lessons up to the date with a topic written
    lag: int  # planned_to_date − given_to_date (positive: behind the plan)


def _year_lessons(assignment: TeachingAssignment) -> QuerySet[Lesson]:
    return Lesson.objects.filter(
        school_class_id=assignment.school_class_id, subgroup_id=assignment.subgroup_id,
        subject_id=assignment.subject_id, status__in=HELD,
        date__gte=assignment.year.starts_on, date__lte=assignment.year.ends_on,
    )  # fmt: skip


def _plan_topics(assignment: TeachingAssignment) -> list[PlannedTopic]:
    plan = ThematicPlan.objects.filter(assignment=assignment).first()
    return list(plan.topics.order_by("position")) if plan else []


def plan_vs_fact(*, actor: Actor, assignment: TeachingAssignment, on_date: dt.date) -> PlanVsFact:
    """Compare the thematic plan with the lessons given (with a topic) up to `on_date`."""
    policy.enforce(actor, "can_view_journal", assignment)
    planned_total = sum(t.hours for t in _plan_topics(assignment))
    lessons = _year_lessons(assignment)
    scheduled_total = lessons.count()
    scheduled_to_date = lessons.filter(date__lte=on_date).count()
    given = lessons.filter(date__lte=on_date).exclude(topic="").count()
    planned_to_date = min(scheduled_to_date, planned_total)
    return PlanVsFact(
        planned_total=planned_total, scheduled_total=scheduled_total, planned_to_date=planned_to_date,
        given_to_date=given, lag=max(planned_to_date - given, 0),
    )  # fmt: skip


def planned_topic_next(
    *, actor: Actor, assignment: TeachingAssignment, before: Lesson | None = None
) -> PlannedTopic | None:
    """The topic the plan expects next: lessons with a topic so far use up the plan's hours in order.

    With `before`, only lessons before that one count (the suggestion for that lesson).
    """
    policy.enforce(actor, "can_view_journal", assignment)
    given = _year_lessons(assignment).exclude(topic="")
    if before is not None:
        given = given.filter(Q(date__lt=before.date) | Q(date=before.date, lesson_number__lt=before.lesson_number))
    used = given.count()
    for topic in _plan_topics(assignment):
        if used < topic.hours:
            return topic
        used -= topic.hours
    return None


# --- pages: actor-scoped getters (a foreign id is a 404, an own object without the right a 403) ----------


def today() -> dt.date:
    return timezone.localdate()


def assignment_get(*, actor: Actor, pk: int) -> TeachingAssignment:
    """A teaching assignment of the actor's school that the actor may read the journal of."""
    assignment = get_object_or_404(
        TeachingAssignment.objects.select_related("school", "school_class", "subject", "subgroup", "teacher", "year"),
        pk=pk, school_id=actor.school_id,
    )  # fmt: skip
    policy.enforce(actor, "can_view_journal", assignment)
    return assignment


def class_terms(school_class: SchoolClass) -> list[Term]:
    """The terms the class's grade is marked by in its year, in order."""
    return list(
        Term.objects.filter(
            school_id=school_class.school_id, year_id=school_class.year_id,
            min_grade__lte=school_class.grade, max_grade__gte=school_class.grade,
        ).order_by("starts_on")
    )  # fmt: skip


def term_current(terms: list[Term], day: dt.date | None = None) -> Term | None:
    """The term containing `day` (today), else the last one begun before it, else the first."""
    day = day or today()
    begun = [t for t in terms if t.starts_on <= day]
    return begun[-1] if begun else (terms[0] if terms else None)


def term_of_class(*, school_class: SchoolClass, pk: int) -> Term:
    term = next((t for t in class_terms(school_class) if t.pk == pk), None)
    if term is None:
        raise Http404
    return term


def term_closed(term: Term, school_class_id: int) -> bool:
    return TermClosure.objects.filter(
        Q(school_class__isnull=True) | Q(school_class_id=school_class_id), term=term
    ).exists()


def my_journals(*, actor: Actor) -> list[tuple[TeachingAssignment, Term | None]]:
    """The journals the actor keeps (a teacher) or oversees (administration) this year, with the current term."""
    qs = TeachingAssignment.objects.filter(school_id=actor.school_id, year__is_current=True).select_related(
        "school_class", "subject", "subgroup", "teacher"
    )
    if not policy.check(actor, "can_view_school_plan"):
        qs = qs.filter(teacher_id=actor.user_id)
    rows = list(qs.order_by("school_class__grade", "school_class__letter", "subject__position", "subject__name"))
    terms = list(Term.objects.filter(school_id=actor.school_id, year__is_current=True).order_by("starts_on"))
    result = []
    for a in rows:
        grade = a.school_class.grade
        result.append((a, term_current([t for t in terms if t.min_grade <= grade <= t.max_grade])))
    return result


def lesson_get(*, actor: Actor, pk: int) -> Lesson:
    """A dated lesson of the actor's school whose journal the actor may read."""
    lesson = get_object_or_404(
        Lesson.objects.select_related("assignment", "school_class", "subject", "school", "subgroup", "teacher"),
        pk=pk, school_id=actor.school_id,
    )  # fmt: skip
    policy.enforce(actor, "can_view_journal", lesson)
    return lesson


def student_of_school(*, actor: Actor, pk: int) -> Student:
    return get_object_or_404(Student, pk=pk, school_id=actor.school_id)


def lesson_editor(*, actor: Actor, lesson: Lesson) -> SimpleNamespace:
    """The lesson column editor: homework with attachments, the control flag, the next planned topic, history."""
    homework = Homework.objects.filter(lesson=lesson).prefetch_related("attachments").first()
    note = LessonNote.objects.filter(lesson=lesson).select_related("planned_topic").first()
    return SimpleNamespace(
        lesson=lesson, homework=homework, note=note,
        suggested_topic=planned_topic_next(actor=actor, assignment=lesson.assignment, before=lesson),
        next_date=next_lesson_date(lesson), history=lesson_history(actor=actor, lesson=lesson),
    )  # fmt: skip


def attachment_get(*, actor: Actor, pk: int):
    """A homework file the actor may read (the journal's readers); foreign schools' files are 404."""
    attachment = get_object_or_404(
        HomeworkAttachment.objects.select_related("homework__lesson"), pk=pk, school_id=actor.school_id
    )
    policy.enforce(actor, "can_view_journal", attachment.homework.lesson)
    return attachment


def corrections_queue(*, actor: Actor) -> SimpleNamespace:
    """Pending requests of the school first, then the 50 latest decided ones (deputy head, director)."""
    policy.enforce(actor, "can_approve_correction")
    qs = CorrectionRequest.objects.filter(school_id=actor.school_id).select_related(
        "lesson__school_class", "lesson__subject", "student", "filed_by", "decided_by", "term"
    )
    return SimpleNamespace(
        pending=list(qs.filter(status=CorrectionRequest.Status.PENDING).order_by("filed_at", "id")),
        decided=list(qs.exclude(status=CorrectionRequest.Status.PENDING)[:50]),
    )


def correction_get(*, actor: Actor, pk: int):
    request = get_object_or_404(CorrectionRequest, pk=pk, school_id=actor.school_id)
    policy.enforce(actor, "can_approve_correction", request)
    return request


def my_corrections(*, actor: Actor, lesson_ids) -> list:
    """The actor's own requests for these lessons (shown on the journal page), newest first."""
    return list(
        CorrectionRequest.objects.filter(filed_by_id=actor.user_id, lesson_id__in=lesson_ids)
        .select_related("student", "lesson")
        .order_by("-filed_at", "-id")[:20]
    )


def term_closing(*, actor: Actor) -> SimpleNamespace:
    """The school's terms of the current year with their closures and the classes each applies to."""
    policy.enforce(actor, "can_close_term")
    terms = list(
        Term.objects.filter(school_id=actor.school_id, year__is_current=True).order_by("starts_on", "min_grade")
    )
    classes = list(
        SchoolClass.objects.filter(school_id=actor.school_id, year__is_current=True).order_by("grade", "letter")
    )
    closures = defaultdict(list)
    for c in TermClosure.objects.filter(term__in=terms).select_related("school_class", "closed_by"):
        closures[c.term_id].append(c)
    return SimpleNamespace(terms=terms, classes=classes, closures=closures)


def term_get(*, actor: Actor, pk: int) -> Term:
    return get_object_or_404(Term, pk=pk, school_id=actor.school_id)


def closure_get(*, actor: Actor, pk: int):
    closure = get_object_or_404(TermClosure.objects.select_related("term"), pk=pk, school_id=actor.school_id)
    policy.enforce(actor, "can_close_term", closure)
    return closure


def class_get(*, actor: Actor, pk: int) -> SchoolClass:
    """A class of the actor's school whose journals the actor may read (class teacher, administration)."""
    cls = get_object_or_404(SchoolClass.objects.select_related("school", "year"), pk=pk, school_id=actor.school_id)
    policy.enforce(actor, "can_view_journal", SimpleNamespace(school_id=cls.school_id, school_class_id=cls.pk))
    return cls


def class_students(*, actor: Actor, school_class: SchoolClass) -> list[Student]:
    """The class's current students, by name (the class teacher's absence reasons page)."""
    policy.enforce(actor, "can_manage_class", school_class)
    return [r.student for r in _journal_students(school_class.pk, None, today(), today())]


def plan_page(*, actor: Actor, assignment: TeachingAssignment) -> SimpleNamespace:
    """The thematic plan with its topics, plan vs fact today, and whether the actor may edit it."""
    return SimpleNamespace(
        assignment=assignment, topics=_plan_topics(assignment),
        fact=plan_vs_fact(actor=actor, assignment=assignment, on_date=today()),
        can_edit=policy.check(actor, "can_keep_journal", assignment) or policy.check(actor, "can_plan_school", assignment),
    )  # fmt: skip


def planned_topic_get(*, actor: Actor, assignment: TeachingAssignment, pk: int) -> PlannedTopic:
    return get_object_or_404(
        PlannedTopic.objects.select_related("plan__assignment"), pk=pk, plan__assignment=assignment
    )


def journal_page(*, actor: Actor, assignment: TeachingAssignment, term: Term) -> SimpleNamespace:
    """The journal page: the grid, the class's terms, whether the term is closed and whether the actor writes."""
    return SimpleNamespace(
        grid=journal_grid(actor=actor, assignment=assignment, term=term),
        terms=class_terms(assignment.school_class),
        closed=term_closed(term, assignment.school_class_id),
        can_edit=policy.check(actor, "can_keep_journal", assignment),
        can_history=policy.check(actor, "can_view_journal", assignment),
    )
