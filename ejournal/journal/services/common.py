"""What every journal write checks and writes: the keeper, the term, the deadline, the correction, the change log.

A write is admitted when the actor keeps the lesson, the lesson's date lies
in a term, and the write is on time and the term is open. A late write or a
write in a closed term needs the actor's own approved `CorrectionRequest` for
exactly this change; the request is used up and its reason goes into the
change records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.people.models import Enrolment, Student, SubgroupMembership
from ejournal.schools.models import Term
from ejournal.timetable.calendar import SchoolCalendar
from ejournal.timetable.models import Lesson

from ..batch import batch_cache, memo
from ..models import ChangeRecord, CorrectionRequest, TermClosure, WorkType
from ..rules import JournalRules
from .chain import change_records_append

Span = tuple[dt.date, dt.date | None]  # an enrolment's or membership's first and last day (None: open)


class ConflictError(ValidationError):
    """Somebody else changed the record since the caller read it; nothing was written."""

    def __init__(self, message: str | None = None):
        super().__init__(
            message or _("Запись уже изменил другой пользователь. Обновите страницу и повторите."), code="conflict"
        )


def ru_date(day: dt.date) -> str:
    return date_format(day, "d.m.Y")


def today() -> dt.date:
    return timezone.localdate()


def related_or_none(instance: Any, name: str) -> Any:
    """A reverse one-to-one (`lesson.journal_note`) or None when it does not exist (Django raises instead)."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def require_keeper(actor: Actor, target: Any) -> None:
    """Refuse unless the actor keeps this lesson's (or assignment's) journal."""
    key = ("keeper", actor.user_id, actor.role, type(target).__name__, target.pk)
    if not memo(key, lambda: policy.check(actor, "can_keep_journal", target)):
        raise ValidationError(
            _("Вы не можете вести журнал этого урока: его ведёт учитель урока или заменяющий учитель."),
            code="forbidden",
        )


def lesson_refusal(*, status: str, day: dt.date, rules: JournalRules, attendance: bool) -> str:
    """Why nothing of the kind (attendance, else a mark) may be written on this lesson; "" when it may.

    The Regulation: no marks and no attendance on a lesson that did not take place (cancelled, or moved to
    another lesson, which takes them); none ahead of the lesson, except marks for planned work where the
    school's Regulation allows it (`allow_future_planned_marks`). The message has a «%(date)s» placeholder.
    """
    if status == Lesson.Status.CANCELLED:
        return _("Урок %(date)s отменён: отметки и посещаемость на нём не ставятся.")
    if status == Lesson.Status.MOVED:
        return _("Урок %(date)s перенесён: отметки и посещаемость ставятся на уроке, куда он перенесён.")
    if day > today():
        if attendance:
            return _("Урок %(date)s ещё не прошёл: посещаемость отмечается в день урока.")
        if not rules.allow_future_planned_marks:
            return _("Урок %(date)s ещё не прошёл: положение о ведении журнала не разрешает ставить отметки заранее.")
    return ""


def require_lesson_held(lesson: Lesson, rules: JournalRules, *, attendance: bool) -> None:
    """Refuse a mark (or attendance) on a lesson that did not or has not yet taken place (`lesson_refusal`)."""
    refusal = lesson_refusal(status=lesson.status, day=lesson.date, rules=rules, attendance=attendance)
    if refusal:
        raise ValidationError(refusal % {"date": ru_date(lesson.date)}, code="no_lesson")


def require_enrolled(student: Student, lesson: Lesson) -> None:
    """Refuse unless the student is in the lesson's class (and subgroup) on the lesson's date."""
    day = lesson.date
    on_day = Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    if batch_cache() is None:
        in_class = Enrolment.objects.filter(
            on_day, student_id=student.pk, school_class_id=lesson.school_class_id
        ).exists()
    else:  # a batch: the class's enrolments are read once
        spans = memo(("enrolments", lesson.school_class_id), lambda: _spans(Enrolment, "school_class_id",
                                                                             lesson.school_class_id))  # fmt: skip
        in_class = _covers(spans.get(student.pk, ()), day)
    if not in_class:
        raise ValidationError(
            _("%(student)s не числится в классе %(cls)s на %(date)s.")
            % {"student": student.full_name, "cls": lesson.school_class, "date": ru_date(day)},
            code="not_enrolled",
        )
    if subgroup_id := lesson.subgroup_id:
        if batch_cache() is None:
            member = SubgroupMembership.objects.filter(on_day, student_id=student.pk, subgroup_id=subgroup_id).exists()
        else:
            spans = memo(("members", subgroup_id), lambda: _spans(SubgroupMembership, "subgroup_id",
                                                                   subgroup_id))  # fmt: skip
            member = _covers(spans.get(student.pk, ()), day)
        if not member:
            raise ValidationError(
                _("%(student)s не входит в подгруппу «%(group)s» на %(date)s.")
                % {
                    "student": student.full_name,
                    "group": lesson.subgroup.name if lesson.subgroup else "",
                    "date": ru_date(day),
                },
                code="not_enrolled",
            )


def _spans(model: type[Enrolment | SubgroupMembership], field: str, value: int) -> dict[int, list[Span]]:
    spans: dict[int, list[Span]] = {}
    for sid, starts, ends in model.objects.filter(**{field: value}).values_list("student_id", "starts_on", "ends_on"):
        spans.setdefault(sid, []).append((starts, ends))
    return spans


def _covers(spans: Iterable[Span], day: dt.date) -> bool:
    return any(starts <= day and (ends is None or ends >= day) for starts, ends in spans)


