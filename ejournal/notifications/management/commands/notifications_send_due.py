"""`manage.py notifications_send_due`: the periodic digest run for cron (embedded mode, no Celery)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ejournal.notifications.services import digests_send_due


class Command(BaseCommand):
    help = "Send the e-mail digests whose time has come (run every few minutes from cron)."

    def handle(self, *args, **options) -> None:
        report = digests_send_due()
        self.stdout.write(
            _("Сводки: отправлено %(sent)s, пустых %(empty)s, не отправлено %(failed)s, пропущено %(skipped)s.")
            % vars(report)
        )
        if report.failed:
            self.stderr.write(
                _("Часть сводок не отправлена: почтовый сервер отказал; они уйдут при следующем запуске.")
            )
