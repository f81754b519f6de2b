"""The monthly indicators of many schools at once, for the city's report (REQUIREMENTS §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ..common import month_bounds, percent, ratio, rules_of_schools
from .city import marks_and_density
from .coverage import school_coverage
from .lessons import held_lessons, lessons_filling
from .plans import aggregate_plans, in_parallel


@dataclass(frozen=True)
class SchoolMonthIndicators:
    classes_in_system: int = 0
    students_in_system: int = 0
    teachers_with_accounts: int = 0
    teachers_active: int = 0
    guardians_with_access: int = 0
    guardians_logged_in: int = 0
    lessons_total: int = 0
    lessons_topic_on_time_pct: Decimal | None = None
    lessons_homework_on_time_pct: Decimal | None = None
    lessons_attendance_pct: Decimal | None = None
    marks_per_student: Decimal | None = None
    density_norm_met_pct: Decimal | None = None
    marks_late_pct: Decimal | None = None


def school_month_indicators(*, school_ids: list[int], year: int, month: int) -> dict[int, SchoolMonthIndicators]:
    """The month's indicators of each school (every school id gets an entry, zeros when it has no data).

    Every figure of a school is counted from that school's rows alone, so on PostgreSQL outside a transaction
    the schools are split into `settings.INDICATORS_PARALLEL` parts computed at once, each on its own thread and
    connection (the whole city's month is seconds of index reads and grouping, one core's work per statement).
    Inside a caller's transaction (tests, the stored figures' write) other connections would not see its rows:
    one part there."""
    ids = sorted(set(school_ids))
    if not ids:
        return {}
    first, last = month_bounds(year, month)
    last = min(last, timezone.localdate())
    if last < first:
        return {sid: SchoolMonthIndicators() for sid in ids}
    parts = max(1, min(int(getattr(settings, "INDICATORS_PARALLEL", 1)), len(ids)))
    if parts > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        out: dict[int, SchoolMonthIndicators] = {}
        for part in in_parallel([_month_part(ids[n::parts], first, last) for n in range(parts)]):
            out.update(part)
        return out
    return _month_part(ids, first, last)()


def _month_part(ids: list[int], first: dt.date, last: dt.date):
    """The indicators of some schools for the days, as a call (for `in_parallel`)."""
    return lambda: _school_month_part(ids, first, last)


def _school_month_part(ids: list[int], first: dt.date, last: dt.date) -> dict[int, SchoolMonthIndicators]:
    with aggregate_plans():
        rules = rules_of_schools(ids)
        cover = school_coverage(ids, first, last)
        fill = lessons_filling(held_lessons(ids, first, last), rules)
        marks, density = marks_and_density(ids, first, last, rules)
    out = {}
    for sid in ids:
        m = marks.get(sid, {"n": 0, "late": 0})
        out[sid] = SchoolMonthIndicators(
            **{name: values.get(sid, 0) for name, values in cover.items()},  # type: ignore[arg-type]  # the coverage counts are the int fields
            teachers_active=fill["active"].get(sid, 0),
            **shares(sid, fill, m, density),
            marks_per_student=ratio(m["n"], cover["students_in_system"].get(sid, 0)),
        )
    return out


def shares(key: int, fill: dict[str, dict], marks: dict, density: dict) -> dict:
    """The lessons and the shares on time, of late marks and of pairs meeting the density norm, of one school/teacher."""
    total = fill["totals"].get(key, 0)
    met, pairs = density.get(key, (0, 0))
    return {
        "lessons_total": total,
        "lessons_topic_on_time_pct": percent(fill["topic"].get(key, 0), total),
        "lessons_homework_on_time_pct": percent(fill["homework"].get(key, 0), total),
        "lessons_attendance_pct": percent(fill["kept"].get(key, 0), total),
        "density_norm_met_pct": percent(min(met, pairs), pairs),
        "marks_late_pct": percent(marks["late"], marks["n"]),
    }
