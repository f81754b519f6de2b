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
    # Stored monthly figures of a school (SchoolMonthFigures) older than this are not served; the report and the
    # monitoring then compute them from the journal. Refresh them more often (Celery beat, cron).
    "figures_max_age_minutes": 90,
}


def city_setting(name: str) -> Any:
    return {**DEFAULTS, **(getattr(settings, "EJ_CITY", None) or {})}[name]


def report_due_on(year: int, month: int) -> dt.date:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(int(city_setting("report_due_day")), last))
