"""devicebank import-register FILE --donation ID [--dry-run] [--json] [--valid-rows] [--map HEADER=FIELD ...]"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devicebank.core.errors import DomainError
from devicebank.donations.models import Donation, RegisterImport
from devicebank.donations.register import REGISTER_FIELDS, RegisterRow
from devicebank.donations.services import (
    register_check,
    register_import_run,
    register_import_set_mapping,
    register_import_start,
    register_rows,
)


class Command(BaseCommand):
    help = (
        "Import a donor's asset register (CSV or XLSX) into a donation as pledged devices. The whole file "
        "lands or nothing does, unless --valid-rows."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--donation", type=int, required=True, help="The donation's id (DON-00042 is 42)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--json", action="store_true", help="One JSON object per row, then a summary object."
        )
        parser.add_argument(
            "--valid-rows", action="store_true", help="Import the valid rows even if some are not."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help=f"Map a column by hand (FIELD: one of {', '.join(REGISTER_FIELDS)}, or empty "
            "to ignore the column).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        donation = Donation.objects.select_related("programme").filter(pk=options["donation"]).first()
        if donation is None:
            raise CommandError(f"No donation with id {options['donation']}.")
        choice: dict[str, str | None] = {}
        for item in options["map"]:
            header, sep, field = item.partition("=")
            if not sep:
                raise CommandError(f"--map {item!r}: write it as HEADER=FIELD")
            choice[header] = field or None
        try:
            summary, rows = self._run(path, donation, choice, options)
        except DomainError as error:
            if options["json"]:
                self.stdout.write(json.dumps({"file": str(path), "error": error.message}))
            raise CommandError(f"{path}: {error.message}") from error
        if options["json"]:
            for row in rows:
                self.stdout.write(json.dumps(row, default=str))
            self.stdout.write(json.dumps(summary, default=str))
        else:
            self.stdout.write(
                f"{path}: {summary['outcome']}. {summary['rows']} rows: {summary['created']} devices created"
                f"{' (dry run: would be)' if options['dry_run'] else ''}, {summary['valid']} valid, "
                f"{summary['rejected']} rejected, {summary['already_imported']} already imported."
            )
            for row in rows:
                if row["outcome"] == "rejected":
                    self.stdout.write(f"  line {row['line']}: {'; '.join(row['errors'])}")
        if summary["outcome"] == "failed":
            sys.exit(1)

    def _run(
        self, path: Path, donation: Donation, choice: dict[str, str | None], options: dict[str, Any]
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        with transaction.atomic():
            imp, duplicate = register_import_start(
                donation=donation, file_name=path.name, data=path.read_bytes(), by=None
            )
            if duplicate:
                return (
                    {
                        "file": str(path),
                        "outcome": "already imported",
                        "import_id": imp.pk,
                        "rows": imp.rows_total,
                        "created": 0,
                        "valid": 0,
                        "rejected": 0,
                        "already_imported": imp.rows_total,
                    },
                    [],
                )
            if choice or imp.status == RegisterImport.Status.NEEDS_MAPPING:
                full: dict[str, str | None] = {h: None for h in imp.headers if h not in _mapped_headers(imp)}
                full.update(choice)
                imp = register_import_set_mapping(imp=imp, choice=full, by=None)
            rows = register_rows(imp)
            check = register_check(imp.donation, rows)
            rejected = {id(r) for r in check.rejected}
            already = {id(r) for r in check.already_imported}
            failed = bool(check.rejected) and not options["valid_rows"]
            if options["dry_run"] or failed:
                transaction.set_rollback(True)
                created_tags: list[str] = []
            else:
                imp.mode = (
                    RegisterImport.Mode.VALID_ROWS
                    if options["valid_rows"]
                    else RegisterImport.Mode.ALL_OR_NOTHING
                )
                imp.status = RegisterImport.Status.QUEUED
                imp.save(update_fields=["mode", "status"])
                imp = register_import_run(import_id=imp.pk)
                if imp.status != RegisterImport.Status.COMPLETED:
                    raise DomainError(imp.error or "The import failed.")
                created_tags = list(
                    imp.donation.devices.order_by("-id").values_list("asset_tag", flat=True)[
                        : imp.devices_created
                    ]
                )[::-1]
        tags = iter(created_tags)
        out_rows = []
        for row in rows:
            outcome = (
                "rejected"
                if id(row) in rejected
                else "already_imported"
                if id(row) in already
                else "valid"
                if options["dry_run"] or failed
                else "created"
            )
            out_rows.append(_row_json(row, outcome, next(tags, None) if outcome == "created" else None))
        outcome = "failed" if failed else "checked (dry run)" if options["dry_run"] else "imported"
        summary = {
            "file": str(path),
            "outcome": outcome,
            "rows": len(rows),
            "created": len(created_tags),
            "valid": len(check.to_create),
            "rejected": len(check.rejected),
            "already_imported": len(check.already_imported),
            "import_id": None if options["dry_run"] else imp.pk,
        }
        return summary, out_rows


def _mapped_headers(imp: RegisterImport) -> set[str]:
    return {imp.headers[index] for index in imp.mapping.values()}


def _row_json(row: RegisterRow, outcome: str, asset_tag: str | None) -> dict[str, Any]:
    return {
        "line": row.line,
        "outcome": outcome,
        "asset_tag": asset_tag,
        "serial_number": row.values.get("serial_number"),
        "manufacturer": row.values.get("manufacturer"),
        "model": row.values.get("model"),
        "errors": row.errors,
        "warnings": row.warnings,
    }
