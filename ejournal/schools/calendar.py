"""The usual Russian school calendar, offered as a one-click start for a school's year.

Every date is a default of the setting `EJ_STANDARD_CALENDAR` (same shape),
so a municipality whose order sets other dates changes it without code.
Dates are (month, day): September–December fall in the year's first
calendar year, January–August in the second.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_STANDARD_CALENDAR = {
    # (kind, number, start, end, min grade, max grade)
    "terms": [
        ("quarter", 1, (9, 1), (10, 25), 1, 11),
        ("quarter", 2, (11, 5), (12, 28), 1, 11),
        ("quarter", 3, (1, 12), (3, 21), 1, 11),
        ("quarter", 4, (3, 31), (5, 26), 1, 11),
    ],
    # (name, kind, start, end, min grade, max grade)
    "holidays": [
        (_("Осенние каникулы"), "vacation", (10, 26), (11, 4), 1, 11),
        (_("Зимние каникулы"), "vacation", (12, 29), (1, 11), 1, 11),
        (_("Дополнительные каникулы для первоклассников"), "vacation", (2, 9), (2, 15), 1, 1),
        (_("Весенние каникулы"), "vacation", (3, 22), (3, 30), 1, 11),
        (_("Летние каникулы"), "vacation", (5, 27), (8, 31), 1, 11),
    ],
}


def standard_calendar() -> dict:
    return getattr(settings, "EJ_STANDARD_CALENDAR", DEFAULT_STANDARD_CALENDAR)


def calendar_date(first_year: int, month_day: tuple[int, int]) -> dt.date:
    """The date of (month, day) in the school year that starts in `first_year`."""
    month, day = month_day
    return dt.date(first_year if month >= 9 else first_year + 1, month, day)
