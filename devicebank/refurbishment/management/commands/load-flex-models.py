"""devicebank load-flex-models FILE: load Google's ChromeOS Flex certified-models list.

The file is the CSV kept at github.com/fclairamb/chrome-os-flex-models-list (models.csv: `Model,Status,Certified
since version,Year`), which mirrors Google's published list. devicebank ships no copy: download the current one
and load it. Loading again updates entries and adds new ones; entries no longer listed are left as they are.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from devicebank.refurbishment.models import ChromeOSFlexModel, FlexModelStatus
from devicebank.refurbishment.selectors import flex_key

STATUSES = {
    "certified": FlexModelStatus.CERTIFIED,
    "minor issues expected": FlexModelStatus.MINOR_ISSUES,
    "decertified": FlexModelStatus.DECERTIFIED,
}


def parse_flex_csv(text: str) -> list[tuple[str, str, int | None]]:
    """(name, status, end-of-support year) for each row; rows with an unknown status are refused."""
    rows = []
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "Model" not in reader.fieldnames or "Status" not in reader.fieldnames:
        raise CommandError("Not the certified-models CSV: it needs Model and Status columns.")
    for number, row in enumerate(reader, start=2):
        name = " ".join((row.get("Model") or "").split())
        status = STATUSES.get((row.get("Status") or "").strip().lower())
        if not name:
            continue
        if status is None:
            raise CommandError(f"Line {number}: unknown status {row.get('Status')!r}.")
        year = (row.get("Year") or "").strip()
        rows.append((name[:200], status.value, int(year) if year.isdigit() else None))
    return rows


class Command(BaseCommand):
    help = "Load the ChromeOS Flex certified-models list (CSV: Model,Status,Certified since version,Year)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            rows = parse_flex_csv(path.read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        with transaction.atomic():
            for name, status, year in rows:
                ChromeOSFlexModel.objects.update_or_create(
                    key=flex_key(name), defaults={"name": name, "status": status, "end_of_support_year": year}
                )
        self.stdout.write(f"{len(rows)} models loaded.")
