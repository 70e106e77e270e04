"""devicebank seed-demo: create the fictional demo scheme (idempotent)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from devicebank.people.two_factor import DEMO_TOTP_KEY, SECOND_FACTOR_ROLES, format_key
from devicebank.portal.demo import DEMO_PASSWORD, USERS, demo_email, seed_demo


class Command(BaseCommand):
    help = "Create the demo scheme (organisations, a user per role, ~500 devices). Safe to run again."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--devices", type=int, default=500, help="How many demo devices (first run only)."
        )
        parser.add_argument("--quiet-sign-ins", action="store_true", help="Do not print the demo sign-ins.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_demo(devices=options["devices"])
        if result["devices_created"]:
            self.stdout.write(
                self.style.SUCCESS(f"Demo scheme created with {result['devices_created']} devices.")
            )
        else:
            self.stdout.write("Demo scheme already present: nothing changed.")
        if not options["quiet_sign_ins"]:
            self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
            for user in USERS:
                self.stdout.write(f"  {demo_email(user.email):<40} {user.role.label} at {user.organisation}")
            staff = ", ".join(user.email for user in USERS if user.role in SECOND_FACTOR_ROLES)
            if settings.DEVICEBANK_DEMO_SECOND_FACTOR:
                self.stdout.write(
                    f"\nTwo-factor sign-in ({staff}): add this published demo key to an authenticator app,\n"
                    f"  {format_key(TOTPDevice(key=DEMO_TOTP_KEY))}\n"
                    "or run `devicebank demo-code` for the current code. The key works only with DEBUG on."
                )
            else:
                self.stdout.write(f"\n{staff} set up two-factor sign-in the first time they sign in.")
