"""The city layer's numbers: every one a setting (`EJ_CITY` in Django settings), these are the defaults."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # The district's monthly report is due by this day of the reported month (order No. 271, item 2.3);
    # in a shorter month, by its last day.
    "report_due_day": 30,
    # The service's norm of days from the application to the decision.
    "service_norm_days": 15,
    # Stored monthly figures of a school (SchoolMonthFigures) not checked by the refresh for this long are not
    # served; the report and the monitoring then compute them from the journal. Refresh more often (beat, cron).
    "figures_max_age_minutes": 90,
    # The refresh recomputes a school's stored figures when its journal has changed (a change record), on another
    # day, and at the latest after this many minutes (what leaves no change record: enrolments, accounts,
    # guardians' sign-ins, the timetable); otherwise it only marks them checked. Keep it under the age above.
    "figures_recompute_minutes": 60,
    # A journal write's change record may commit this many seconds after its time: the refresh looks that far back.
    "figures_settle_seconds": 60,
    # The refresh also keeps the figures of this many months before the current one (the monitoring's history,
    # up to its longest chart); a past month is recomputed when a change record touches its lessons, and at the
    # latest after `figures_past_recompute_minutes` (enrolments, accounts and the timetable leave no record).
    "figures_past_months": 12,
    "figures_past_recompute_minutes": 24 * 60,
}


def city_setting(name: str) -> Any:
    return {**DEFAULTS, **(getattr(settings, "EJ_CITY", None) or {})}[name]


def months_kept(today: dt.date) -> list[tuple[int, int]]:
    """The months whose stored figures the refresh keeps: the current one and `figures_past_months` before it."""
    index = today.year * 12 + today.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - int(city_setting("figures_past_months")), index + 1)]


def report_due_on(year: int, month: int) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(int(city_setting("report_due_day")), last))
