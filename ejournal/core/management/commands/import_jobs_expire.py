"""`manage.py import_jobs_expire`: fail imports cut off by a restart (cron in embedded mode; Celery beat otherwise)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ejournal.core.imports.services import import_jobs_expire


class Command(BaseCommand):
    help = "Mark as failed the imports still running IMPORT_JOB_STALE_MINUTES after the upload (run from cron)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(_("Прерванных загрузок отмечено: %(count)s.") % {"count": import_jobs_expire()})
