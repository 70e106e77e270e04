"""devicebank check-evidence"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.core.evidence import evidence_check


class Command(BaseCommand):
    help = (
        "Read every evidence file (raw reports, registers, certificate PDFs and ZIPs, ...) back from evidence "
        "storage and check it against the SHA-256 in the database: after restoring a backup or moving storage. "
        "Lists each missing or altered file and exits with status 1 if there is one. Changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = evidence_check()
        for label, count in result.checked.items():
            self.stdout.write(f"{label}: {count} file(s) checked")
        for label, pk, name in result.damaged:
            self.stdout.write(f"DAMAGED {label} id {pk}: {name}")
        total = sum(result.checked.values())
        if result.damaged:
            raise CommandError(f"{len(result.damaged)} of {total} evidence file(s) missing or altered.")
        self.stdout.write(f"All {total} evidence file(s) match their SHA-256.")
