"""devicebank import-schools FILE [--dry-run] [--json] [--valid-rows]"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.core.errors import DomainError
from devicebank.recipients.services import schools_import_file


class Command(BaseCommand):
    help = (
        "Import schools from a GIAS establishment CSV (Get Information About Schools download), keyed by URN: new "
        "schools are added, known ones updated in place, closed ones marked closed. The whole file lands or nothing "
        "does, unless --valid-rows."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the GIAS CSV (UTF-8 or Windows-1252; .gz too)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report what would happen; write nothing."
        )
        parser.add_argument(
            "--json", action="store_true", help="One JSON object per row, one a line, then a summary object."
        )
        parser.add_argument(
            "--valid-rows", action="store_true", help="Import the valid rows even if some are refused."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = schools_import_file(
                file_name=path.name,
                data=path.read_bytes(),
                by=None,
                valid_rows=options["valid_rows"],
                dry_run=options["dry_run"],
            )
        except DomainError as error:
            if options["json"]:
                self.stdout.write(json.dumps({"error": error.message}))
            raise CommandError(f"{path}: {error.message}") from error
        if options["json"]:
            for row in result.gias.rows:
                self.stdout.write(json.dumps(row.as_json()))
            self.stdout.write(json.dumps({"summary": result.counts.as_json()}))
        else:
            self._human(path, result, options["dry_run"])
        if result.refused:
            if not options["json"]:
                self.stderr.write(f"{path}: {result.refused}")
            sys.exit(1)

    def _human(self, path: Path, result: Any, dry_run: bool) -> None:
        c = result.counts
        would = " (dry run: nothing written)" if dry_run else ""
        self.stdout.write(
            f"{path}: {c.rows} rows: {c.created} schools created, {c.updated} updated, {c.unchanged} unchanged, "
            f"{c.rejected} rejected{would}."
        )
        for warning in result.gias.warnings:
            self.stdout.write(f"  {warning}")
        for row in result.gias.rows:
            if row.error:
                self.stdout.write(f"  row {row.row}: {row.error}")
            for warning in row.warnings:
                self.stdout.write(f"  row {row.row}: {warning}")
