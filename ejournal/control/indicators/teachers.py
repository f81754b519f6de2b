"""A teacher's share of the school's monthly filling figures, by the definitions of the school's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from ..common import month_bounds, rules_of_schools
from .density import density_by
from .lessons import held_lessons, lesson_teacher, lessons_filling, month_lessons
from .marks import lesson_marks
from .plans import aggregate_plans
from .schools import shares


@dataclass(frozen=True)
class TeacherMonthIndicators:
    """A teacher's share of the school's filling figures: the lessons they held (as the teacher or the substitute),
    the marks of those lessons, and the (student, subject) pairs of their assignments for the mark density."""

    lessons_total: int = 0
    lessons_topic_on_time_pct: Decimal | None = None
    lessons_homework_on_time_pct: Decimal | None = None
    lessons_attendance_pct: Decimal | None = None
    marks_total: int = 0
    marks_late_pct: Decimal | None = None
    density_norm_met_pct: Decimal | None = None


def teacher_month_indicators(*, school_id: int, year: int, month: int,
                             teacher_id: int | None = None) -> dict[int, TeacherMonthIndicators]:  # fmt: skip
    """The month's filling figures of each teacher of the school (or of one), by the same definitions as
    `school_month_indicators`; a teacher without lessons, marks or pairs in the month has no entry. Constant queries."""
    first, last = month_bounds(year, month)
    last = min(last, timezone.localdate())
    if last < first:
        return {}
    ids = [school_id]
    rules = rules_of_schools(ids)
    lessons = held_lessons(ids, first, last).annotate(who=lesson_teacher())
    marks = month_lessons(ids, first, last).annotate(who=lesson_teacher())
    if teacher_id is not None:
        lessons, marks = lessons.filter(who=teacher_id), marks.filter(who=teacher_id)
    with aggregate_plans():
        fill = lessons_filling(lessons, rules, by="who")
        counts = lesson_marks(marks, by="who")
        density = density_by(ids, first, last, rules, by_teacher=True)
    if teacher_id is not None:
        density = {k: v for k, v in density.items() if k == teacher_id}
    out = {}
    for tid in {*fill["totals"], *counts, *density}:
        m = counts.get(tid, {"n": 0, "late": 0})
        out[tid] = TeacherMonthIndicators(**shares(tid, fill, m, density), marks_total=m["n"])
    return out
