"""`manage.py city_month_figures`: recompute the stored monthly journal figures of every school (for cron/beat)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ejournal.city.services import month_figures_refresh
from ejournal.control.common import month_option
from ejournal.schools.models import Municipality


class Command(BaseCommand):
    help = "Recompute the monthly journal figures the city's report and monitoring read (this month by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="YYYY-MM (the current month by default)")

    def handle(self, *args, **options) -> None:
        year, number = month_option(options.get("month"))
        for municipality in Municipality.objects.order_by("pk"):
            count = month_figures_refresh(municipality=municipality, year=year, month=number)
            self.stdout.write(
                _("%(city)s: показатели за %(month)s пересчитаны для школ: %(n)s.")
                % {"city": municipality.short_name, "month": f"{number:02d}.{year}", "n": count}
            )
