"""Classes of the current year and their subgroups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ejournal.access.generation import access_changed
from ejournal.access.policy import Actor
from ejournal.accounts.models import User
from ejournal.core.audit import audit_record
from ejournal.schools.models import AcademicYear, School, SchoolClass, Subgroup

from ..models import Enrolment, RoleAssignment, SubgroupMembership
from .common import apply_changes, date_ru, memberships_close, year_current_of

# --- classes and subgroups ------------------------------------------------------------


def _active_staff_ids(school_id: int) -> set[int]:
    return set(
        RoleAssignment.objects.filter(school_id=school_id, ends_on__isnull=True).values_list("user_id", flat=True)
    )


def _class_check(
    *,
    school: School,
    year: AcademicYear,
    grade: int,
    letter: str,
    class_teacher: User | None,
    shift: int,
    pk: int | None = None,
) -> str:
    """Validate a class's values and return the normalised letter."""
    letter = (letter or "").strip().strip("«»\"'").strip().upper()
    if not 1 <= grade <= min(11, school.max_grade):
        raise ValidationError(_("Параллель должна быть от 1 до %(max)s.") % {"max": min(11, school.max_grade)})
    if not letter or len(letter) > 8 or not letter.replace("-", "").isalnum():
        raise ValidationError(_("Литера класса — от 1 до 8 букв или цифр, например «А»."))
    if shift not in (1, 2):
        raise ValidationError(_("Смена может быть только первая или вторая."))
    if class_teacher is not None and class_teacher.pk not in _active_staff_ids(school.pk):
        raise ValidationError(_("Классным руководителем может быть только сотрудник этой школы."))
    clash = SchoolClass.objects.filter(school=school, year=year, grade=grade, letter=letter)
    if pk is not None:
        clash = clash.exclude(pk=pk)
    if clash.exists():
        raise ValidationError(
            _("Класс %(grade)s «%(letter)s» в этом учебном году уже есть.") % {"grade": grade, "letter": letter}
        )
    return letter


@transaction.atomic
def class_create(
    *, school: School, grade: int, letter: str, class_teacher: User | None, shift: int, actor: Actor
) -> SchoolClass:
    """Create a class of the current school year."""
    year = year_current_of(school)
    letter = _class_check(
        school=school, year=year, grade=grade, letter=letter, class_teacher=class_teacher, shift=shift
    )
    cls = SchoolClass.objects.create(
        school=school, year=year, grade=grade, letter=letter, class_teacher=class_teacher, shift=shift
    )
    values = {"grade": grade, "letter": letter, "class_teacher": class_teacher, "shift": shift}
    audit_record(actor=actor, action="class_create", obj=cls, changes={k: [None, v] for k, v in values.items()})
    access_changed([cls.class_teacher_id])
    return cls


@transaction.atomic
def class_update(
    *, school_class: SchoolClass, grade: int, letter: str, class_teacher: User | None, shift: int, actor: Actor
) -> SchoolClass:
    """Change a class's name, class teacher or shift."""
    letter = _class_check(
        school=school_class.school,
        year=school_class.year,
        grade=grade,
        letter=letter,
        class_teacher=class_teacher,
        shift=shift,
        pk=school_class.pk,
    )
    values = {"grade": grade, "letter": letter, "class_teacher": class_teacher, "shift": shift}
    old_teacher_id = school_class.class_teacher_id
    school_class = apply_changes(school_class, values, action="class_update", actor=actor)
    access_changed([old_teacher_id, school_class.class_teacher_id])
    return school_class


def _subgroup_name(school_class: SchoolClass, name: str, pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise ValidationError(_("Укажите название подгруппы (не длиннее 100 знаков)."))
    subgroups = Subgroup.objects.filter(school_class=school_class)
    others = (subgroups.exclude(pk=pk) if pk is not None else subgroups).values_list("name", flat=True)
    if name.casefold() in {other.casefold() for other in others}:  # SQLite cannot fold Cyrillic case
        raise ValidationError(_("В классе уже есть подгруппа «%(name)s».") % {"name": name})
    return name


@transaction.atomic
def subgroup_create(*, school_class: SchoolClass, name: str, actor: Actor) -> Subgroup:
    name = _subgroup_name(school_class, name)
    subgroup = Subgroup.objects.create(school_id=school_class.school_id, school_class=school_class, name=name)
    audit_record(actor=actor, action="subgroup_create", obj=subgroup, changes={"name": [None, name]})
    return subgroup


@transaction.atomic
def subgroup_rename(*, subgroup: Subgroup, name: str, actor: Actor) -> Subgroup:
    name = _subgroup_name(subgroup.school_class, name, pk=subgroup.pk)
    return apply_changes(subgroup, {"name": name}, action="subgroup_rename", actor=actor)


@transaction.atomic
def subgroup_delete(*, subgroup: Subgroup, actor: Actor) -> None:
    """Delete a subgroup that never had members; one with history stays."""
    if subgroup.memberships.exists():
        raise ValidationError(
            _("В подгруппе есть или были обучающиеся: её нельзя удалить. Исключите всех и переименуйте её.")
        )
    audit_record(actor=actor, action="subgroup_delete", obj=subgroup, changes={"name": [subgroup.name, None]})
    subgroup.delete()


@transaction.atomic
def subgroup_member_set(*, subgroup: Subgroup, student_ids: Iterable[int], on_date: dt.date, actor: Actor) -> None:
    """Make the subgroup's members exactly `student_ids` from `on_date` (students of its class)."""
    wanted = set(student_ids)
    in_class = dict(
        Enrolment.objects.filter(school_class_id=subgroup.school_class_id, ends_on__isnull=True).values_list(
            "student_id", "student__last_name"
        )
    )
    if wanted - in_class.keys():
        raise ValidationError(_("В подгруппу можно включить только обучающихся этого класса."))
    current = {m.student_id: m for m in subgroup.memberships.filter(ends_on__isnull=True)}
    removed = [m for sid, m in current.items() if sid not in wanted]
    added = sorted(wanted - current.keys())
    memberships_close(removed, on_date)
    SubgroupMembership.objects.bulk_create(
        SubgroupMembership(school_id=subgroup.school_id, subgroup=subgroup, student_id=sid, starts_on=on_date)
        for sid in added
    )
    if added or removed:
        changes = {
            "added": [in_class[sid] for sid in added],
            "removed": [in_class.get(m.student_id, m.student_id) for m in removed],
            "on_date": date_ru(on_date),
        }
        audit_record(actor=actor, action="subgroup_member_set", obj=subgroup, changes=changes)
