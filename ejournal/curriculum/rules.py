"""Numbers of the curriculum that a municipality may change: the maximum weekly load.

The defaults are the usual maxima of the sanitary rules (СанПиН 1.2.3685-21)
for a five-day week; a six-day week allows three hours more from the 2nd
grade on (the 1st grade always studies five days). Override with the setting
`EJ_MAX_WEEKLY_LOAD` = {days: {grade: hours}}.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

_FIVE_DAY = {1: 21, 2: 23, 3: 23, 4: 23, 5: 29, 6: 30, 7: 32, 8: 33, 9: 33, 10: 34, 11: 34}
DEFAULT_MAX_WEEKLY_LOAD: dict[int, dict[int, int]] = {
    5: _FIVE_DAY,
    6: {grade: hours + (3 if grade >= 2 else 0) for grade, hours in _FIVE_DAY.items()},
}

# Hours per week go in steps of half an hour (a lesson every other week).
HOURS_STEP = Decimal("0.5")
MAX_HOURS_PER_LINE = Decimal("12")


def max_weekly_load(grade: int, days: int = 5) -> int | None:
    """The usual maximum of weekly hours for `grade` on a week of `days` days (None if unknown)."""
    table = getattr(settings, "EJ_MAX_WEEKLY_LOAD", DEFAULT_MAX_WEEKLY_LOAD)
    return table.get(days, table.get(5, {})).get(grade)


def is_half_step(hours: Decimal) -> bool:
    return hours > 0 and (hours / HOURS_STEP) == (hours / HOURS_STEP).to_integral_value()
