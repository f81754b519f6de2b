"""`manage.py diary_warm`: fill the diary's caches before the evening (after a deploy or a cache flush).

The students whose families used the journal lately — the children of guardians, and students, who signed in
within `--since-hours` (default 72), the most recently signed-in first — get the content of their current term's
marks page (and with `--year` the year's) rendered into the cache (`diary.marks.warm`), and the days of their
current week (`diary.week.week_warm`, `--no-week` leaves them; `--weeks=-1,0,1` the previous and the next week
too). What the evening asks most comes first: every student's week and term, then the year and the other weeks
(the evening mix: this week 44 %, the term 25 %, the previous week 8 %, the year 5 %, the next week 3 %). What is
already there under the same fingerprint is left alone, so a second run costs a query or two a page.

While families are already reading (after a cache flush in the evening) the warm-up must not take the pages'
CPU: `--idle` runs it under SCHED_IDLE (only on the CPU time the pages leave; nice 19 where that is refused), and
`--jobs N` in N processes, each a share of the students in the same order. Cron or the beat runs it after a deploy
and at the end of the school day; it is read-only for the journal."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone, translation

from ejournal.diary.marks import YEAR, warm
from ejournal.diary.week import week_warm
from ejournal.people.models import GuardianLink, Student
from ejournal.timetable.calendar import week_start


def students_to_warm(since: dt.datetime, limit: int | None = None) -> list[int]:
    """The students of families signed in since `since`, the most recently signed-in first."""
    seen: dict[int, None] = {}
    links = GuardianLink.objects.filter(guardian__user__last_login__gte=since, student__is_active=True)
    rows = links.order_by("-guardian__user__last_login").values_list("student_id", flat=True)
    own = Student.objects.filter(user__last_login__gte=since, is_active=True).order_by("-user__last_login")
    for student_id in [*rows, *own.values_list("pk", flat=True)]:
        seen.setdefault(student_id, None)
    ids = list(seen)
    return ids[:limit] if limit else ids


def lower_priority() -> str:
    """This process runs only on the CPU time others leave: SCHED_IDLE, else nice 19. What it says it did."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        return "SCHED_IDLE"
    except (AttributeError, OSError):
        os.nice(19)
        return "nice 19"


def warm_students(ids: list[int], weeks: list[int], year: bool) -> int:
    """The pages of `ids` into the cache, the most asked first (see the module); how many were rendered."""
    monday = week_start(timezone.localdate())
    passes: list[list[tuple[str, Any]]] = [[("week", 0)] if 0 in weeks else [], [("term", "")],
                                          [("term", YEAR)] if year else []]  # fmt: skip
    passes[2] += [("week", n) for n in sorted(weeks, key=abs) if n]
    rendered = 0
    with translation.override("ru"):  # the families' language (the content is kept per language)
        for steps in [[*passes[0], *passes[1]], passes[2]]:
            for student_id in ids:
                for kind, what in steps:
                    if kind == "term":
                        rendered += warm(student_id, what)
                    else:
                        rendered += week_warm(student_id, monday + dt.timedelta(weeks=what))
    return rendered


def _job(ids: list[int], weeks: list[int], year: bool, idle: bool) -> int:
    if idle:
        lower_priority()
    return warm_students(ids, weeks, year)


class Command(BaseCommand):
    help = "Render the marks pages and weeks of the students of families who signed in lately into the cache."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since-hours", type=int, default=72, help="families signed in within these hours")
        parser.add_argument("--limit", type=int, default=None, help="at most this many students")
        parser.add_argument("--year", action="store_true", help="the year's marks too")
        parser.add_argument("--no-week", action="store_true", help="no days of any week")
        parser.add_argument("--weeks", default="0", help="weeks from the current one, e.g. --weeks=-1,0,1 (default 0)")
        parser.add_argument("--idle", action="store_true", help="under SCHED_IDLE: only on CPU the pages leave")
        parser.add_argument("--jobs", type=int, default=1, help="processes, each a share of the students")

    def handle(self, *args, **options) -> None:
        try:
            weeks = [] if options["no_week"] else [int(n) for n in options["weeks"].split(",") if n.strip()]
        except ValueError as exc:
            raise CommandError("--weeks: whole numbers separated by commas, e.g. --weeks=-1,0,1") from exc
        since = timezone.now() - dt.timedelta(hours=options["since_hours"])
        ids = students_to_warm(since, options["limit"])
        started, jobs, idle = time.perf_counter(), max(1, options["jobs"]), options["idle"]
        if jobs == 1:
            rendered = _job(ids, weeks, options["year"], idle)
        else:  # each process its own connections: none are shared across the fork
            connections.close_all()
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                shares = [(ids[n::jobs], weeks, options["year"], idle) for n in range(jobs)]
                rendered = sum(pool.starmap(_job, shares))
        self.stdout.write(f"{len(ids)} students, {rendered} pages rendered in {time.perf_counter() - started:.1f} s")
