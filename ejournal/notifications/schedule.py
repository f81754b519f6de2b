"""When a digest falls due: the daily send time, the quiet hours, the city's clock.

Pure functions of times; the time zone is `settings.NOTIFICATIONS_TIME_ZONE`
(Europe/Moscow: Krasnodar keeps Moscow time all year, without DST).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

DAY = dt.timedelta(days=1)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.NOTIFICATIONS_TIME_ZONE)


def time_choices() -> list[dt.time]:
    """Every time of day in steps of `NOTIFICATIONS_TIME_STEP_MINUTES`, from 00:00."""
    step = settings.NOTIFICATIONS_TIME_STEP_MINUTES
    return [dt.time(m // 60, m % 60) for m in range(0, 24 * 60, step)]


def is_on_step(value: dt.time) -> bool:
    return value.second == 0 and value.microsecond == 0 and value in time_choices()


def in_quiet(moment: dt.time, quiet_from: dt.time | None, quiet_to: dt.time | None) -> bool:
    """Tell whether `moment` is inside the quiet hours [from, to); the window may pass midnight."""
    if quiet_from is None or quiet_to is None or quiet_from == quiet_to:
        return False
    if quiet_from < quiet_to:
        return quiet_from <= moment < quiet_to
    return moment >= quiet_from or moment < quiet_to


def due_at(slot: dt.datetime, quiet_from: dt.time | None, quiet_to: dt.time | None) -> dt.datetime:
    """The moment the digest of `slot` may go: the slot itself, or the end of the quiet hours it falls in."""
    local = slot.astimezone(zone())
    if not in_quiet(local.timetz().replace(tzinfo=None), quiet_from, quiet_to):
        return local
    assert quiet_to is not None
    end = dt.datetime.combine(local.date(), quiet_to, tzinfo=zone())
    return end if end > local else end + DAY


def next_slot(
    after: dt.datetime, send_at: dt.time, quiet_from: dt.time | None, quiet_to: dt.time | None
) -> tuple[dt.datetime, dt.datetime]:
    """The first (slot, due moment) whose due moment is strictly after `after`."""
    local = after.astimezone(zone())
    day = local.date() - DAY  # yesterday's slot may still be due today (moved past the night's quiet hours)
    while True:
        slot = dt.datetime.combine(day, send_at, tzinfo=zone())
        due = due_at(slot, quiet_from, quiet_to)
        if due > local:
            return slot, due
        day += DAY


def is_quiet_now(now: dt.datetime, quiet_from: dt.time | None, quiet_to: dt.time | None) -> bool:
    return in_quiet(now.astimezone(zone()).time(), quiet_from, quiet_to)
