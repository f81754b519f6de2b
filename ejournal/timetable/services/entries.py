"""The weekly timetable editor's writes: set a cell, clear it, copy a day — with checks before saving.

A change takes effect from a date: entries that were valid then end the day
before, entries that would only start later are replaced. Hard errors raise
`ValidationError` and nothing is written; warnings (double bookings, hours,
bells) are returned first and saved only when the user confirms.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.curriculum.models import CurriculumLine, TeachingAssignment
from ejournal.schools.models import SchoolClass

from ..calendar import MAX_LESSON_NUMBER, WEEKDAYS, Bells, SchoolCalendar, current_year, weekly_hours
from ..models import Lesson, Room, TimetableEntry
from .generation import HAS_DATA

Cell = tuple[int, int]  # (weekday, lesson number)


@dataclass(frozen=True)
class Item:
    """One lesson in a cell: what is taught (an assignment of the class) and where."""

    assignment: TeachingAssignment
    room: Room | None = None
    week_parity: int = 0


@dataclass
class Outcome:
    saved: bool
    warnings: list[str] = field(default_factory=list)


def timetable_cell_set(
    *,
    school_class: SchoolClass,
    weekday: int,
    lesson_number: int,
    items: list[Item],
    valid_from: dt.date,
    confirmed: bool = False,
    actor: Actor,
) -> Outcome:
    """Put one or two lessons (two subgroups) into a cell, or none to clear it."""
    return timetable_cells_set(
        school_class=school_class,
        cells={(weekday, lesson_number): items},
        valid_from=valid_from,
        confirmed=confirmed,
        actor=actor,
    )


def timetable_day_copy(
    *, school_class: SchoolClass, weekday_from: int, weekday_to: int, valid_from: dt.date, confirmed: bool = False,
    actor: Actor,
) -> Outcome:  # fmt: skip
    """Make one weekday's lessons the same as another's (the target day's own lessons are replaced)."""
    if weekday_from == weekday_to:
        raise ValidationError(_("Выберите другой день недели."))
    current = entries_at(school_class=school_class, day=valid_from)
    cells: dict[Cell, list[Item]] = {(weekday_to, n): [] for (wd, n) in current if wd == weekday_to}
    for (wd, n), entries in current.items():
        if wd == weekday_from:
            cells[(weekday_to, n)] = [Item(e.assignment, e.room, e.week_parity) for e in entries]
    return timetable_cells_set(
        school_class=school_class, cells=cells, valid_from=valid_from, confirmed=confirmed, actor=actor
    )


def timetable_cells_set(
    *, school_class: SchoolClass, cells: dict[Cell, list[Item]], valid_from: dt.date, confirmed: bool, actor: Actor
) -> Outcome:
    """Replace the given cells of a class's timetable from `valid_from`, after the checks."""
    _validate(school_class, cells, valid_from)
    current = entries_at(school_class=school_class, day=valid_from)
    cells = {cell: items for cell, items in cells.items() if _signature(items) != _signature(current.get(cell, []))}
    if not cells:
        return Outcome(saved=True)
    warnings = timetable_warnings(school_class=school_class, cells=cells, valid_from=valid_from, current=current)
    if warnings and not confirmed:
        return Outcome(saved=False, warnings=warnings)
    with transaction.atomic():
        changes = _write(school_class, cells, valid_from, current)
        audit_record(
            actor=actor,
            action="timetable_changed",
            obj=school_class,
            changes=changes,
            reason=_("действует с %(date)s") % {"date": valid_from.strftime("%d.%m.%Y")},
        )
    return Outcome(saved=True, warnings=warnings)


def entries_at(*, school_class: SchoolClass, day: dt.date) -> dict[Cell, list[TimetableEntry]]:
    """The class's timetable as valid on `day`, by cell."""
    qs = (
        TimetableEntry.objects.filter(school_class=school_class, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("assignment__subject", "assignment__teacher", "assignment__subgroup", "room")
        .order_by("weekday", "lesson_number", "assignment__subgroup__name", "pk")
    )
    out: dict[Cell, list[TimetableEntry]] = defaultdict(list)
    for entry in qs:
        out[(entry.weekday, entry.lesson_number)].append(entry)
    return out


def _signature(items: Iterable[Any]) -> set[tuple[int, int | None, int]]:  # entries or the planned ones
    return {
        (getattr(i, "assignment_id", None) or i.assignment.pk, getattr(i.room, "pk", None), i.week_parity)
        for i in items
    }


# --- hard errors ---------------------------------------------------------------------


def _validate(school_class: SchoolClass, cells: dict[Cell, list[Item]], valid_from: dt.date) -> None:
    year = current_year(school_class.school)
    if year is None or year.pk != school_class.year_id:
        raise ValidationError(_("Расписание составляется только для классов текущего учебного года."))
    if not year.starts_on <= valid_from <= year.ends_on:
        raise ValidationError(
            _("Дата начала действия должна быть в пределах учебного года (%(start)s – %(end)s).")
            % {"start": year.starts_on.strftime("%d.%m.%Y"), "end": year.ends_on.strftime("%d.%m.%Y")}
        )
    calendar = SchoolCalendar.load(school_class.school, year)
    days = calendar.days_per_week(school_class.grade)
    for (weekday, number), items in cells.items():
        if not 1 <= number <= MAX_LESSON_NUMBER:
            raise ValidationError(_("Номер урока должен быть от 1 до 12"))
        if not 1 <= weekday <= days:
            raise ValidationError(
                _("У класса %(class)s учебная неделя из %(days)s дней: в этот день уроков нет.")
                % {"class": school_class, "days": days}
            )
        _validate_items(school_class, items)


def _validate_items(school_class: SchoolClass, items: list[Item]) -> None:
    for item in items:
        a = item.assignment
        if a.school_id != school_class.school_id or a.school_class_id != school_class.pk:
            raise ValidationError(_("Можно выбрать только нагрузку этого класса своей школы."))
        if item.room is not None and item.room.school_id != school_class.school_id:
            raise ValidationError(_("Кабинет другой школы выбрать нельзя."))
        if item.week_parity not in (0, 1, 2):
            raise ValidationError(_("Неделя: каждая, нечётная или чётная."))
    if len(items) > 2:
        raise ValidationError(_("В одной ячейке — не больше двух уроков (по подгруппам)."))
    if len(items) == 2:
        whole = [i for i in items if i.assignment.subgroup_id is None]
        same_group = items[0].assignment.subgroup_id == items[1].assignment.subgroup_id
        alternating = {items[0].week_parity, items[1].week_parity} == {1, 2}
        if (len(whole) == 2 or same_group) and not alternating:
            raise ValidationError(
                _("Два урока в одной ячейке возможны только для разных подгрупп или по чередующимся неделям.")
            )


# --- warnings --------------------------------------------------------------------------


def timetable_warnings(
    *, school_class: SchoolClass, cells: dict[Cell, list[Item]], valid_from: dt.date, current: dict
) -> list[str]:
    """What the user must confirm before the cells are saved."""
    warnings = _booking_warnings(school_class, cells, valid_from)
    warnings += _subgroup_warnings(cells)
    warnings += _bell_warnings(school_class, cells)
    warnings += _hours_warnings(school_class, cells, current)
    return warnings


def _cell_label(cell: Cell) -> str:
    return _("%(day)s, %(number)s урок") % {"day": WEEKDAYS[cell[0]], "number": cell[1]}


def _overlaps(parity_a: int, parity_b: int) -> bool:
    return parity_a == 0 or parity_b == 0 or parity_a == parity_b


def _booking_warnings(school_class: SchoolClass, cells: dict[Cell, list[Item]], valid_from: dt.date) -> list[str]:
    """A teacher or a room booked twice at the same time, in any class of the school."""
    others = (
        TimetableEntry.objects.filter(school_id=school_class.school_id, year_id=school_class.year_id)
        .filter(weekday__in={wd for wd, _n in cells}, lesson_number__in={n for _wd, n in cells})
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .exclude(school_class=school_class)
        .select_related("school_class", "assignment__teacher", "room")
    )
    busy: dict[Cell, list[TimetableEntry]] = defaultdict(list)
    for entry in others:
        busy[(entry.weekday, entry.lesson_number)].append(entry)
    warnings = []
    for cell, items in cells.items():
        for index, item in enumerate(items):
            peers = [(e.assignment.teacher, e.room, e.week_parity, e.school_class) for e in busy.get(cell, [])]
            peers += [(i.assignment.teacher, i.room, i.week_parity, school_class) for i in items[:index]]
            for teacher, room, parity, cls in peers:
                if not _overlaps(parity, item.week_parity):
                    continue
                if teacher.pk == item.assignment.teacher_id:
                    warnings.append(
                        _("%(cell)s: учитель %(teacher)s в это время уже ведёт урок в %(class)s.")
                        % {"cell": _cell_label(cell), "teacher": teacher.get_short_name(), "class": cls}
                    )
                if room is not None and item.room is not None and room.pk == item.room.pk:
                    warnings.append(
                        _("%(cell)s: кабинет %(room)s в это время занят классом %(class)s.")
                        % {"cell": _cell_label(cell), "room": room, "class": cls}
                    )
    return warnings


def _subgroup_warnings(cells: dict[Cell, list[Item]]) -> list[str]:
    warnings = []
    for cell, items in cells.items():
        groups = {i.assignment.subgroup_id is None for i in items}
        parities = [i.week_parity for i in items]
        if len(groups) == 2 and (len(parities) < 2 or _overlaps(*parities)):
            warnings.append(
                _("%(cell)s: урок подгруппы совпадает с уроком всего класса.") % {"cell": _cell_label(cell)}
            )
    return warnings


def _bell_warnings(school_class: SchoolClass, cells: dict[Cell, list[Item]]) -> list[str]:
    bells = Bells(school_class.school_id)
    missing = sorted(
        cell
        for cell, items in cells.items()
        if items and bells.bell(grade=school_class.grade, shift=school_class.shift, number=cell[1]) is None
    )
    return [
        _("%(cell)s: для этого номера урока нет звонка в расписании звонков %(shift)s смены.")
        % {"cell": _cell_label(cell), "shift": school_class.shift}
        for cell in missing
    ]


def _hours_warnings(school_class: SchoolClass, cells: dict[Cell, list[Item]], current: dict) -> list[str]:
    """More lessons a week than the curriculum line or the assignment provides (fewer shows on the grid)."""
    after = {cell: entries for cell, entries in current.items() if cell not in cells} | cells
    hours = weekly_hours(after.values())
    touched = {(i.assignment.subject_id, i.assignment.subgroup_id): i.assignment for v in cells.values() for i in v}
    lines = {
        line.subject_id: line
        for line in CurriculumLine.objects.filter(
            school_id=school_class.school_id, year_id=school_class.year_id, grade=school_class.grade
        )
    }
    warnings = []
    for key, assignment in touched.items():
        line = lines.get(key[0])
        subject = assignment.subject
        if line is None:
            warnings.append(
                _("Предмета «%(subject)s» нет в учебном плане %(grade)s-х классов.")
                % {"subject": subject, "grade": school_class.grade}
            )
            continue
        limit = min(line.hours_per_week, assignment.hours_per_week)
        if hours[key] > limit:
            warnings.append(
                _(
                    "«%(subject)s»: в расписании %(fact)s ч в неделю, а по учебному плану %(plan)s ч, по нагрузке %(load)s ч."
                )
                % {
                    "subject": subject,
                    "fact": _hours(hours[key]),
                    "plan": _hours(line.hours_per_week),
                    "load": _hours(assignment.hours_per_week),
                }
            )
    return warnings


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


# --- writing ------------------------------------------------------------------------------


def _write(school_class: SchoolClass, cells: dict[Cell, list[Item]], valid_from: dt.date, current: dict) -> dict:
    """End the cells' entries the day before, drop versions that would start later, add the new ones."""
    in_cells = Q()
    for weekday, number in cells:
        in_cells |= Q(weekday=weekday, lesson_number=number)
    affected = TimetableEntry.objects.filter(school_class=school_class).filter(in_cells)
    affected = affected.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    later = affected.filter(valid_from__gte=valid_from)
    # Lessons of a version that never takes effect go with it, unless the journal wrote into them.
    Lesson.objects.filter(entry__in=later).exclude(HAS_DATA).delete()
    later.delete()
    affected.filter(valid_from__lt=valid_from).update(valid_to=valid_from - dt.timedelta(days=1))
    TimetableEntry.objects.bulk_create(
        TimetableEntry(
            school_id=school_class.school_id, year_id=school_class.year_id, school_class=school_class,
            weekday=weekday, lesson_number=number, assignment=item.assignment, room=item.room,
            week_parity=item.week_parity, valid_from=valid_from,
        )
        for (weekday, number), items in cells.items()
        for item in items
    )  # fmt: skip
    return {_cell_label(cell): [_describe(current.get(cell, [])), _describe(items)] for cell, items in cells.items()}


def _describe(items: Iterable[Any]) -> str:  # entries or the planned ones
    return "; ".join(
        f"{i.assignment.subject} ({i.assignment.teacher.get_short_name()})" + (f", {i.room}" if i.room else "")
        for i in items
    )
