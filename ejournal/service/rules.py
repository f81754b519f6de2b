"""The service's numbers: every one a setting (`EJ_SERVICE` in Django settings), these are the defaults."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Days from the application to the decision (the service's regulation: at most 15).
    "deadline_days": 15,
    # A parent or legal representative applies for a child of 6.5 to 18 years.
    "parent_child_min_months": 78,
    "parent_child_max_years": 18,
    # A student applies for themself from the age of 14.
    "student_min_years": 14,
    # Flood protection: a form sent sooner than this after it was first shown gets a confirmation step.
    "min_fill_seconds": 3,
    # A form older than this is refused as stale (the page must be reloaded).
    "form_max_age_seconds": 24 * 3600,
    # Applications per window from one address and for one school; more are not refused but held
    # (no deadline runs until the school releases them), so these are what one hour normally brings.
    "rate_per_ip": 3,
    "rate_per_school": 20,
    "rate_window_seconds": 3600,
    # Applications of one school for the same child (name and birth date) or from the same phone or
    # e-mail within this many days are flagged in the register as probable duplicates (never merged).
    "duplicate_window_days": 30,
}


def service_setting(name: str) -> Any:
    return {**DEFAULTS, **(getattr(settings, "EJ_SERVICE", None) or {})}[name]


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 29–31st of a shorter month falls on its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def age_reached(birth_date: dt.date, *, months: int, on: dt.date) -> bool:
    """Whether a person born on `birth_date` is at least `months` months old on `on`."""
    return add_months(birth_date, months) <= on
