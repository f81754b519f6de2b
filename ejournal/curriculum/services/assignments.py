"""Teaching assignments (нагрузка): create, reassign mid-year, end.

A reassignment never rewrites a row: the old one ends the day before and a
new one starts, so the lesson of any date keeps the teacher who taught it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.access.generation import access_changed
from ejournal.access.policy import Actor
from ejournal.access.roles import SCHOOL_STAFF_ROLES
from ejournal.accounts.models import User
from ejournal.core.audit import audit_record
from ejournal.people.models import RoleAssignment
from ejournal.schools.models import School, SchoolClass, Subgroup
from ejournal.schools.services import date_ru, year_current_of

from ..models import Subject, TeachingAssignment
from .plan import hours_check

DAY = dt.timedelta(days=1)
FIELDS = ("teacher", "school_class", "subgroup", "subject", "hours_per_week", "starts_on", "ends_on")


def teacher_works_at(*, teacher: User, school_id: int, on_date: dt.date) -> bool:
    """The user holds a staff appointment of the school on that date."""
    return (
        RoleAssignment.objects.filter(user=teacher, school_id=school_id, role__in=SCHOOL_STAFF_ROLES)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on_date))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on_date))
        .exists()
    )


def _check(a: TeachingAssignment) -> None:
    """Refuse anything that does not belong to the school and its current year."""
    year = a.year
    if a.school_class.school_id != a.school_id or a.school_class.year_id != year.pk:
        raise ValidationError(_("Класс не относится к этой школе в текущем учебном году."))
    if a.subgroup is not None and a.subgroup.school_class_id != a.school_class_id:
        raise ValidationError(_("Подгруппа относится к другому классу."))
    if a.subject.school_id not in (None, a.school_id):
        raise ValidationError(_("Предмет не найден в перечне школы."))
    hours_check(a.hours_per_week)
    last = a.ends_on or a.starts_on
    if a.starts_on < year.starts_on or last > year.ends_on:
        raise ValidationError(
            _("Даты нагрузки должны быть в пределах учебного года (%(start)s – %(end)s).")
            % {"start": date_ru(year.starts_on), "end": date_ru(year.ends_on)}
        )
    if a.ends_on is not None and a.ends_on < a.starts_on:
        raise ValidationError(_("Дата окончания не может быть раньше даты начала."))
    if not teacher_works_at(teacher=a.teacher, school_id=a.school_id, on_date=a.starts_on):
        raise ValidationError(_("Учитель не работает в этой школе."))
    clash = TeachingAssignment.objects.filter(
        teacher=a.teacher, school_class=a.school_class, subgroup=a.subgroup, subject=a.subject
    ).exclude(pk=a.pk)
    clash = clash.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=a.starts_on))
    if a.ends_on is not None:
        clash = clash.filter(starts_on__lte=a.ends_on)
    if clash.exists():
        raise ValidationError(_("У этого учителя уже есть такая нагрузка в этом классе на эти даты."))


def _changes(a: TeachingAssignment, *, before: bool = False) -> dict:
    return {name: ([getattr(a, name), None] if before else [None, getattr(a, name)]) for name in FIELDS}


@transaction.atomic
def assignment_create(
    *,
    school: School,
    teacher: User,
    school_class: SchoolClass,
    subgroup: Subgroup | None,
    subject: Subject,
    hours_per_week: Decimal,
    starts_on: dt.date,
    actor: Actor,
) -> TeachingAssignment:
    """A teacher starts teaching a subject to a class or to one of its subgroups from a date.

    Several teachers may share a class and subject (subgroups, co-teaching).
    """
    assignment = TeachingAssignment(
        school=school,
        year=year_current_of(school),
        teacher=teacher,
        school_class=school_class,
        subgroup=subgroup,
        subject=subject,
        hours_per_week=hours_per_week,
        starts_on=starts_on,
    )
    _check(assignment)
    assignment.save()
    audit_record(actor=actor, action="assignment_create", obj=assignment, changes=_changes(assignment))
    access_changed([assignment.teacher_id])
    return assignment


def _locked(assignment: TeachingAssignment) -> TeachingAssignment:
    """Re-read the row under a lock so that two reassignments cannot both end it."""
    return (
        TeachingAssignment.objects.select_for_update(of=("self",))
        .select_related("year", "school_class", "subgroup", "subject")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def assignment_reassign(
    *, assignment: TeachingAssignment, new_teacher: User, from_date: dt.date, actor: Actor
) -> TeachingAssignment:
    """Hand the assignment to `new_teacher` from `from_date`; the old row ends the day before."""
    old = _locked(assignment)
    if new_teacher.pk == old.teacher_id:
        raise ValidationError(_("Нагрузка уже у этого учителя."))
    if from_date <= old.starts_on:
        raise ValidationError(
            _("Передать нагрузку можно с даты позже её начала (%(start)s).") % {"start": date_ru(old.starts_on)}
        )
    if old.ends_on is not None and from_date > old.ends_on:
        raise ValidationError(_("Нагрузка закончилась %(end)s: передавать нечего.") % {"end": date_ru(old.ends_on)})
    new = TeachingAssignment(
        school_id=old.school_id,
        year=old.year,
        teacher=new_teacher,
        school_class=old.school_class,
        subgroup=old.subgroup,
        subject=old.subject,
        hours_per_week=old.hours_per_week,
        starts_on=from_date,
        ends_on=old.ends_on,
    )
    _check(new)
    ended = {"ends_on": [old.ends_on, from_date - DAY]}
    old.ends_on = from_date - DAY
    old.save(update_fields=["ends_on"])
    new.save()
    audit_record(actor=actor, action="assignment_end", obj=old, changes=ended, reason="reassign")
    audit_record(actor=actor, action="assignment_create", obj=new, changes=_changes(new), reason="reassign")
    access_changed([old.teacher_id, new.teacher_id])
    return new


@transaction.atomic
def assignment_end(*, assignment: TeachingAssignment, ends_on: dt.date, actor: Actor) -> TeachingAssignment:
    """The teacher stops teaching this class and subject after `ends_on` (the last day taught)."""
    a = _locked(assignment)
    if ends_on < a.starts_on:
        raise ValidationError(
            _("Нагрузка не может закончиться раньше своего начала (%(start)s).") % {"start": date_ru(a.starts_on)}
        )
    if ends_on > a.year.ends_on:
        raise ValidationError(_("Дата окончания — за пределами учебного года."))
    changes = {"ends_on": [a.ends_on, ends_on]}
    a.ends_on = ends_on
    a.save(update_fields=["ends_on"])
    audit_record(actor=actor, action="assignment_end", obj=a, changes=changes)
    access_changed([a.teacher_id])
    return a
