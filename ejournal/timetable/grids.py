"""The week grids the pages show: dated lessons (or the weekly timetable) by lesson number × day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from .calendar import WEEKDAYS, WEEKDAYS_SHORT, Bells, week_start, weekly_hours
from .models import Lesson, TimetableEntry


@dataclass
class Week:
    """The week shown and its neighbours, from `?week=YYYY-MM-DD` (today's week when missing or wrong)."""

    monday: dt.date
    days: int = 5

    @classmethod
    def parse(cls, value: str | None) -> Week:
        try:
            day = dt.date.fromisoformat(value or "")
        except ValueError:
            day = timezone.localdate()
        return cls(monday=week_start(day))

    @property
    def last(self) -> dt.date:
        return self.monday + dt.timedelta(days=self.days - 1)

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)

    @property
    def dates(self) -> list[dt.date]:
        return [self.monday + dt.timedelta(days=n) for n in range(self.days)]


@dataclass
class Row:
    number: int
    time: str = ""
    cells: list[list] = field(default_factory=list)


@dataclass
class Grid:
    columns: list[dict]
    rows: list[Row]


MIN_ROWS = 6


def lesson_grid(lessons: list[Lesson], week: Week, *, bells: Bells | None = None, cls=None) -> Grid:
    """Dated lessons of one week by number × date; a six-day grid when any lesson falls on Saturday."""
    if any(lesson.date.isoweekday() == 6 for lesson in lessons):
        week.days = 6
    columns = [
        {"date": d, "label": WEEKDAYS_SHORT[d.isoweekday()], "today": d == timezone.localdate()} for d in week.dates
    ]
    numbers = max([MIN_ROWS, *(lesson.lesson_number for lesson in lessons)])
    rows = [Row(n, _time(bells, cls, n), [[] for _d in columns]) for n in range(1, numbers + 1)]
    for lesson in lessons:
        index = (lesson.date - week.monday).days
        if 0 <= index < len(columns):
            rows[lesson.lesson_number - 1].cells[index].append(lesson)
    return Grid(columns, rows)


def entry_grid(entries: dict[tuple[int, int], list[TimetableEntry]], days: int, *, bells: Bells, cls) -> Grid:
    """The weekly timetable of a class by number × weekday (the editor)."""
    columns = [{"weekday": wd, "label": WEEKDAYS[wd]} for wd in range(1, days + 1)]
    numbers = max([MIN_ROWS + 1, *(n + 1 for _wd, n in entries)])
    rows = [Row(n, _time(bells, cls, n)) for n in range(1, min(numbers, 12) + 1)]
    for row in rows:
        row.cells = [entries.get((wd, row.number), []) for wd in range(1, days + 1)]
    return Grid(columns, rows)


def _time(bells: Bells | None, cls, number: int) -> str:
    if bells is None or cls is None:
        return ""
    bell = bells.bell(grade=cls.grade, shift=cls.shift, number=number)
    return f"{bell.starts_at:%H:%M}–{bell.ends_at:%H:%M}" if bell else ""


def hours_table(entries: dict, assignments, lines: dict) -> list[dict]:
    """Plan against fact per assignment of the class: curriculum, assignment and timetable hours a week."""
    fact = weekly_hours(entries.values())
    rows = []
    for a in assignments:
        line = lines.get(a.subject_id)
        have = fact.get((a.subject_id, a.subgroup_id), Decimal(0))
        plan = line.hours_per_week if line else None
        rows.append({"assignment": a, "plan": plan, "load": a.hours_per_week, "fact": have, "ok": have == plan})
    return rows
