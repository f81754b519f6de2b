"""`manage.py archive_retention [--dry-run]`: delete what has outlived its retention (for cron; beat runs it daily).

Print journals leave their zip after ARCHIVE_RETENTION_JOURNAL_YEARS, the whole zip goes after
ARCHIVE_RETENTION_SUMMARY_YEARS (counted to 31 December); each archive stays in the school's list, marked
with the day. `--dry-run` lists what would be deleted and deletes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from ejournal.archive.services import archive_retention_apply, archive_retention_due


class Command(BaseCommand):
    help = "Delete archives (or their print journals) whose retention has ended; the records stay, marked."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        if dry_run:
            for job, what in archive_retention_due(today=today):
                until = job.summary_until if what == "all" else job.journal_until
                self.stdout.write(f"archive {job.pk} (school {job.school_id}, {job.path}): {what}, kept until {until}")
            return
        done = archive_retention_apply(today=today)
        self.stdout.write(
            f"archives deleted: {done['all']}; archives whose print journals were deleted: {done['journals']}"
        )
