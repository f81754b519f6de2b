"""The exemplary Regulation's rules for keeping the journal, as settings with defaults.

Every number here is a default of the municipality's exemplary Regulation
(REQUIREMENTS §2), never a constant of the code: `settings.EJ_JOURNAL_RULES`
overrides them for the whole city, and its `"schools"` entry per school code:

    EJ_JOURNAL_RULES = {
        "written_mark_school_days": 4,
        "schools": {"s1": {"allow_several_marks_per_lesson": False}},
    }

A later issue stores a Regulation per school in the database; it plugs into
`rules_for`, so callers never read the settings themselves.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MB = 1024 * 1024


@dataclass(frozen=True)
class JournalRules:
    # Deadlines. Topic, attendance and oral marks: on the lesson day (plus grace days).
    same_day_grace_days: int = 0
    # Homework: published by the end of the lesson day (plus grace days).
    homework_grace_days: int = 0
    # Written work: within N school days after the lesson (study days of the class's calendar).
    written_mark_school_days: int = 3
    written_mark_school_days_grades_5_9: int = 7
    composition_mark_school_days_grades_10_11: int = 10
    # Term (period) marks: by the last day of the term, plus grace days.
    period_mark_grace_days: int = 0
    # Year, exam and final marks (decision 0010). They open `year_marks_open_days` before the last day of the
    # year's last term (schools set them with the last term's marks, before the teachers' council); year marks are
    # due by that day plus `year_mark_grace_days` and lock when the last term is closed; exam and final marks come
    # after the exams, so they are due `exam_mark_days` after it and lock at that deadline only.
    year_marks_open_days: int = 14
    year_mark_grace_days: int = 0
    exam_mark_days: int = 45
    # The suggested year mark from the average of the term marks: the term marks' thresholds (False, the exemplary
    # Regulation: "by the same thresholds"), or arithmetic rounding from x.5 (True: 4.5 → 5).
    year_mark_math_rounding: bool = False
    # Mark density (накопляемость): minimum marks per student per term.
    density_hours_threshold: Decimal = Decimal("2")  # up to and including this many hours a week: the low minimum
    density_min_low_hours: int = 3
    density_min_high_hours: int = 5
    density_min_half_year: int = 5
    # Suggested period mark from the weighted average, rounded half-up to `average_decimals`
    # (in the student's favour: 4.645 shows as 4.65 and gives 5).
    suggestion_thresholds: tuple[tuple[Decimal, str], ...] = (
        (Decimal("4.65"), "5"),
        (Decimal("3.65"), "4"),
        (Decimal("2.65"), "3"),
    )
    suggestion_floor: str = "2"
    average_decimals: int = 2
    # Several marks for one student in one lesson («5/4»).
    allow_several_marks_per_lesson: bool = True
    # Marks on a lesson that has not taken place yet, for planned work without attendance (attendance never).
    allow_future_planned_marks: bool = False
    # The director and the deputy head may keep any lesson's journal (otherwise only its teacher/substitute).
    # City-wide only: the access policy (`can_keep_journal`) reads it from the settings without a query.
    admin_may_keep_journal: bool = False
    # Scale of a subject without its own MarkScale row: "five", "five_from_two" or "pass_fail".
    default_scale: str = "five"
    # Homework attachments.
    homework_max_bytes: int = 10 * MB
    homework_max_files: int = 5
    homework_extensions: tuple[str, ...] = (
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "txt", "odt",
    )  # fmt: skip
    homework_text_max: int = 5000
    topic_max: int = 500


_FIELDS = {f.name: f for f in dataclasses.fields(JournalRules)}


def _coerce(name: str, value: Any) -> Any:
    if name == "suggestion_thresholds":
        return tuple((Decimal(str(limit)), str(mark)) for limit, mark in value)
    if name == "density_hours_threshold":
        return Decimal(str(value))
    if name == "homework_extensions":
        return tuple(str(ext).lower().lstrip(".") for ext in value)
    return value


def _apply(base: JournalRules, overrides: dict[str, Any], where: str) -> JournalRules:
    unknown = set(overrides) - set(_FIELDS)
    if unknown:
        raise ImproperlyConfigured(f"EJ_JOURNAL_RULES{where}: unknown rules {sorted(unknown)}")
    return dataclasses.replace(base, **{k: _coerce(k, v) for k, v in overrides.items()})


def rules_for(school: Any) -> JournalRules:
    """Return the journal rules of a school: the defaults, the city's overrides, the Regulation in force, the school's.

    The Regulation in force is the school's own adopted one, else the city's
    exemplary one (ejournal.regulation), read through the cache (once per request); without either
    the settings' values stay. `school=None` gives the city-wide settings.
    """
    if school is not None and getattr(school, "pk", None) is not None:
        from .batch import memo

        return memo(("rules", school.pk), lambda: _rules_for(school))  # once per batch (a save and its answer)
    return _rules_for(school)


def _rules_for(school: Any) -> JournalRules:
    configured = dict(getattr(settings, "EJ_JOURNAL_RULES", {}) or {})
    per_school = configured.pop("schools", {}) or {}
    rules = _apply(JournalRules(), configured, "")
    if school is not None and getattr(school, "pk", None) is not None:
        from .school_cache import rule_values

        rules = dataclasses.replace(rules, **rule_values(school.pk))
    own = per_school.get(getattr(school, "code", None)) if school is not None else None
    if own:
        if "admin_may_keep_journal" in own:
            raise ImproperlyConfigured("EJ_JOURNAL_RULES: admin_may_keep_journal is city-wide, not per school")
        rules = _apply(rules, own, f"['schools'][{school.code!r}]")
    return rules
