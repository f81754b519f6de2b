"""Reads of the diary, scoped to the acting `Actor`, each in a constant number of queries.

A student's lessons are those of the classes they were enrolled in on the
lesson's date, and of a subgroup only while they were its member; the spans
are loaded once and the lessons filtered in Python, so the number of queries
does not grow with the lessons, marks or weeks shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.journal.averages import weighted_average
from ejournal.journal.models import (
    Attendance,
    Homework,
    HomeworkAttachment,
    Mark,
    PeriodKind,
    PeriodMark,
    TermClosure,
)
from ejournal.journal.rules import rules_for
from ejournal.people.models import Enrolment, GuardianLink, Student, SubgroupMembership
from ejournal.schools.models import AcademicYear, Term
from ejournal.timetable.calendar import Bells, current_year, week_start
from ejournal.timetable.models import Bell, Lesson

from .models import FeedKey, WeekAcknowledgement

WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")
STUDENT_RELATED = ("school", "school_class")


# --- whose diary ------------------------------------------------------------------------


def children(*, actor: Actor) -> list[Student]:
    """The guardian's children (or the student's own record), in a stable order for the tabs."""
    return list(
        Student.objects.filter(id__in=actor.student_ids)
        .select_related(*STUDENT_RELATED)
        .order_by("birth_date", "first_name", "pk")
    )


def child_get(*, actor: Actor, student_id: int) -> Student:
    """A child whose diary the actor reads; anybody else's id is a 404 (no hint that it exists)."""
    if student_id not in actor.student_ids:
        raise Http404
    student = get_object_or_404(Student.objects.select_related(*STUDENT_RELATED), pk=student_id)
    if not policy.check(actor, "can_read_diary", student):
        raise Http404
    return student


@dataclass(frozen=True, slots=True)
class _ChildId:
    """The policy's target of a child known only by id (the diary's rules look at nothing else)."""

    id: int


def child_check(*, actor: Actor, student_id: int) -> None:
    """`child_get`'s refusal without its query (a 404 unless the actor reads this child's diary), for a read that
    needs only the id — the week, whose selectors read the child themselves (`week.week_data`)."""
    if student_id not in actor.student_ids or not policy.check(actor, "can_read_diary", _ChildId(student_id)):
        raise Http404


def child_among(*, actor: Actor, children: list[Student], student_id: int) -> Student:
    """`child_get` without a query: the child among the actor's `children` (read once for the tabs)."""
    student = next((c for c in children if c.pk == student_id), None) if student_id in actor.student_ids else None
    if student is None or not policy.check(actor, "can_read_diary", student):
        raise Http404
    return student


def extract_student_get(*, actor: Actor, student_id: int) -> Student:
    """The student of an extract: a family's own child, or a student of the class teacher's / coordinator's school."""
    if actor.role in (Role.GUARDIAN, Role.STUDENT):
        return child_get(actor=actor, student_id=student_id)
    student = get_object_or_404(
        Student.objects.select_related(*STUDENT_RELATED), pk=student_id, school_id=actor.school_id
    )
    if not policy.check(actor, "can_print_diary_extract", student):
        raise Http404
    return student


# --- weeks -------------------------------------------------------------------------------


def parse_week(value: str | None) -> dt.date:
    """The Monday of «2026-W37»; empty means this week. Raises ValidationError with a Russian message."""
    if not value:
        return week_start(timezone.localdate())
    match = WEEK_RE.match(value.strip())
    try:
        if not match:
            raise ValueError(value)
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValidationError(
            _("Неделя указана неверно: «%(value)s». Ожидается год и номер недели, например 2026-W37."),
            params={"value": value[:20]},
            code="week",
        ) from None


