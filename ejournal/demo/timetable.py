"""The demo school's rooms, bells, study week and weekly timetable.

Every teacher has his own room (a primary teacher's room is his class's), so
a timetable without a teacher booked twice has no room booked twice either.
The grid is placed greedily class by class: a class's lessons fill numbers
1…n of each day without gaps, spread over the days; a lesson goes where its
teachers are free, else it swaps with a placed lesson, else the day gets one
more lesson. The two subgroups of a class sit in the same cell.

The second shift starts after the sixth lesson of the first: its lesson k
runs at the time of the first shift's lesson k + 6. A teacher is kept free
both at the same weekday and lesson number (what the timetable editor checks)
and at the same time of day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ejournal.schools.models import School, StudyWeek
from ejournal.timetable.models import Bell, BellSchedule, Room, TimetableEntry

from .bulk import BulkWriter
from .planning import SchoolPlanning, Teaching

SECOND_SHIFT_OFFSET = 6
# Breaks after each lesson of the first shift, in minutes (two long breaks for the canteen).
BREAKS = [10, 20, 20, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]
FIRST_SHIFT_BELLS = 8
SECOND_SHIFT_BELLS = 7


def study_days(kind: str, grade: int, *, demo: bool) -> int:
    """Five days for grades 1–4 and in the demo school; gymnasiums and lyceums mostly keep a six-day week."""
    if grade <= 4 or demo:
        return 5
    return 6 if kind in (School.Kind.GYMNASIUM, School.Kind.LYCEUM) else 5


def _slot_times() -> list[tuple[dt.time, dt.time]]:
    """Times of the day's lesson slots, from 8:00, 45 minutes each."""
    start, out = dt.datetime(2000, 1, 1, 8, 0), []
    for pause in BREAKS:
        end = start + dt.timedelta(minutes=45)
        out.append((start.time(), end.time()))
        start = end + dt.timedelta(minutes=pause)
    return out


def bells_build(writer: BulkWriter, school_id: int, *, second_shift: bool) -> None:
    slots = _slot_times()
    shifts = [(1, 0, FIRST_SHIFT_BELLS)] + ([(2, SECOND_SHIFT_OFFSET, SECOND_SHIFT_BELLS)] if second_shift else [])
    for shift, offset, count in shifts:
        schedule_id = writer.add(
            BellSchedule, school_id=school_id, name=f"{shift} смена", shift=shift, min_grade=1, max_grade=11
        )
        for number in range(1, count + 1):
            starts_at, ends_at = slots[offset + number - 1]
            writer.add(
                Bell, school_id=school_id, schedule_id=schedule_id, number=number, starts_at=starts_at, ends_at=ends_at
            )


def study_weeks_build(writer: BulkWriter, school_id: int, year_id: int, days: dict[int, int]) -> None:
    """One StudyWeek row per run of grades with the same number of days."""
    grades = sorted(days)
    start = grades[0]
    for grade in grades:
        if grade + 1 not in days or days[grade + 1] != days[start]:
            writer.add(
                StudyWeek, school_id=school_id, year_id=year_id, min_grade=start, max_grade=grade, days=days[start]
            )
            start = grade + 1


def rooms_build(writer: BulkWriter, planning: SchoolPlanning) -> dict[int, int]:
    """A room per teacher with lessons: primary rooms on the 1st floor, the others above, gyms apart."""
    teachers = sorted({t.teacher_id for t in planning.teachings})
    positions = planning.roster.teacher_positions
    rooms, gyms, numbers = {}, 0, {1: 100, 2: 200, 3: 300}
    for teacher in teachers:
        position = positions.get(teacher, "")
        if position == "учитель физической культуры":
            gyms += 1
            name, capacity = ("Спортзал" if gyms == 1 else f"Спортзал {gyms}"), 60
        else:
            floor = 1 if position == "учитель начальных классов" else 2 if numbers[2] < 240 else 3
            numbers[floor] += 1
            name, capacity = str(numbers[floor] if floor < 3 or numbers[3] < 400 else numbers[floor] + 100), 30
        rooms[teacher] = writer.add(Room, school_id=planning.roster.school_id, name=name, capacity=capacity)
    return rooms


@dataclass
class _Unit:
    """One lesson a week of a class: a whole-class lesson or the parallel lessons of its two subgroups."""

    subject: str
    teachings: list[Teaching]

    @property
    def teachers(self) -> list[int]:
        return [t.teacher_id for t in self.teachings]


class _Grid:
    """Who is busy when, for one school: (teacher, weekday, number) and (teacher, weekday, time slot)."""

    def __init__(self) -> None:
        self.busy: set[tuple] = set()

    @staticmethod
    def keys(teachers: list[int], day: int, number: int, shift: int) -> list[tuple]:
        slot = number + (SECOND_SHIFT_OFFSET if shift == 2 else 0)
        return [k for t in teachers for k in ((t, day, "n", number), (t, day, "t", slot))]

    def free(self, teachers: list[int], day: int, number: int, shift: int) -> bool:
        return not any(k in self.busy for k in self.keys(teachers, day, number, shift))

    def take(self, teachers: list[int], day: int, number: int, shift: int) -> None:
        self.busy.update(self.keys(teachers, day, number, shift))

    def release(self, teachers: list[int], day: int, number: int, shift: int) -> None:
        self.busy.difference_update(self.keys(teachers, day, number, shift))


