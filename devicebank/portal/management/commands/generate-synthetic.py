"""devicebank generate-synthetic --devices N: bulk-insert synthetic devices for benchmarks."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.portal.synthetic import generate_synthetic


class Command(BaseCommand):
    help = "Insert N synthetic devices (with events) into a synthetic programme, fast, for benchmarks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--devices", type=int, required=True)
        parser.add_argument("--programme", default="synthetic", help="Slug of the synthetic programme.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["devices"] < 1:
            raise CommandError("--devices must be at least 1")
        result = generate_synthetic(
            devices=options["devices"], programme_slug=options["programme"], seed=options["seed"]
        )
        self.stdout.write(
            f"Inserted {result.devices:,} devices and {result.events:,} events into {result.programme} "
            f"in {result.seconds:.1f} s ({result.devices / max(result.seconds, 1e-9):,.0f} devices/s)."
        )
