"""`manage.py diary_warm`: fill the diary's caches before the evening (after a deploy or a cache flush).

The students whose families used the journal lately — the children of guardians, and students, who signed in
within `--since-hours` (default 72) — get the content of their current term's marks page (and with `--year` the
year's) rendered into the cache (`diary.marks.warm`), and the days of their current week (`diary.week.week_warm`,
`--no-week` leaves them); what is already there under the same fingerprint is left alone, so a second run costs
a query or two a student. Cron or the beat runs it after a deploy and at the end of
the school day; it is read-only for the journal."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand
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


class Command(BaseCommand):
    help = "Render the marks pages of the students of families who signed in lately into the cache."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since-hours", type=int, default=72, help="families signed in within these hours")
        parser.add_argument("--limit", type=int, default=None, help="at most this many students")
        parser.add_argument("--year", action="store_true", help="the year's marks too")
        parser.add_argument("--no-week", action="store_true", help="not the days of the current week")

    def handle(self, *args, **options) -> None:
        since = timezone.now() - dt.timedelta(hours=options["since_hours"])
        ids = students_to_warm(since, options["limit"])
        started, rendered = time.perf_counter(), 0
        monday = week_start(timezone.localdate())
        with translation.override("ru"):  # the families' language (the content is kept per language)
            for student_id in ids:
                rendered += warm(student_id)
                if options["year"]:
                    rendered += warm(student_id, YEAR)
                if not options["no_week"]:
                    rendered += week_warm(student_id, monday)
        self.stdout.write(f"{len(ids)} students, {rendered} pages rendered in {time.perf_counter() - started:.1f} s")
