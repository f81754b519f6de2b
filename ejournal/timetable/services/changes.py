"""Changes to dated lessons: substitution, cancellation, moving, extra lessons. Each is audited.

The journal and the diary read `substitute`, `status`, `moved_to` and
`change_note`; data written into a lesson stays with that lesson.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.accounts.models import User
from ejournal.core.audit import audit_record
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import RoleAssignment
from ejournal.schools.models import SchoolClass

from ..calendar import MAX_LESSON_NUMBER, current_year
from ..models import Lesson, Room

NOTE_MAX = 255


def lesson_substitute(*, lesson: Lesson, substitute: User | None, note: str = "", actor: Actor) -> Lesson:
    """Give the lesson to another teacher of the school (None takes the substitution back)."""
    if substitute is not None:
        if substitute.pk == lesson.teacher_id:
            raise ValidationError(_("Заменяющий учитель должен отличаться от учителя урока."))
        if not _works_at(substitute, lesson.school_id, lesson.date):
            raise ValidationError(_("Заменить урок может только сотрудник этой школы."))
        _refuse_busy_teacher(substitute, lesson.date, lesson.lesson_number, exclude=lesson.pk)
    with transaction.atomic():
        old = lesson.substitute
        lesson.substitute = substitute
        lesson.change_note = note[:NOTE_MAX]
        lesson.save(update_fields=["substitute", "change_note"])
        audit_record(
            actor=actor,
            action="lesson_substituted",
            obj=lesson,
            changes={"substitute": [_name(old), _name(substitute)]},
            reason=note,
        )
    return lesson


def lesson_cancel(*, lesson: Lesson, reason: str, actor: Actor) -> Lesson:
    """Cancel a lesson; the reason is required and kept with it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Укажите причину отмены урока."))
    if lesson.status != Lesson.Status.SCHEDULED and lesson.status != Lesson.Status.EXTRA:
        raise ValidationError(_("Этот урок уже отменён или перенесён."))
    with transaction.atomic():
        old = lesson.status
        lesson.status, lesson.change_note = Lesson.Status.CANCELLED, reason[:NOTE_MAX]
        lesson.save(update_fields=["status", "change_note"])
        audit_record(
            actor=actor, action="lesson_cancelled", obj=lesson, changes={"status": [old, lesson.status]}, reason=reason
        )
    return lesson


def lesson_move(
    *, lesson: Lesson, date: dt.date, lesson_number: int, room: Room | None = None, reason: str = "", actor: Actor
) -> Lesson:
    """Move a lesson to another date and number: it becomes «перенесён» and links the new lesson."""
    if lesson.status != Lesson.Status.SCHEDULED and lesson.status != Lesson.Status.EXTRA:
        raise ValidationError(_("Этот урок уже отменён или перенесён."))
    if (date, lesson_number) == (lesson.date, lesson.lesson_number):
        raise ValidationError(_("Укажите другую дату или другой номер урока."))
    _refuse_bad_slot(lesson.school_class, lesson.school_id, date, lesson_number)
    _refuse_busy_class(lesson, date, lesson_number)
    _refuse_busy_teacher(lesson.substitute or lesson.teacher, date, lesson_number, exclude=lesson.pk)
    with transaction.atomic():
        new = Lesson.objects.create(
            school_id=lesson.school_id, assignment_id=lesson.assignment_id, school_class_id=lesson.school_class_id,
            subgroup_id=lesson.subgroup_id, subject_id=lesson.subject_id, teacher_id=lesson.teacher_id,
            substitute_id=lesson.substitute_id, date=date, lesson_number=lesson_number,
            room=room if room is not None else lesson.room,
            change_note=(_("перенесён с %(date)s, %(number)s урок")
                         % {"date": lesson.date.strftime("%d.%m.%Y"), "number": lesson.lesson_number}),
        )  # fmt: skip
        lesson.status, lesson.moved_to = Lesson.Status.MOVED, new
        lesson.change_note = reason[:NOTE_MAX]
        lesson.save(update_fields=["status", "moved_to", "change_note"])
        audit_record(
            actor=actor,
            action="lesson_moved",
            obj=lesson,
            changes={"date": [lesson.date, date], "lesson_number": [lesson.lesson_number, lesson_number]},
            reason=reason,
        )
    return new


def lesson_add_extra(
    *, assignment: TeachingAssignment, date: dt.date, lesson_number: int, room: Room | None, reason: str, actor: Actor
) -> Lesson:
    """An extra lesson of an assignment outside the weekly timetable."""
    _refuse_bad_slot(assignment.school_class, assignment.school_id, date, lesson_number)
    if room is not None and room.school_id != assignment.school_id:
        raise ValidationError(_("Кабинет другой школы выбрать нельзя."))
    probe = Lesson(school_class_id=assignment.school_class_id, subgroup_id=assignment.subgroup_id, pk=None)
    _refuse_busy_class(probe, date, lesson_number)
    _refuse_busy_teacher(assignment.teacher, date, lesson_number, exclude=None)
    with transaction.atomic():
        lesson = Lesson.objects.create(
            school_id=assignment.school_id, assignment=assignment, school_class_id=assignment.school_class_id,
            subgroup_id=assignment.subgroup_id, subject_id=assignment.subject_id, teacher_id=assignment.teacher_id,
            date=date, lesson_number=lesson_number, room=room, status=Lesson.Status.EXTRA,
            change_note=reason.strip()[:NOTE_MAX],
        )  # fmt: skip
        audit_record(actor=actor, action="lesson_added", obj=lesson, reason=reason)
    return lesson


def _name(user: User | None) -> str:
    return user.get_full_name() if user else ""


def _works_at(user: User, school_id: int, day: dt.date) -> bool:
    return (
        RoleAssignment.objects.filter(user=user, school_id=school_id)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .exists()
    )


def _refuse_bad_slot(school_class: SchoolClass, school_id: int, date: dt.date, lesson_number: int) -> None:
    if not 1 <= lesson_number <= MAX_LESSON_NUMBER:
        raise ValidationError(_("Номер урока должен быть от 1 до 12"))
    year = current_year(school_class.school)
    if year is None or not year.starts_on <= date <= year.ends_on:
        raise ValidationError(_("Дата должна быть в пределах текущего учебного года."))
    if date.isoweekday() == 7:
        raise ValidationError(_("В воскресенье уроков нет."))


def _active(qs: QuerySet[Lesson]) -> QuerySet[Lesson]:
    return qs.exclude(status__in=[Lesson.Status.CANCELLED, Lesson.Status.MOVED])


def _refuse_busy_class(lesson: Lesson, date: dt.date, lesson_number: int) -> None:
    clash = _active(
        Lesson.objects.filter(school_class_id=lesson.school_class_id, date=date, lesson_number=lesson_number)
    )
    if lesson.subgroup_id is not None:
        clash = clash.filter(Q(subgroup__isnull=True) | Q(subgroup_id=lesson.subgroup_id))
    if clash.exclude(pk=lesson.pk).exists():
        raise ValidationError(_("У класса в это время уже есть урок."))


def _refuse_busy_teacher(teacher: User, date: dt.date, lesson_number: int, *, exclude: int | None) -> None:
    busy = _active(Lesson.objects.filter(date=date, lesson_number=lesson_number))
    busy = busy.filter(Q(substitute=teacher) | Q(teacher=teacher, substitute__isnull=True))
    if exclude is not None:
        busy = busy.exclude(pk=exclude)
    if busy.exists():
        raise ValidationError(
            _("У учителя %(teacher)s в это время уже есть урок.") % {"teacher": teacher.get_short_name()}
        )