def week_param(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


# --- the student's lessons ------------------------------------------------------------------


@dataclass
class Spans:
    """When the student was in which class and subgroup (dates inclusive, None: open)."""

    classes: dict[int, list[tuple[dt.date, dt.date | None]]] = field(default_factory=lambda: defaultdict(list))
    subgroups: dict[int, list[tuple[dt.date, dt.date | None]]] = field(default_factory=lambda: defaultdict(list))
    schools: set[int] = field(default_factory=set)  # of the classes (the index of homework by school and due date)

    @staticmethod
    def _covers(spans: Iterable[tuple[dt.date, dt.date | None]], day: dt.date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in spans)

    def sees(self, lesson: Lesson) -> bool:
        return self.sees_row(lesson.school_class_id, lesson.subgroup_id, lesson.date)

    def sees_row(self, class_id: int, subgroup_id: int | None, day: dt.date) -> bool:
        if not self._covers(self.classes.get(class_id, ()), day):
            return False
        return subgroup_id is None or self._covers(self.subgroups.get(subgroup_id, ()), day)


def spans_of(student: Student, first: dt.date, last: dt.date) -> Spans:
    """The student's enrolments and subgroup memberships overlapping [first, last] (two queries)."""
    overlap = Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    spans = Spans()
    for school_id, class_id, start, end in Enrolment.objects.filter(overlap, student=student).values_list(
        "school_id", "school_class_id", "starts_on", "ends_on"
    ):
        spans.classes[class_id].append((start, end))
        spans.schools.add(school_id)
    for group_id, start, end in SubgroupMembership.objects.filter(overlap, student=student).values_list(
        "subgroup_id", "starts_on", "ends_on"
    ):
        spans.subgroups[group_id].append((start, end))
    return spans


def student_lessons(spans: Spans, first: dt.date, last: dt.date) -> list[Lesson]:
    """Every lesson of the student between two dates, cancelled and moved ones included, in order."""
    qs = Lesson.objects.filter(school_class_id__in=list(spans.classes), date__range=(first, last))
    qs = qs.select_related("subject", "school_class", "teacher", "substitute")
    return [lesson for lesson in qs.order_by("date", "lesson_number", "pk") if spans.sees(lesson)]


def homework_due(spans: Spans, first: dt.date, last: dt.date) -> list[Homework]:
    """Homework of the student's lessons that is due between two dates (given at any earlier lesson)."""
    qs = (
        Homework.objects.filter(
            school_id__in=list(spans.schools),
            lesson__school_class_id__in=list(spans.classes),
            due_date__range=(first, last),
        )
        .select_related("lesson__subject")
        .order_by("due_date", "lesson__subject__position", "lesson__subject__name", "pk")
    )
    return [h for h in qs if spans.sees(h.lesson)]


def bell_of(bells: Bells, lesson: Lesson) -> Bell | None:
    cls = lesson.school_class
    return bells.bell(grade=cls.grade, shift=cls.shift, number=lesson.lesson_number)


@dataclass
class DiaryWeek:
    student: Student
    monday: dt.date
    acknowledgements: list[WeekAcknowledgement]
    today: dt.date

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    @property
    def param(self) -> str:
        return week_param(self.monday)

    @property
    def previous(self) -> str:
        return week_param(self.monday - dt.timedelta(days=7))

    @property
    def next(self) -> str:
        return week_param(self.monday + dt.timedelta(days=7))

    @property
    def is_current(self) -> bool:
        return self.monday == week_start(self.today)

    @property
    def is_past_or_current(self) -> bool:
        return self.monday <= week_start(self.today)


def diary_week(*, actor: Actor, student: Student, monday: dt.date) -> DiaryWeek:
    """A child's week around its days (`week.week_days`): the neighbours and who acknowledged it (one query)."""
    policy.enforce(actor, "can_read_diary", student)
    acks = list(
        WeekAcknowledgement.objects.filter(student=student, week_start=monday)
        .select_related("guardian_user")
        .order_by("at")
    )
    return DiaryWeek(student=student, monday=monday, acknowledgements=acks, today=timezone.localdate())


def attachment_get(*, actor: Actor, student: Student, pk: int) -> HomeworkAttachment:
    """A homework file of one of the child's lessons; any other file is a 404."""
    policy.enforce(actor, "can_read_diary", student)
    item = get_object_or_404(
        HomeworkAttachment.objects.select_related("homework__lesson"), pk=pk, school_id=student.school_id
    )
    lesson = item.homework.lesson
    if not spans_of(student, lesson.date, lesson.date).sees(lesson):
        raise Http404
    return item


# --- marks by subject --------------------------------------------------------------------


def student_year(student: Student) -> AcademicYear | None:
    if student.school_class:
        return student.school_class.year if student.school_class.year.is_current else current_year(student.school)
    return current_year(student.school)


def student_terms(student: Student) -> list[Term]:
    """The marking periods of the student's grade in the current year, in order."""
    qs = Term.objects.filter(school_id=student.school_id, year__is_current=True)
    if student.school_class:
        grade = student.school_class.grade
        qs = qs.filter(min_grade__lte=grade, max_grade__gte=grade)
    return list(qs.select_related("year").order_by("starts_on", "number"))


def term_pick(terms: list[Term], term_id: int | None, today: dt.date) -> Term | None:
    """The asked term (a foreign id is a 404), else the one running today, else the latest begun, else the first."""
    if term_id is not None:
        term = next((t for t in terms if t.pk == term_id), None)
        if term is None:
            raise Http404
        return term
    running = [t for t in terms if t.starts_on <= today <= t.ends_on]
    begun = [t for t in terms if t.starts_on <= today]
    picked = running or begun[-1:] or terms[:1]
    return picked[0] if picked else None


@dataclass(slots=True)
class MarkLine:
    """A mark as the marks page shows it (plain values: a term has hundreds; `work_type` for the shared partial)."""

    display: str
    value: int | None
    name: str  # of the kind of work
    weight: Decimal
    comment: str
    date: dt.date

    @property
    def work_type(self) -> MarkLine:
        return self


@dataclass
class SubjectRow:
    subject: Subject
    marks: list[Any] = field(default_factory=list)  # the marks page's `MarkLine`s, the extract's `Mark`s
    average: Decimal | None = None
    period_mark: str = ""
    period_marks: dict = field(default_factory=dict)  # term id or kind → value (the year view)
    year_cells: list[str] = field(default_factory=list)  # the year view: each term, then year, exam, final
    marks_html: str = ""  # the marks as diary/partials/mark.html shows them (`diary.marks`: the Jinja2 fragment)


@dataclass(frozen=True)
class Absences:
    """Lessons missed by reason: н (no reason given), б (illness), уп (excused); оп: late arrivals."""

    absent: int = 0
    ill: int = 0
    excused: int = 0
    late: int = 0

    @property
    def total(self) -> int:
        return self.absent + self.ill + self.excused

    @classmethod
    def of(cls, codes: Iterable[str]) -> Absences:
        counts = Counter(codes)
        return cls(absent=counts["н"], ill=counts["б"], excused=counts["уп"], late=counts["оп"])


@dataclass
class MarksPage:
    student: Student
    terms: list[Term]
    term: Term | None  # None: the year view
    rows: list[SubjectRow]
    absences: Absences | None
    first: dt.date | None
    last: dt.date | None
    closed: bool = False  # the term is closed for the student's class (its term marks are final)


def _subjects(student: Student, first: dt.date, last: dt.date) -> list[Subject]:
    """Subjects the student is taught in [first, last]: the class's own and those of the student's subgroups."""
    qs = TeachingAssignment.objects.filter(school_class_id=student.school_class_id, starts_on__lte=last).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first)
    )
    qs = qs.filter(Q(subgroup__isnull=True) | Q(subgroup__memberships__student=student)).select_related("subject")
    return list({a.subject_id: a.subject for a in qs}.values())


