"""Reads of the notifications area: the acting family member's subscription and the digest's content.

The digest reads the journal (imports go one way: notifications → journal,
people); the journal knows nothing of notifications. Every read is bounded by
an `Actor` whose `student_ids` are the recipient's own children, so a digest
cannot carry another family's data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.journal.models import Attendance, AttendanceCode, Homework, Mark
from ejournal.people.models import Guardian, GuardianLink, Student, SubgroupMembership
from ejournal.timetable.models import Lesson

from .models import DigestLog, DigestSubscription

ABSENCE_CODES = (AttendanceCode.ABSENT, AttendanceCode.ILL, AttendanceCode.EXCUSED)


@dataclass(frozen=True)
class Recipient:
    """Who a subscription is for: a guardian, or a student reading their own diary."""

    guardian: Guardian | None = None
    student: Student | None = None

    @property
    def account_email(self) -> str:
        person = self.guardian or self.student
        user = person.user if person else None
        return (user.email if user else "") or (self.guardian.email if self.guardian else "")

    def lookup(self) -> dict:
        return {"guardian": self.guardian} if self.guardian else {"student": self.student}


def recipient_get(*, actor: Actor) -> Recipient:
    """The acting guardian or student; 404 for a role without a person record."""
    if actor.role == Role.GUARDIAN:
        guardian = Guardian.objects.select_related("user").filter(user=actor.user_id).first()
        if guardian:
            return Recipient(guardian=guardian)
    if actor.role == Role.STUDENT:
        student = Student.objects.select_related("user").filter(user=actor.user_id).first()
        if student:
            return Recipient(student=student)
    raise Http404


def subscription_of(*, actor: Actor, recipient: Recipient | None = None) -> DigestSubscription | None:
    """The actor's own subscription (`recipient`: the actor's, when the caller already has it)."""
    recipient = recipient or recipient_get(actor=actor)
    return DigestSubscription.objects.filter(**recipient.lookup()).first()


def digest_logs(*, subscription: DigestSubscription | None, limit: int = 10) -> list[DigestLog]:
    """The latest digests of a subscription the caller got through `subscription_of`."""
    return list(subscription.logs.all()[:limit]) if subscription else []


def recipient_actor(subscription: DigestSubscription) -> Actor:
    """The recipient as an actor, reaching only their own children (active students)."""
    if subscription.guardian:
        user_id = subscription.guardian.user_id
        ids = GuardianLink.objects.filter(guardian=subscription.guardian, student__is_active=True)
        return Actor(
            user_id=user_id,
            role=Role.GUARDIAN,
            student_ids=frozenset(ids.values_list("student_id", flat=True)),
        )
    student = subscription.student
    if student is None:  # the database's check: a guardian's or a student's subscription
        raise ValueError("a digest subscription without its recipient")
    return Actor(
        user_id=student.user_id, role=Role.STUDENT, student_ids=frozenset([student.pk] if student.is_active else [])
    )


# --- the digest's content ------------------------------------------------------------------


@dataclass(frozen=True)
class MarkItem:
    date: dt.date
    subject: str
    value: str
    work_type: str
    changed: bool


@dataclass
class AbsenceDay:
    date: dt.date
    lessons: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HomeworkItem:
    date: dt.date
    subject: str
    text: str
    due_date: dt.date


@dataclass
class ChildDigest:
    student_id: int
    name: str
    school: str
    school_class: str
    marks: list[MarkItem] = field(default_factory=list)
    absences: list[AbsenceDay] = field(default_factory=list)
    homework: list[HomeworkItem] = field(default_factory=list)
    absences_count: int = 0
    diary_url: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.marks or self.absences or self.homework)


@dataclass(frozen=True)
class Kinds:
    marks: bool = True
    absences: bool = True
    homework: bool = True


def digest_collect(*, actor: Actor, kinds: Kinds, start: dt.datetime, end: dt.datetime) -> list[ChildDigest]:
    """What changed for the actor's children in (start, end]: a constant number of queries.

    Marks and absences created or changed in the period (a changed absence
    reason is news too); homework published or changed in the period for the
    child's class, and for the child's own subgroups only.
    """
    children = list(
        Student.objects.filter(pk__in=actor.student_ids, is_active=True)
        .select_related("school", "school_class")
        .order_by("last_name", "first_name", "pk")
    )
    digests = {
        c.pk: ChildDigest(
            student_id=c.pk, name=c.full_name, school=c.school.full_name, school_class=str(c.school_class or "")
        )
        for c in children
    }
    window = {"updated_at__gt": start, "updated_at__lte": end}
    if kinds.marks:
        _collect_marks(digests, window, start)
    if kinds.absences:
        _collect_absences(digests, window)
    if kinds.homework:
        _collect_homework(digests, children, window)
    return [d for d in digests.values() if not d.is_empty]


def _collect_marks(digests: dict[int, ChildDigest], window: dict, start: dt.datetime) -> None:
    marks = (
        Mark.objects.filter(student_id__in=digests.keys(), **window)
        .select_related("lesson__subject", "work_type")
        .order_by("lesson__date", "lesson__lesson_number", "pk")
    )
    for m in marks:
        digests[m.student_id].marks.append(
            MarkItem(m.lesson.date, m.lesson.subject.name, m.display, m.work_type.name, m.created_at <= start)
        )


def _collect_absences(digests: dict[int, ChildDigest], window: dict) -> None:
    rows = (
        Attendance.objects.filter(student_id__in=digests.keys(), code__in=ABSENCE_CODES, **window)
        .select_related("lesson__subject")
        .order_by("lesson__date", "lesson__lesson_number", "pk")
    )
    days: dict[tuple[int, dt.date], AbsenceDay] = {}
    for row in rows:
        key = (row.student_id, row.lesson.date)
        if key not in days:
            days[key] = AbsenceDay(row.lesson.date)
            digests[row.student_id].absences.append(days[key])
        day = days[key]
        day.lessons.append(f"{row.lesson.lesson_number}. {row.lesson.subject.name}")
        reason = row.get_code_display() + (f" ({row.reason_note})" if row.reason_note else "")
        if reason not in day.reasons:
            day.reasons.append(reason)
        digests[row.student_id].absences_count += 1


def _collect_homework(digests: dict[int, ChildDigest], children: list[Student], window: dict) -> None:
    class_ids = {c.school_class_id for c in children if c.school_class_id}
    subgroups: dict[int, set[int]] = defaultdict(set)
    for m in SubgroupMembership.objects.filter(student_id__in=digests.keys(), ends_on__isnull=True):
        subgroups[m.student_id].add(m.subgroup_id)
    items = (
        Homework.objects.filter(lesson__school_class_id__in=class_ids, **window)
        .exclude(lesson__status=Lesson.Status.CANCELLED)
        .select_related("lesson__subject")
        .order_by("lesson__date", "lesson__lesson_number", "pk")
    )
    for hw in items:
        lesson = hw.lesson
        for child in children:
            if child.school_class_id != lesson.school_class_id:
                continue
            if lesson.subgroup_id and lesson.subgroup_id not in subgroups[child.pk]:
                continue
            digests[child.pk].homework.append(HomeworkItem(lesson.date, lesson.subject.name, hw.text, hw.due_date))
