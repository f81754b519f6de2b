"""`manage.py journal_verify [--school ID …]`: walk the change-record chains; name the first record that does not match.

Exit status 1 when any school's journal was changed outside the system (for cron and monitoring). The
result of each school is kept for the deputy head's page. `--anchor` also stores today's chain ends.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ejournal.journal.verify import anchors_take, schools_verify


class Command(BaseCommand):
    help = "Verify the journal's hash chains of change records and the marks against their history."

    def add_arguments(self, parser):
        parser.add_argument("--school", type=int, action="append", help="school id (repeatable; default: all)")
        parser.add_argument("--anchor", action="store_true", help="store today's anchor of every chain after")

    def handle(self, *args, school=None, anchor=False, **options):
        results = schools_verify(school)
        breaches = [r for r in results if not r.ok]
        for r in results:
            if r.ok:
                self.stdout.write(f"school {r.school_id}: ok, {r.records} records")
            else:
                self.stdout.write(
                    f"school {r.school_id}: BREACH at change record {r.record_id} ({r.entity} {r.entity_id}): {r.breach}"
                )
        if anchor:
            self.stdout.write(f"anchors stored: {anchors_take()}")
        if breaches:
            raise CommandError(f"{len(breaches)} school(s) with a breach; first: school {breaches[0].school_id}, "
                               f"record {breaches[0].record_id}")  # fmt: skip
