"""Build the demo city: from one school to the whole of Krasnodar, deterministic for a seed."""

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ejournal.demo.builder import (
    CITY_SCHOOLS,
    CITY_STUDENTS,
    CityPlan,
    city_build,
    demo_counts,
    demo_exists,
    demo_logins_lines,
    demo_wipe,
)
from ejournal.demo.logins import DEMO_PASSWORD_ENV, demo_password
from ejournal.schools.models import School

DEFAULT_SCHOOLS = 4
DEFAULT_STUDENTS_PER_SCHOOL = 400


class Command(BaseCommand):
    help = (
        "Build a demo municipality (Krasnodar, four districts) with schools, staff, classes, students and "
        "guardians, plus one demo login per role. Reuses an existing demo unless --rebuild is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schools", type=int, help=f"number of schools (default {DEFAULT_SCHOOLS})")
        size = parser.add_mutually_exclusive_group()
        size.add_argument(
            "--students-per-school",
            type=int,
            default=DEFAULT_STUDENTS_PER_SCHOOL,
            help=f"average students per school (default {DEFAULT_STUDENTS_PER_SCHOOL})",
        )
        size.add_argument(
            "--city",
            action="store_true",
            help=f"the whole city: {CITY_SCHOOLS} schools, {CITY_STUDENTS} students",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="build the journal up to this day (YYYY-MM-DD) instead of today, e.g. 2027-05-20 to set year marks",
        )
        parser.add_argument("--seed", type=int, default=271, help="random seed; the same seed builds the same city")
        parser.add_argument("--rebuild", action="store_true", help="delete ALL data in the database and build anew")
        parser.add_argument(
            "--password", help=f"password of the demo logins (default ${DEMO_PASSWORD_ENV} or demo12345)"
        )

    def handle(self, *args, **options) -> None:
        schools = options["schools"] or (CITY_SCHOOLS if options["city"] else DEFAULT_SCHOOLS)
        students = CITY_STUDENTS if options["city"] else schools * options["students_per_school"]
        if schools < 1 or students < schools:
            raise CommandError("Need at least one school and one student per school.")
        password = options["password"] or demo_password()
        started = time.perf_counter()
        if options["rebuild"]:
            if settings.PRODUCTION:
                raise CommandError("Refusing to wipe a production database (DJANGO_PRODUCTION=1).")
            demo_wipe()
            self.stdout.write(f"Database wiped in {time.perf_counter() - started:.1f} s.")
        elif demo_exists():
            counts = ", ".join(f"{k}: {v}" for k, v in demo_counts().items())
            self.stdout.write(f"Reusing the existing demo city ({counts}); --rebuild builds it anew.")
            self._figures()
            return
        elif School.objects.exists():
            raise CommandError("The database holds schools that are not the demo; use --rebuild to wipe it.")
        plan = CityPlan(
            schools=schools, students=students, seed=options["seed"], password=password, today=options["today"]
        )
        city_build(plan, on_step=lambda name, s: self.stdout.write(f"  {name:<12} {s:7.1f} s"))
        self._figures()
        counts = ", ".join(f"{k}: {v}" for k, v in demo_counts().items())
        self.stdout.write(f"Demo city built in {time.perf_counter() - started:.1f} s ({counts}).\n")
        self.stdout.write("\n".join(demo_logins_lines(password)))

    def _figures(self) -> None:
        """The city's stored monthly figures, as the beat keeps them in production (`city_month_figures`): the
        monitoring and the city report read them instead of computing every month live."""
        from django.utils import timezone

        from ejournal.city.services import month_figures_refresh_kept
        from ejournal.schools.models import Municipality

        started = time.perf_counter()
        today = timezone.localdate()
        for municipality in Municipality.objects.order_by("pk"):
            month_figures_refresh_kept(municipality=municipality, today=today)
        self.stdout.write(f"  {'figures':<12} {time.perf_counter() - started:7.1f} s")
