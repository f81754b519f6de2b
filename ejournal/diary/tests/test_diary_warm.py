"""`manage.py diary_warm` after a deploy or a cache flush (issue 20): which pages, in which order, at which
priority, in how many processes."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from ejournal.journal.tests.helpers import at

from ..management.commands import diary_warm
from ..marks import CACHE_PREFIX as MARKS_PREFIX
from ..week import DAYS_PREFIX
from .helpers import WED, week_of_lessons

pytestmark = pytest.mark.django_db


def _keys(prefix: str) -> list[str]:
    return [key for key in cache._cache if prefix in key]  # type: ignore[attr-defined]  # the test cache is local memory


@pytest.fixture
def signed_in(world):
    week_of_lessons(world)
    world.guardian_user.last_login = dt.datetime(2026, 9, 8, 18, tzinfo=dt.UTC)
    world.guardian_user.save(update_fields=["last_login"])
    cache.clear()
    return world


def test_the_previous_and_next_weeks_are_warmed_when_asked(signed_in):
    with at(WED):
        call_command("diary_warm", "--since-hours", "48")
        assert len(_keys(DAYS_PREFIX)) == 2  # the current week of the guardian's two children
        call_command("diary_warm", "--since-hours", "48", "--weeks=-1,0,1")
    # the key: prefix, templates' digest, student, Monday, today, language, stamp (`week._days_key`)
    mondays = {re.search(r":(\d{8}):\d{8}:", key).group(1) for key in _keys(DAYS_PREFIX)}
    assert len(_keys(DAYS_PREFIX)) == 6 and mondays == {"20260831", "20260907", "20260914"}


def test_what_the_evening_asks_most_is_warmed_first_for_every_student(signed_in):
    """Every student's week and term before anyone's year or other weeks."""
    done = []
    with (
        mock.patch.object(diary_warm, "warm", side_effect=lambda s, what="": done.append(("term", s, what)) or True),
        mock.patch.object(
            diary_warm, "week_warm", side_effect=lambda s, monday: done.append(("week", s, monday)) or True
        ),
        at(WED),
    ):
        rendered = diary_warm.warm_students([7, 8], [-1, 0], year=True)
    kinds = [(kind, what if kind == "term" else what.isoformat()) for kind, _s, what in done]
    assert kinds[:4] == [("week", "2026-09-07"), ("term", ""), ("week", "2026-09-07"), ("term", "")]
    assert kinds[4:] == [("term", "year"), ("week", "2026-08-31"), ("term", "year"), ("week", "2026-08-31")]
    assert [s for _k, s, _w in done] == [7, 7, 8, 8, 7, 7, 8, 8] and rendered == 8


def test_idle_asks_for_sched_idle_and_falls_back_to_nice(signed_in):
    with (
        mock.patch.object(diary_warm.os, "sched_setscheduler") as setscheduler,
        mock.patch.object(diary_warm.os, "nice") as nice,
    ):
        assert diary_warm.lower_priority() == "SCHED_IDLE"
        assert setscheduler.call_args.args[:2] == (0, diary_warm.os.SCHED_IDLE) and not nice.called
        setscheduler.side_effect = PermissionError
        assert diary_warm.lower_priority() == "nice 19"
        nice.assert_called_once_with(19)
    with mock.patch.object(diary_warm, "lower_priority") as lower, mock.patch.object(diary_warm, "warm_students"):
        call_command("diary_warm", "--since-hours", "48", "--idle")
        assert lower.called


def test_jobs_share_the_students_in_order(signed_in):
    shares = []

    class Pool:
        def __init__(self, jobs):
            self.jobs = jobs

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starmap(self, function, args):
            shares.extend(args)
            return [len(a[0]) for a in args]

    context = mock.Mock(Pool=Pool)
    with (
        mock.patch.object(diary_warm.multiprocessing, "get_context", return_value=context),
        mock.patch.object(diary_warm, "connections"),
        at(WED),
    ):
        call_command("diary_warm", "--since-hours", "48", "--jobs", "2", "--year")
    students = diary_warm.students_to_warm(dt.datetime(2026, 9, 7, tzinfo=dt.UTC))
    assert [s[0] for s in shares] == [students[0::2], students[1::2]] and all(s[2] for s in shares)


def test_weeks_must_be_whole_numbers(signed_in):
    with pytest.raises(CommandError):
        call_command("diary_warm", "--weeks", "last")
    assert not _keys(MARKS_PREFIX)
