"""When digests fall due: quiet hours across midnight, send times moved past them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ..schedule import in_quiet, is_on_step, next_slot, time_choices

MSK = ZoneInfo("Europe/Moscow")
T = dt.time


def msk(day, hour, minute=0):
    return dt.datetime(2026, 9, day, hour, minute, tzinfo=MSK)


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [(T(22), True), (T(23, 59), True), (T(0), True), (T(6, 59), True), (T(7), False), (T(21, 59), False)],
)
def test_quiet_hours_across_midnight(moment, quiet):
    assert in_quiet(moment, T(22), T(7)) is quiet


def test_quiet_hours_within_a_day_and_none():
    assert in_quiet(T(14), T(13), T(15)) and not in_quiet(T(15), T(13), T(15))
    assert not in_quiet(T(23), None, None) and not in_quiet(T(23), T(22), T(22))


def test_send_times_are_half_hours():
    assert len(time_choices()) == 48 and is_on_step(T(19, 30)) and not is_on_step(T(19, 15))


def test_the_next_slot_is_today_or_tomorrow():
    assert next_slot(msk(7, 10), T(19), T(22), T(7)) == (msk(7, 19), msk(7, 19))
    assert next_slot(msk(7, 19), T(19), T(22), T(7)) == (msk(8, 19), msk(8, 19))


def test_a_slot_in_quiet_hours_falls_due_when_they_end():
    assert next_slot(msk(7, 10), T(22, 30), T(22), T(7)) == (msk(7, 22, 30), msk(8, 7))
    assert next_slot(msk(7, 10), T(5), T(22), T(7)) == (msk(8, 5), msk(8, 7))
    # Before 07:00, yesterday's 22:30 slot is still waiting for the quiet hours to end.
    assert next_slot(msk(8, 6), T(22, 30), T(22), T(7)) == (msk(7, 22, 30), msk(8, 7))
