"""The school calendar as the timetable sees it: study days per grade, weeks, bells.

Pure reads of the school year (terms, holidays, study week) loaded once per
school, so lesson generation and the week pages never query per date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.schools.models import AcademicYear, Holiday, School, StudyWeek, Term

from .models import Bell, BellSchedule

WEEKDAYS = {
    1: _("Понедельник"),
    2: _("Вторник"),
    3: _("Среда"),
    4: _("Четверг"),
    5: _("Пятница"),
    6: _("Суббота"),
}
WEEKDAYS_SHORT = {1: _("Пн"), 2: _("Вт"), 3: _("Ср"), 4: _("Чт"), 5: _("Пт"), 6: _("Сб")}
MAX_LESSON_NUMBER = 12
DEFAULT_DAYS = 5


def current_year(school: School) -> AcademicYear | None:
    return AcademicYear.objects.filter(municipality_id=school.municipality_id, is_current=True).first()


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_parity(day: dt.date) -> int:
    """1 for odd ISO weeks, 2 for even ones (TimetableEntry.week_parity; 0 means every week)."""
    return 1 if day.isocalendar().week % 2 else 2


def parity_matches(entry_parity: int, day: dt.date) -> bool:
    return entry_parity == 0 or entry_parity == week_parity(day)


def _band(obj, grade: int) -> bool:
    return obj.min_grade <= grade <= obj.max_grade


@dataclass
class SchoolCalendar:
    """Terms, holidays and study weeks of one school in one year (three queries)."""

    school: School
    year: AcademicYear
    terms: list[Term] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)
    weeks: list[StudyWeek] = field(default_factory=list)
    _days: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, school: School, year: AcademicYear) -> SchoolCalendar:
        holidays = Holiday.objects.filter(municipality_id=school.municipality_id, year=year).filter(
            Q(school__isnull=True) | Q(school=school)
        )
        return cls(
            school=school,
            year=year,
            terms=list(Term.objects.filter(school=school, year=year)),
            holidays=list(holidays),
            weeks=list(StudyWeek.objects.filter(school=school, year=year)),
        )

    def days_per_week(self, grade: int) -> int:
        return next((w.days for w in self.weeks if _band(w, grade)), DEFAULT_DAYS)

    def is_study_day(self, grade: int, day: dt.date) -> bool:
        if day.isoweekday() > self.days_per_week(grade):
            return False
        if not any(_band(t, grade) and t.starts_on <= day <= t.ends_on for t in self.terms):
            return False
        return not any(_band(h, grade) and h.starts_on <= day <= h.ends_on for h in self.holidays)

    def study_days(self, grade: int, date_from: dt.date, date_to: dt.date) -> dict[int, list[dt.date]]:
        """Study days of a grade between two dates (inclusive), grouped by ISO weekday."""
        key = (grade, date_from, date_to)
        if key not in self._days:
            days: dict[int, list[dt.date]] = {}
            day = max(date_from, self.year.starts_on)
            while day <= min(date_to, self.year.ends_on):
                if self.is_study_day(grade, day):
                    days.setdefault(day.isoweekday(), []).append(day)
                day += dt.timedelta(days=1)
            self._days[key] = days
        return self._days[key]


class Bells:
    """The school's bell schedules; picks the schedule of a class (shift and grade band)."""

    def __init__(self, school_id: int):
        self.schedules = list(BellSchedule.objects.filter(school_id=school_id).prefetch_related("bells"))

    def schedule_for(self, *, grade: int, shift: int, shortened: bool = False) -> BellSchedule | None:
        for schedule in self.schedules:
            if schedule.shift == shift and _band(schedule, grade) and schedule.is_shortened == shortened:
                return schedule
        return None

    def bell(self, *, grade: int, shift: int, number: int) -> Bell | None:
        schedule = self.schedule_for(grade=grade, shift=shift)
        if schedule is None:
            return None
        return next((b for b in schedule.bells.all() if b.number == number), None)


def weekly_hours(items_by_cell) -> dict[tuple[int, int | None], Decimal]:
    """Hours a week per (subject, subgroup) of timetable items; an alternating-week lesson counts a half."""
    hours: dict[tuple[int, int | None], Decimal] = defaultdict(Decimal)
    for items in items_by_cell:
        for item in items:
            key = (item.assignment.subject_id, item.assignment.subgroup_id)
            hours[key] += Decimal("1") if item.week_parity == 0 else Decimal("0.5")
    return hours