def _rows(subjects: list[Subject]) -> dict[int, SubjectRow]:
    return {s.pk: SubjectRow(subject=s) for s in subjects}


def _ordered(rows: dict[int, SubjectRow]) -> list[SubjectRow]:
    return sorted(rows.values(), key=lambda r: (r.subject.position, r.subject.name))


def absences_between(student: Student, first: dt.date, last: dt.date) -> Absences:
    return Absences.of(
        Attendance.objects.filter(student=student, lesson__date__range=(first, last)).values_list("code", flat=True)
    )


def marks_term(*, actor: Actor | None, student: Student, terms: list[Term], term: Term | None) -> MarksPage:
    """Every mark of a term by subject, the weighted average and the term mark; absences by reason.
    `actor` None: the system filling the diary's cache before the evening (`diary.marks.warm`)."""
    if actor is not None:
        policy.enforce(actor, "can_read_diary", student)
    if term is None:
        return MarksPage(student, terms, None, [], None, None, None)
    first, last = term.starts_on, term.ends_on
    rows = _rows(_subjects(student, first, last))
    marks = Mark.objects.filter(student=student, lesson__date__range=(first, last))
    for subject_id, name, position, day, value, symbol, kind, weight, comment in marks.order_by(
        "lesson__date", "lesson__lesson_number", "created_at", "pk"
    ).values_list("lesson__subject_id", "lesson__subject__name", "lesson__subject__position", "lesson__date",
                  "value", "symbol", "work_type__name", "weight", "comment"):  # fmt: skip
        row = rows.get(subject_id) or rows.setdefault(subject_id, SubjectRow(Subject(id=subject_id, name=name,
                                                                                       position=position)))  # fmt: skip
        row.marks.append(MarkLine(str(value) if value is not None else symbol, value, kind, weight, comment, day))
    for period in PeriodMark.objects.filter(student=student, term=term, kind=PeriodKind.TERM).select_related("subject"):
        rows.setdefault(period.subject_id, SubjectRow(period.subject)).period_mark = period.value
    decimals = rules_for(student.school).average_decimals
    for row in rows.values():
        row.average = weighted_average(((m.value, m.weight) for m in row.marks), decimals)
    closed = TermClosure.objects.filter(
        Q(school_class__isnull=True) | Q(school_class_id=student.school_class_id), term=term
    ).exists()
    absences = absences_between(student, first, last)
    return MarksPage(student, terms, term, _ordered(rows), absences, first, last, closed=closed)


