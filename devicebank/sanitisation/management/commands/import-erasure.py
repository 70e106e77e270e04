"""devicebank import-erasure FILE... [--json] [--dry-run] [--device TAG]"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.core.errors import DomainError
from devicebank.devices.models import Device
from devicebank.sanitisation.parsers import error_json
from devicebank.sanitisation.services import ErasureImportResult, erasure_report_import


class Command(BaseCommand):
    help = (
        "Read nwipe/ShredOS logs and eReuse Workbench snapshots and file one erasure record per drive against its "
        "device (matched by the host's or the drives' serials, or --device)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+")
        parser.add_argument("--json", action="store_true", help="One JSON object per drive, one per line.")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; write nothing.")
        parser.add_argument("--device", help="Asset tag of the device the reports describe.")

    def handle(self, *args: Any, **options: Any) -> None:
        device = None
        if options["device"]:
            device = Device.objects.filter(asset_tag=options["device"].strip().upper()).first()
            if device is None:
                raise CommandError(f"No device with asset tag {options['device']}.")
        failed = 0
        for name in options["files"]:
            result = self._one(Path(name), device, options["dry_run"])
            failed += bool(result.error)
            if options["json"]:
                for row in result.rows:
                    row = {**row, "device": result.device.asset_tag if result.device else None}
                    self.stdout.write(json.dumps(row, default=str))
            elif result.error:
                self.stderr.write(result.error)
            else:
                where = result.device.asset_tag if result.device else "no device matched"
                self.stdout.write(f"{name}: {len(result.rows)} drive(s) -> {where}")
                for row in result.rows:
                    flag = " (flagged)" if row.get("flagged") else ""
                    self.stdout.write(
                        f"  {row['drive_model'] or 'drive'} {row['drive_serial'] or '(no serial)'}: "
                        f"{row['result']}{flag}"
                    )
        if failed:
            sys.exit(1)

    def _one(self, path: Path, device: Device | None, dry_run: bool) -> ErasureImportResult:
        try:
            data = path.read_bytes()
        except OSError as error:
            message = f"{path}: cannot read it ({error.strerror})."
            return ErasureImportResult([error_json(str(path), message)], error=message)
        try:
            return erasure_report_import(
                data=data, file_name=str(path), by=None, device=device, dry_run=dry_run
            )
        except DomainError as error:
            return ErasureImportResult([error_json(str(path), error.message)], error=error.message)
