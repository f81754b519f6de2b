"""`manage.py control_remind`: e-mail each teacher what they owe in the journal (for cron, e.g. weekly)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ejournal.control.common import month_bounds, month_option
from ejournal.control.services import teacher_reminders_send
from ejournal.schools.models import School


class Command(BaseCommand):
    help = "E-mail teachers the journal entries they owe by the school's Regulation (the month so far by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--school", help="school code (all schools by default)")
        parser.add_argument("--month", help="YYYY-MM (the current month by default)")

    def handle(self, *args, **options) -> None:
        year, number = month_option(options.get("month"))
        first, last = month_bounds(year, number)
        schools = School.objects.order_by("pk")
        if options.get("school"):
            schools = schools.filter(code=options["school"])
            if not schools.exists():
                raise CommandError(_("Школы с кодом %(code)s нет.") % {"code": options["school"]})
        for school in schools:
            result = teacher_reminders_send(school=school, first=first, last=last)
            self.stdout.write(
                _("%(school)s: напоминаний отправлено %(sent)s, учителей без адреса почты %(without)s.")
                % {"school": school.short_name, "sent": result.sent, "without": result.without_email}
            )
