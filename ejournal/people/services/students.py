"""Students and their moves: admission, transfer within and between schools, departure."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ejournal.access.generation import access_changed
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.schools.models import School, SchoolClass

from ..models import Departure, Enrolment, Gender, GuardianLink, Student, SubgroupMembership
from .common import DAY, apply_changes, date_ru, memberships_close

# --- students ------------------------------------------------------------------------------


def _personal_values(
    *,
    school_id: int,
    names: tuple[str, str, str],
    birth_date: dt.date | None,
    gender: str,
    record_number: str,
    first_day: dt.date | None,
    pk: int | None = None,
) -> dict:
    """Check a student's personal data and return it cleaned, as model field values."""
    if birth_date and (birth_date.year < 1900 or (first_day and birth_date >= first_day)):
        raise ValidationError(_("Проверьте дату рождения: она должна быть раньше даты зачисления."))
    if gender not in ("", *Gender.values):
        raise ValidationError(_("Пол указан неверно."))
    record_number = (record_number or "").strip()
    clash = Student.objects.filter(school_id=school_id, record_number=record_number)
    if pk is not None:
        clash = clash.exclude(pk=pk)
    if record_number and clash.exists():
        raise ValidationError(
            _("Номер личного дела %(number)s уже есть у другого обучающегося школы.") % {"number": record_number}
        )
    last_name, first_name, middle_name = (n.strip() for n in names)
    if not (last_name and first_name):
        raise ValidationError(_("Укажите фамилию и имя."))
    return {
        "last_name": last_name,
        "first_name": first_name,
        "middle_name": middle_name,
        "birth_date": birth_date,
        "gender": gender,
        "record_number": record_number,
    }


def _class_of_school(school_class: SchoolClass, school_id: int, on_date: dt.date) -> None:
    """The class is one of the school's current year, and the date falls before that year ends."""
    if school_class.school_id != school_id:
        raise ValidationError(_("Класс должен быть классом этой школы."))
    year = school_class.year
    if not year.is_current:
        raise ValidationError(_("Зачислить можно только в класс текущего учебного года."))
    if on_date > year.ends_on:
        raise ValidationError(
            _("Дата %(date)s позже окончания учебного года %(year)s.") % {"date": date_ru(on_date), "year": year}
        )


@transaction.atomic
def student_create(
    *,
    school: School,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: dt.date | None = None,
    gender: str = "",
    record_number: str = "",
    school_class: SchoolClass,
    starts_on: dt.date,
    order_number: str = "",
    actor: Actor,
) -> Student:
    """Admit a new student into a class of the school from `starts_on`."""
    _class_of_school(school_class, school.pk, starts_on)
    values = _personal_values(
        school_id=school.pk,
        names=(last_name, first_name, middle_name),
        birth_date=birth_date,
        gender=gender,
        record_number=record_number,
        first_day=starts_on,
    )
    student = Student.objects.create(school=school, school_class=school_class, **values)
    Enrolment.objects.create(
        school=school,
        student=student,
        school_class=school_class,
        starts_on=starts_on,
        start_reason=Enrolment.Reason.ADMISSION,
        order_number=order_number.strip(),
    )
    changes = {
        "school_class": [None, school_class],
        "starts_on": [None, date_ru(starts_on)],
        "order": [None, order_number],
    }
    audit_record(actor=actor, action="student_create", obj=student, changes=changes)
    return student


@transaction.atomic
def student_update(
    *,
    student: Student,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    birth_date: dt.date | None = None,
    gender: str = "",
    record_number: str = "",
    actor: Actor,
) -> Student:
    """Correct a student's personal data (not the class: that is a transfer)."""
    values = _personal_values(
        school_id=student.school_id,
        names=(last_name, first_name, middle_name),
        birth_date=birth_date,
        gender=gender,
        record_number=record_number,
        first_day=student.enrolments.order_by("starts_on").values_list("starts_on", flat=True).first(),
        pk=student.pk,
    )
    return apply_changes(student, values, action="student_update", actor=actor)


def _locked(student: Student) -> tuple[Student, Enrolment | None]:
    """Lock the student row (moves of one student queue up) and return it with its open enrolment."""
    student = Student.objects.select_for_update().get(pk=student.pk)
    return student, student.enrolments.filter(ends_on__isnull=True).select_related("school_class").first()


def _move_check(open_enrolment: Enrolment | None, on_date: dt.date) -> Enrolment:
    if open_enrolment is None:
        raise ValidationError(_("Обучающийся сейчас не зачислен ни в один класс."))
    if on_date <= open_enrolment.starts_on:
        raise ValidationError(
            _("Дата (%(date)s) должна быть позже даты зачисления в текущий класс (%(start)s).")
            % {"date": date_ru(on_date), "start": date_ru(open_enrolment.starts_on)}
        )
    return open_enrolment


def _enrolment_close(enrolment: Enrolment, on_date: dt.date, reason: str) -> None:
    """Close the stay the day before `on_date`, the first day the student is no longer in the class."""
    enrolment.ends_on = on_date - DAY
    enrolment.end_reason = reason
    enrolment.save(update_fields=["ends_on", "end_reason"])
    memberships_close(SubgroupMembership.objects.filter(student_id=enrolment.student_id, ends_on__isnull=True), on_date)


