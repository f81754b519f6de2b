"""Print the demo logins, one per role, with the demo password."""

from django.core.management.base import BaseCommand

from ejournal.demo.builder import demo_logins_lines
from ejournal.demo.logins import DEMO_PASSWORD_ENV, demo_password


class Command(BaseCommand):
    help = f"Print the demo logins (one per role) and their password ({DEMO_PASSWORD_ENV} or demo12345)."

    def handle(self, *args, **options) -> None:
        self.stdout.write("\n".join(demo_logins_lines(demo_password())))
