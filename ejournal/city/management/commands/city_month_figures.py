"""`manage.py city_month_figures`: bring the stored monthly journal figures of every school up to date (for cron/beat).

Without `--month`: the current month and the months before it the monitoring charts (`EJ_CITY["figures_past_months"]`).
Only the schools whose journal changed since their figures (or whose figures are from another day or too old)
are recomputed; `--all` recomputes every school."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.city.rules import months_kept
from ejournal.city.services import month_figures_refresh
from ejournal.control.common import month_option
from ejournal.schools.models import Municipality


class Command(BaseCommand):
    help = "Update the monthly journal figures the city's report and monitoring read (this month by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="YYYY-MM (by default the current month and the months kept before it)")
        parser.add_argument("--all", action="store_true", help="recompute every school, changed or not")

    def handle(self, *args, **options) -> None:
        months = [month_option(options["month"])] if options.get("month") else months_kept(timezone.localdate())
        for municipality in Municipality.objects.order_by("pk"):
            for year, number in months:
                count = month_figures_refresh(municipality=municipality, year=year, month=number, full=options["all"])
                self.stdout.write(
                    _("%(city)s: показатели за %(month)s пересчитаны для школ: %(n)s.")
                    % {"city": municipality.short_name, "month": f"{number:02d}.{year}", "n": count}
                )