YEAR_KINDS = (PeriodKind.YEAR, PeriodKind.EXAM, PeriodKind.FINAL)


def marks_year(*, actor: Actor | None, student: Student, terms: list[Term]) -> MarksPage:
    """The year view: term marks of every term, the year, exam and final marks, the year's weighted average
    (period marks of any kind besides the term's are shown by kind). `actor` None: as `marks_term`."""
    if actor is not None:
        policy.enforce(actor, "can_read_diary", student)
    year = terms[0].year if terms else student_year(student)
    if year is None:
        return MarksPage(student, terms, None, [], None, None, None)
    first, last = year.starts_on, year.ends_on
    rows = _rows(_subjects(student, first, last))
    pairs: dict[int, list] = defaultdict(list)
    for subject_id, value, weight in Mark.objects.filter(
        student=student, lesson__date__range=(first, last)
    ).values_list("lesson__subject_id", "value", "weight"):
        pairs[subject_id].append((value, weight))
    for period in PeriodMark.objects.filter(student=student, year=year).select_related("subject"):
        row = rows.setdefault(period.subject_id, SubjectRow(period.subject))
        row.period_marks[period.term_id if period.kind == PeriodKind.TERM else period.kind] = period.value
    decimals = rules_for(student.school).average_decimals
    for subject_id, row in rows.items():
        row.average = weighted_average(pairs.get(subject_id, ()), decimals)
        row.year_cells = [row.period_marks.get(key, "") for key in [*(t.pk for t in terms), *YEAR_KINDS]]
    return MarksPage(student, terms, None, _ordered(rows), absences_between(student, first, last), first, last)