def term_of(lesson: Lesson) -> Term:
    """Return the term the lesson's date lies in for the class's grade, or refuse."""
    term = memo(("term_of", lesson.pk), lambda: _term_of(lesson))
    if term is None:
        raise ValidationError(
            _("Дата урока %(date)s не входит ни в один учебный период школы: запись в журнал невозможна.")
            % {"date": ru_date(lesson.date)},
            code="outside_term",
        )
    return term


def _term_of(lesson: Lesson) -> Term | None:
    grade = lesson.school_class.grade
    term = (
        Term.objects.filter(school_id=lesson.school_id, starts_on__lte=lesson.date, ends_on__gte=lesson.date)
        .filter(min_grade__lte=grade, max_grade__gte=grade)
        .first()
    )
    return term


def is_closed(term: Term, school_class_id: int) -> bool:
    whole_or_class = Q(school_class__isnull=True) | Q(school_class_id=school_class_id)
    return memo(("closed", term.pk, school_class_id),
                lambda: TermClosure.objects.filter(whole_or_class, term=term).exists())  # fmt: skip


def school_days_after(lesson: Lesson, count: int) -> dt.date:
    """The date `count` study days after the lesson's date, on the class's calendar (holidays skipped)."""
    return memo(("days_after", lesson.pk, count), lambda: _school_days_after(lesson, count))


def _school_days_after(lesson: Lesson, count: int) -> dt.date:
    cls = lesson.school_class
    calendar = SchoolCalendar.load(lesson.school, cls.year)
    day, left = lesson.date, count
    limit = cls.year.ends_on
    while left > 0 and day < limit:
        day += dt.timedelta(days=1)
        if calendar.is_study_day(cls.grade, day):
            left -= 1
    return day


def mark_deadline(lesson: Lesson, work_type: WorkType, rules: JournalRules) -> dt.date:
    """Oral marks: the lesson day; written work: N study days (by grade; compositions in 10–11 longer)."""
    if not work_type.is_written:
        return lesson.date + dt.timedelta(days=rules.same_day_grace_days)
    grade = lesson.school_class.grade
    days = rules.written_mark_school_days
    if 5 <= grade <= 9:
        days = rules.written_mark_school_days_grades_5_9
    elif grade >= 10 and work_type.is_composition:
        days = rules.composition_mark_school_days_grades_10_11
    return school_days_after(lesson, days)


@dataclass(frozen=True)
class Admission:
    """Why a write was let through: on time, or late/closed with this used-up correction request."""

    late: bool
    correction: CorrectionRequest | None = None

    @property
    def reason(self) -> str:
        return self.correction.reason if self.correction else ""


def admit(
    *,
    actor: Actor,
    kind: str,
    deadline: dt.date,
    term: Term,
    school_class_id: int,
    proposal: dict[str, Any],
    correction: CorrectionRequest | None,
    lesson: Lesson | None = None,
    student: Student | None = None,
    closable: bool = True,
) -> Admission:
    """Let an on-time write in an open term through; otherwise require and use up a matching correction.

    Call inside the write's transaction: the request row is locked and marked
    applied there, so one approval lets exactly one change through. `closable`
    False: the term's closure does not lock this write (exam and final marks, set after the last term closes).
    """
    closed = closable and is_closed(term, school_class_id)
    late = today() > deadline
    if not (late or closed):
        return Admission(late=False)
    if correction is None:
        if closed:
            message = _(
                "Период «%(term)s» закрыт. Изменить запись можно только с разрешения заместителя директора "
                "или директора: подайте запрос на исправление с указанием причины."
            ) % {"term": term}
        else:
            message = _(
                "Срок внесения этой записи истёк %(date)s. Исправить её можно только с разрешения заместителя "
                "директора или директора: подайте запрос на исправление с указанием причины."
            ) % {"date": ru_date(deadline)}
        raise ValidationError(message, code="late")
    request = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    matches = (
        request.status == CorrectionRequest.Status.APPROVED
        and request.filed_by_id == actor.user_id
        and request.kind == kind
        and request.lesson_id == (lesson.pk if lesson else None)
        and request.student_id == (student.pk if student else None)
        and request.proposed == proposal
    )
    if not matches:
        raise ValidationError(
            _("Запрос на исправление не разрешён или не совпадает с этим изменением."), code="correction_mismatch"
        )
    request.status = CorrectionRequest.Status.APPLIED
    request.applied_at = timezone.now()
    request.save(update_fields=["status", "applied_at"])
    return Admission(late=True, correction=request)


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, dt.date):
        return ru_date(value)
    return str(value)


def record_changes(
    *,
    actor: Actor,
    school_id: int,
    entity: str,
    entity_id: int | None,
    action: str,
    changes: dict[str, tuple[Any, Any]],
    admission: Admission,
    lesson_id: int | None = None,
    student_id: int | None = None,
    term_id: int | None = None,
    reason: str = "",
    save: bool = True,
) -> list[ChangeRecord]:
    """Append one ChangeRecord per changed field (old → new), with the acting role and the reason.

    `save=False`: return the rows unsaved (the caller inserts many at once).
    """
    rows = [
        ChangeRecord(
            school_id=school_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            lesson_id=lesson_id,
            student_id=student_id,
            term_id=term_id,
            field=name,
            old=as_text(old),
            new=as_text(new),
            actor_id=actor.user_id_required,
            actor_role=actor.role or "",
            reason=admission.reason or reason,
            correction_request=admission.correction,
            is_late=admission.late,
        )
        for name, (old, new) in changes.items()
    ]
    return change_records_append(rows) if save else rows


def mark_lesson_has_records(lesson: Lesson) -> None:
    """Tell the timetable that this lesson holds journal data (regeneration must keep it)."""
    if not lesson.has_records:
        Lesson.objects.filter(pk=lesson.pk, has_records=False).update(has_records=True)
        lesson.has_records = True
