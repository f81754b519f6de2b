"""Rooms and bell schedules of a school."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record, diff, diff_apply
from ejournal.schools.models import School

from ..calendar import MAX_LESSON_NUMBER
from ..models import Bell, BellSchedule, Room


def room_create(*, school: School, name: str, capacity: int | None = None, actor: Actor) -> Room:
    name = name.strip()
    if not name:
        raise ValidationError(_("Укажите название кабинета."))
    if Room.objects.filter(school=school, name__iexact=name).exists():
        raise ValidationError(_("Кабинет «%(name)s» уже есть.") % {"name": name})
    with transaction.atomic():
        room = Room.objects.create(school=school, name=name, capacity=capacity)
        audit_record(actor=actor, action="room_created", obj=room, changes={"name": [None, name]})
    return room


def room_update(*, room: Room, name: str, capacity: int | None = None, actor: Actor) -> Room:
    name = name.strip()
    if not name:
        raise ValidationError(_("Укажите название кабинета."))
    if Room.objects.filter(school_id=room.school_id, name__iexact=name).exclude(pk=room.pk).exists():
        raise ValidationError(_("Кабинет «%(name)s» уже есть.") % {"name": name})
    with transaction.atomic():
        changes = diff(room, {"name": name, "capacity": capacity})
        room.name, room.capacity = name, capacity
        room.save(update_fields=["name", "capacity"])
        audit_record(actor=actor, action="room_updated", obj=room, changes=changes)
    return room


def bell_schedule_save(
    *,
    school: School,
    schedule: BellSchedule | None = None,
    name: str,
    shift: int,
    min_grade: int,
    max_grade: int,
    is_shortened: bool,
    bells: dict[int, tuple[dt.time, dt.time]],
    actor: Actor,
) -> BellSchedule:
    """Create or change a bell schedule and its bells (lesson number → start, end); missing numbers are removed."""
    if schedule is not None and schedule.school_id != school.pk:
        raise ValidationError(_("Расписание звонков другой школы."))
    if shift not in (1, 2) or not 1 <= min_grade <= max_grade <= 11:
        raise ValidationError(_("Смена — 1 или 2; классы — от 1 до 11, «с» не больше «по»."))
    _validate_bells(bells)
    values = {"name": name.strip(), "shift": shift, "min_grade": min_grade, "max_grade": max_grade}
    values["is_shortened"] = is_shortened
    with transaction.atomic():
        if schedule is None:
            schedule = BellSchedule.objects.create(school=school, **values)
            changes = {k: [None, v] for k, v in values.items()}
        else:
            changes = diff_apply(schedule, values)
            schedule.save()
        old = {b.number: (b.starts_at, b.ends_at) for b in schedule.bells.all()}
        if old != bells:
            changes["bells"] = [_bells_text(old), _bells_text(bells)]
            schedule.bells.all().delete()
            Bell.objects.bulk_create(
                Bell(school=school, schedule=schedule, number=n, starts_at=s, ends_at=e) for n, (s, e) in bells.items()
            )
        audit_record(actor=actor, action="bell_schedule_saved", obj=schedule, changes=changes)
    return schedule


def _validate_bells(bells: dict[int, tuple[dt.time, dt.time]]) -> None:
    previous_end = None
    for number in sorted(bells):
        starts, ends = bells[number]
        if not 1 <= number <= MAX_LESSON_NUMBER:
            raise ValidationError(_("Номер урока должен быть от 1 до 12"))
        if ends <= starts:
            raise ValidationError(_("Урок %(number)s: окончание должно быть позже начала.") % {"number": number})
        if previous_end is not None and starts < previous_end:
            raise ValidationError(
                _("Урок %(number)s начинается раньше, чем кончается предыдущий.") % {"number": number}
            )
        previous_end = ends


def _bells_text(bells: dict) -> str:
    return "; ".join(f"{n}: {s:%H:%M}–{e:%H:%M}" for n, (s, e) in sorted(bells.items()))


__all__ = ["bell_schedule_save", "room_create", "room_update"]
