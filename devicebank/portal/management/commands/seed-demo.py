"""devicebank seed-demo: create the fictional demo scheme (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

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
