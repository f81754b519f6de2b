"""What the control's computations share: the Regulation's rules of many schools at once, months, percentages."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.journal.rules import JournalRules, rules_for
from ejournal.regulation.selectors import regulations_for_schools, rule_values

ONE_PLACE = Decimal("0.1")


def rules_of_schools(school_ids: list[int]) -> dict[int, JournalRules]:
    """Each school's journal rules (settings, then the Regulation in force) in two queries for any number."""
    base = rules_for(None)
    regulations = regulations_for_schools(school_ids)
    return {sid: dataclasses.replace(base, **rule_values(regulations[sid])) for sid in school_ids}


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def percent(part: int, whole: int) -> Decimal | None:
    """part × 100 / whole with one decimal place (half up); None when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def month_option(value: str | None) -> tuple[int, int]:
    """A command's `--month YYYY-MM` as (year, month); the current month without it."""
    if not value:
        today = timezone.localdate()
        return today.year, today.month
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        raise CommandError(_("Месяц — в виде ГГГГ-ММ, например 2026-09."))
    year, month = (int(x) for x in value.split("-"))
    return year, month