@transaction.atomic
def student_transfer(
    *, student: Student, school_class: SchoolClass, on_date: dt.date, order_number: str = "", actor: Actor
) -> Enrolment:
    """Move a student to another class of the same school from `on_date`; the old stay is kept."""
    student, open_enrolment = _locked(student)
    old = _move_check(open_enrolment, on_date)
    _class_of_school(school_class, student.school_id, on_date)
    if school_class.pk == old.school_class_id:
        raise ValidationError(_("Обучающийся уже в этом классе."))
    _enrolment_close(old, on_date, Enrolment.Reason.TRANSFER)
    new = Enrolment.objects.create(
        school_id=student.school_id,
        student=student,
        school_class=school_class,
        starts_on=on_date,
        start_reason=Enrolment.Reason.TRANSFER,
        order_number=order_number.strip(),
    )
    student.school_class = school_class
    student.save(update_fields=["school_class"])
    changes = {"school_class": [old.school_class, school_class], "on_date": date_ru(on_date), "order": order_number}
    audit_record(actor=actor, action="student_transfer", obj=student, changes=changes)
    access_changed([student.user_id])
    return new


@transaction.atomic
def student_depart(*, student: Student, on_date: dt.date, reason: str, order_number: str, actor: Actor) -> Departure:
    """Record a departure (выбытие) from `on_date`: the stay closes, the record stays with the school."""
    student, open_enrolment = _locked(student)
    old = _move_check(open_enrolment, on_date)
    if not reason.strip():
        raise ValidationError(_("Укажите причину выбытия."))
    _enrolment_close(old, on_date, Enrolment.Reason.DEPARTURE)
    departure = Departure.objects.create(
        school_id=student.school_id,
        student=student,
        enrolment=old,
        kind=Departure.Kind.DEPARTURE,
        on_date=on_date,
        reason=reason.strip(),
        order_number=order_number.strip(),
    )
    student.school_class = None
    student.is_active = False
    student.save(update_fields=["school_class", "is_active"])
    changes = {"school_class": [old.school_class, None], "on_date": date_ru(on_date), "order": order_number}
    audit_record(actor=actor, action="student_depart", obj=student, changes=changes, reason=reason)
    access_changed([student.user_id])
    return departure


@transaction.atomic
def student_transfer_to_school(
    *, student: Student, to_school: School, on_date: dt.date, reason: str = "", order_number: str = "", actor: Actor
) -> Departure:
    """Transfer a student to another school of the city from `on_date`.

    Here: the stay closes and a departure is recorded (the sending school keeps
    both). There: the student, with their guardians' links, belongs to the
    receiving school, waiting to be admitted into one of its classes
    (`student_admit`), which the receiving school's administration does.
    """
    student, open_enrolment = _locked(student)
    old = _move_check(open_enrolment, on_date)
    from_school_id = student.school_id
    if to_school.pk == from_school_id:
        raise ValidationError(_("Для перевода внутри школы выберите другой класс, а не школу."))
    if to_school.municipality_id != student.school.municipality_id:
        raise ValidationError(_("Перевести можно только в школу этого же города."))
    _enrolment_close(old, on_date, Enrolment.Reason.TRANSFER)
    departure = Departure.objects.create(
        school_id=from_school_id,
        student=student,
        enrolment=old,
        kind=Departure.Kind.TRANSFER_OUT,
        on_date=on_date,
        to_school=to_school,
        reason=reason.strip(),
        order_number=order_number.strip(),
    )
    student.school = to_school
    student.school_class = None
    student.save(update_fields=["school", "school_class"])
    GuardianLink.objects.filter(student=student).update(school=to_school)
    changes = {"school": [old.school, to_school], "school_class": [old.school_class, None], "on_date": date_ru(on_date)}
    for school_id in (from_school_id, to_school.pk):  # both schools' change logs show the move
        audit_record(
            actor=actor, action="student_transfer_to_school", obj=student, school_id=school_id, changes=changes
        )
    access_changed([student.user_id])
    return departure


@transaction.atomic
def student_admit(
    *, student: Student, school_class: SchoolClass, on_date: dt.date, order_number: str = "", actor: Actor
) -> Enrolment:
    """Admit a student who has no open stay (arrived from another school, or returning) into a class."""
    student, open_enrolment = _locked(student)
    if open_enrolment is not None:
        raise ValidationError(
            _("Обучающийся уже зачислен в класс %(cls)s; для смены класса используйте перевод.")
            % {"cls": open_enrolment.school_class}
        )
    _class_of_school(school_class, student.school_id, on_date)
    last_end = student.enrolments.order_by("-ends_on").values_list("ends_on", flat=True).first()
    if last_end and on_date <= last_end:
        raise ValidationError(
            _("Дата зачисления должна быть позже окончания прежнего обучения (%(date)s).") % {"date": date_ru(last_end)}
        )
    enrolment = Enrolment.objects.create(
        school_id=student.school_id,
        student=student,
        school_class=school_class,
        starts_on=on_date,
        start_reason=Enrolment.Reason.ADMISSION,
        order_number=order_number.strip(),
    )
    student.school_class = school_class
    student.is_active = True
    student.save(update_fields=["school_class", "is_active"])
    changes = {"school_class": [None, school_class], "on_date": date_ru(on_date), "order": order_number}
    audit_record(actor=actor, action="student_admit", obj=student, changes=changes)
    access_changed([student.user_id])
    return enrolment
