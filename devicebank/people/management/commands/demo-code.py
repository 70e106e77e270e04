"""devicebank demo-code: the current two-factor code for the demo's staff users (development only)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devicebank.people.two_factor import DEMO_TOTP_KEY, current_code


class Command(BaseCommand):
    help = "Print the current sign-in code for the demo's admin, manager and technician (DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEVICEBANK_DEMO_SECOND_FACTOR:
            raise CommandError("The demo two-factor key works only in development (DEBUG=1).")
        self.stdout.write(current_code(DEMO_TOTP_KEY))