def _day_counts(lessons: int, days: int) -> dict[int, int]:
    """Lessons per weekday: even, the extra ones from Tuesday on (the week's easiest days are Monday and Friday)."""
    base, extra = divmod(lessons, days)
    order = [2, 3, 4, 1, 5, 6][:days]
    counts = dict.fromkeys(range(1, days + 1), base)
    for day in order[:extra]:
        counts[day] += 1
    return counts


@dataclass
class _ClassWeek:
    """The cells of one class's week: (weekday, number) → the unit placed there, or None."""

    units: list[_Unit]
    days: int
    shift: int
    cells: dict[tuple[int, int], _Unit | None]
    per_day: dict[tuple[int, str], int]


def school_grid_place(grid: _Grid, weeks: dict[int, _ClassWeek], loads: dict[int, int], rng: random.Random) -> None:
    """Place the lessons of every class of a school, the hardest first: subgroup pairs, then the busiest teachers."""
    units = [(class_id, unit) for class_id, week in weeks.items() for unit in week.units]
    weights = {
        id(unit): (-len(unit.teachings), -sum(loads.get(t, 0) for t in unit.teachers), rng.random())
        for _, unit in units
    }
    for class_id, unit in sorted(units, key=lambda cu: weights[id(cu[1])]):
        week = weeks[class_id]
        cells, shift = week.cells, week.shift
        free = [c for c, u in cells.items() if u is None and grid.free(unit.teachers, *c, shift)]
        if not free:
            limit = FIRST_SHIFT_BELLS if shift == 1 else SECOND_SHIFT_BELLS
            free = _swap(grid, cells, unit, shift) or _extend(grid, cells, unit, week.days, limit, shift)
        if not free:
            raise RuntimeError(f"demo timetable: no cell for {unit.subject} of class {class_id}")
        cell = min(free, key=lambda c: (week.per_day.get((c[0], unit.subject), 0), rng.random()))
        cells[cell] = unit
        grid.take(unit.teachers, *cell, shift)
        week.per_day[(cell[0], unit.subject)] = week.per_day.get((cell[0], unit.subject), 0) + 1


def _class_week(units: list[_Unit], days: int, shift: int) -> _ClassWeek:
    counts = _day_counts(len(units), days)
    cells: dict[tuple[int, int], _Unit | None] = {(d, n): None for d, c in counts.items() for n in range(1, c + 1)}
    return _ClassWeek(units=units, days=days, shift=shift, cells=cells, per_day={})


def _swap(grid: _Grid, cells: dict[tuple[int, int], _Unit | None], unit: _Unit, shift: int) -> list[tuple[int, int]]:
    """Move a placed lesson to a free cell so that `unit` can take its cell; return that cell."""
    empty = [c for c, u in cells.items() if u is None]
    for cell, placed in cells.items():
        if placed is None or not grid.free(unit.teachers, *cell, shift):
            continue
        target = next((c for c in empty if grid.free(placed.teachers, *c, shift)), None)
        if target is not None:
            grid.release(placed.teachers, *cell, shift)
            cells[target], cells[cell] = placed, None
            grid.take(placed.teachers, *target, shift)
            return [cell]
    return []


def _extend(grid: _Grid, cells: dict, unit: _Unit, days: int, limit: int, shift: int) -> list[tuple[int, int]]:
    """One more lesson at the end of a day where the teachers are free (after a gap if need be)."""
    for day in sorted(range(1, days + 1), key=lambda d: sum(1 for c in cells if c[0] == d)):
        last = max((n for d, n in cells if d == day), default=0)
        for number in range(last + 1, limit + 1):
            if grid.free(unit.teachers, day, number, shift):
                cells[(day, number)] = None
                return [(day, number)]
    return []


def school_timetable_build(
    writer: BulkWriter,
    planning: SchoolPlanning,
    *,
    year_id: int,
    valid_from: dt.date,
    days: dict[int, int],
    shifts: dict[int, int],
    rng: random.Random,
) -> int:
    """Queue rooms and the weekly timetable of one school; return the number of entries."""
    rooms = rooms_build(writer, planning)
    units_of: dict[int, list[_Unit]] = {}
    pairs: dict[tuple[int, str, int], _Unit] = {}
    for t in planning.teachings:
        if t.group == 2:
            continue
        for i in range(t.hours):
            unit = _Unit(t.subject, [t])
            units_of.setdefault(t.class_id, []).append(unit)
            if t.group == 1:
                pairs[(t.class_id, t.subject, i)] = unit
    for t in planning.teachings:
        if t.group == 2:
            for i in range(t.hours):
                pairs[(t.class_id, t.subject, i)].teachings.append(t)
    grades = planning.roster.class_grades
    weeks = {c: _class_week(units, days[grades[c]], shifts[c]) for c, units in units_of.items()}
    school_grid_place(_Grid(), weeks, planning.loads, rng)
    entries = 0
    for class_id, week in weeks.items():
        for (day, number), unit in sorted((c, u) for c, u in week.cells.items() if u is not None):
            for t in unit.teachings:
                writer.add(
                    TimetableEntry,
                    school_id=planning.roster.school_id,
                    year_id=year_id,
                    school_class_id=class_id,
                    weekday=day,
                    lesson_number=number,
                    assignment_id=t.id,
                    room_id=rooms[t.teacher_id],
                    week_parity=0,
                    valid_from=valid_from,
                )
                entries += 1
    return entries
