"""The current school year with its terms, vacations and public holidays.

The year is the one that contains today: it starts on 1 September. Dates
follow the usual Krasnodar calendar (autumn vacation around 4 November, winter
from 29 December to 11 January, spring in the last week of March, an extra
February week for first-graders); each year the department publishes its own.
"""

from __future__ import annotations

import datetime as dt

from ejournal.schools.models import AcademicYear, Holiday, Term

from .bulk import BulkWriter


def year_start(today: dt.date) -> int:
    """The calendar year in which the school year containing `today` began."""
    return today.year if today >= dt.date(today.year, 9, 1) else today.year - 1


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def quarters(y: int) -> list[tuple[dt.date, dt.date]]:
    return [
        (_weekday_on_or_after(dt.date(y, 9, 1)), dt.date(y, 10, 25)),
        (_weekday_on_or_after(dt.date(y, 11, 5)), dt.date(y, 12, 28)),
        (_weekday_on_or_after(dt.date(y + 1, 1, 12)), dt.date(y + 1, 3, 22)),
        (_weekday_on_or_after(dt.date(y + 1, 4, 1)), dt.date(y + 1, 5, 26)),
    ]


def half_years(y: int) -> list[tuple[dt.date, dt.date]]:
    q = quarters(y)
    return [(q[0][0], q[1][1]), (q[2][0], q[3][1])]


def holidays(y: int) -> list[tuple[str, str, dt.date, dt.date, int, int]]:
    """(name, kind, from, to, min_grade, max_grade) for the school year starting in `y`."""
    vacation, public = Holiday.Kind.VACATION, Holiday.Kind.PUBLIC
    n = y + 1
    return [
        ("Осенние каникулы", vacation, dt.date(y, 10, 26), dt.date(y, 11, 4), 1, 11),
        ("День народного единства", public, dt.date(y, 11, 4), dt.date(y, 11, 4), 1, 11),
        ("Зимние каникулы", vacation, dt.date(y, 12, 29), dt.date(n, 1, 11), 1, 11),
        ("Новогодние каникулы и Рождество Христово", public, dt.date(n, 1, 1), dt.date(n, 1, 8), 1, 11),
        ("Дополнительные каникулы для первоклассников", vacation, dt.date(n, 2, 16), dt.date(n, 2, 22), 1, 1),
        ("День защитника Отечества", public, dt.date(n, 2, 23), dt.date(n, 2, 23), 1, 11),
        ("Международный женский день", public, dt.date(n, 3, 8), dt.date(n, 3, 8), 1, 11),
        ("Весенние каникулы", vacation, dt.date(n, 3, 23), dt.date(n, 3, 31), 1, 11),
        ("Праздник Весны и Труда", public, dt.date(n, 5, 1), dt.date(n, 5, 1), 1, 11),
        ("День Победы", public, dt.date(n, 5, 9), dt.date(n, 5, 9), 1, 11),
        ("Летние каникулы", vacation, dt.date(n, 5, 27), dt.date(n, 8, 31), 1, 11),
    ]


def year_build(writer: BulkWriter, *, municipality_id: int, today: dt.date) -> int:
    """Queue the current academic year and the city's holidays; return the year id."""
    y = year_start(today)
    year_id = writer.add(
        AcademicYear,
        municipality_id=municipality_id,
        name=f"{y}/{y + 1}",
        starts_on=dt.date(y, 9, 1),
        ends_on=dt.date(y + 1, 8, 31),
        is_current=True,
    )
    for name, kind, starts_on, ends_on, min_grade, max_grade in holidays(y):
        writer.add(
            Holiday,
            municipality_id=municipality_id,
            year_id=year_id,
            name=name,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            min_grade=min_grade,
            max_grade=max_grade,
        )
    return year_id


def terms_build(writer: BulkWriter, *, school_id: int, year_id: int, y: int, max_grade: int, split: bool) -> None:
    """Queue a school's terms: quarters for all grades, or quarters for 1–9 and half-years for 10–11."""
    periods = [(Term.Kind.QUARTER, quarters(y), 1, 9 if split else max_grade)]
    if split:
        periods.append((Term.Kind.HALF_YEAR, half_years(y), 10, 11))
    for kind, dates, min_grade, max_grade_ in periods:
        for number, (starts_on, ends_on) in enumerate(dates, start=1):
            writer.add(
                Term,
                school_id=school_id,
                year_id=year_id,
                kind=kind,
                number=number,
                starts_on=starts_on,
                ends_on=ends_on,
                min_grade=min_grade,
                max_grade=max_grade_,
            )