# --- the printable extract ----------------------------------------------------------------


@dataclass
class Extract:
    student: Student
    first: dt.date
    last: dt.date
    rows: list[SubjectRow]
    absences: list[Attendance]
    totals: Absences
    made_at: dt.datetime


def extract(*, actor: Actor, student: Student, first: dt.date, last: dt.date) -> Extract:
    """Marks by subject with weighted averages and every absence between two dates (four queries)."""
    policy.enforce(actor, "can_print_diary_extract", student)
    rows: dict[int, SubjectRow] = {}
    marks = Mark.objects.filter(student=student, lesson__date__range=(first, last)).select_related(
        "lesson__subject", "work_type"
    )
    for mark in marks.order_by("lesson__date", "lesson__lesson_number", "created_at", "pk"):
        rows.setdefault(mark.lesson.subject_id, SubjectRow(mark.lesson.subject)).marks.append(mark)
    decimals = rules_for(student.school).average_decimals
    for row in rows.values():
        row.average = weighted_average(((m.value, m.weight) for m in row.marks), decimals)
    absences = list(
        Attendance.objects.filter(student=student, lesson__date__range=(first, last))
        .select_related("lesson__subject")
        .order_by("lesson__date", "lesson__lesson_number")
    )
    totals = Absences.of(a.code for a in absences)
    return Extract(student, first, last, _ordered(rows), absences, totals, timezone.localtime())


# --- the calendar feed ---------------------------------------------------------------------


def feed_key_of(*, actor: Actor) -> FeedKey | None:
    return FeedKey.objects.filter(user=actor.user_id, role=actor.role).first()


def feed_actor(key: FeedKey) -> Actor | None:
    """The read-only family actor a feed key stands for; None when the account no longer reaches any child."""
    user = key.user
    if not user.is_active:
        return None
    if key.role == FeedKey.Role.GUARDIAN:
        ids: Iterable[int] = GuardianLink.objects.filter(guardian__user=user).values_list("student_id", flat=True)
        role = Role.GUARDIAN
    else:
        ids = Student.objects.filter(user=user, is_active=True).values_list("id", flat=True)
        role = Role.STUDENT
    student_ids = frozenset(ids)
    return Actor(user_id=user.pk, role=role, student_ids=student_ids) if student_ids else None


@dataclass
class FeedItem:
    student: Student
    lesson: Lesson | None = None
    bell: Bell | None = None
    homework: Homework | None = None


def feed_items(*, actor: Actor, first: dt.date, last: dt.date) -> list[FeedItem]:
    """Lessons with their bells and homework due dates of every child between two dates.

    Per child: the spans (2 queries), lessons (1), homework due (1); bells once per school (2).
    """
    items: list[FeedItem] = []
    bells: dict[int, Bells] = {}
    for student in children(actor=actor):
        policy.enforce(actor, "can_read_diary", student)
        spans = spans_of(student, first - dt.timedelta(days=90), last)
        if student.school_id not in bells:
            bells[student.school_id] = Bells(student.school_id)
        for lesson in student_lessons(spans, first, last):
            if lesson.status in (Lesson.Status.SCHEDULED, Lesson.Status.EXTRA):
                items.append(FeedItem(student, lesson=lesson, bell=bell_of(bells[student.school_id], lesson)))
        items.extend(FeedItem(student, homework=h) for h in homework_due(spans, first, last))
    return items


def extract_students(*, actor: Actor) -> list[Student]:
    """Students whose extracts a class teacher (own classes) or a coordinator (the school) prints."""
    policy.enforce(actor, "can_print_diary_extract")
    qs = Student.objects.filter(school=actor.school_id, is_active=True).select_related("school_class")
    if actor.role != Role.JOURNAL_COORDINATOR:
        qs = qs.filter(school_class_id__in=actor.led_class_ids)
    return list(qs.order_by("school_class__grade", "school_class__letter", "last_name", "first_name", "pk"))
