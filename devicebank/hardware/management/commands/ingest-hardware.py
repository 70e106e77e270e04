"""devicebank ingest-hardware FILE... [--json] [--dry-run] [--device TAG | --programme SLUG --location ID]"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.core.errors import DomainError
from devicebank.devices.models import Device
from devicebank.hardware.parsers import error_json
from devicebank.hardware.services import IngestResult, hardware_report_ingest
from devicebank.people.models import Location
from devicebank.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Read lshw -json, dmidecode, smartctl --json or eReuse Workbench reports and file each against its device "
        "(matched by serial; registered as received when new and --programme/--location are given)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("files", nargs="+")
        parser.add_argument("--json", action="store_true", help="One JSON object per file, one per line.")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; write nothing.")
        parser.add_argument("--device", help="Asset tag of the device the reports describe.")
        parser.add_argument("--programme", help="Programme slug, to register devices not yet known.")
        parser.add_argument("--location", type=int, help="Location id where new devices were received.")

    def handle(self, *args: Any, **options: Any) -> None:
        device = programme = location = None
        if options["device"]:
            device = Device.objects.filter(asset_tag=options["device"].strip().upper()).first()
            if device is None:
                raise CommandError(f"No device with asset tag {options['device']}.")
        if options["programme"]:
            programme = Programme.objects.filter(slug=options["programme"]).first()
            if programme is None:
                raise CommandError(f"No programme {options['programme']!r}.")
        if options["location"]:
            location = Location.objects.filter(pk=options["location"]).first()
            if location is None:
                raise CommandError(f"No location with id {options['location']}.")
        failed = 0
        for name in options["files"]:
            result = self._one(Path(name), device, programme, location, options["dry_run"])
            failed += bool(result.json.get("error"))
            if options["json"]:
                self.stdout.write(json.dumps(result.as_json(), default=str))
            else:
                self._human(name, result)
        if failed:
            sys.exit(1)

    def _one(
        self,
        path: Path,
        device: Device | None,
        programme: Programme | None,
        location: Location | None,
        dry_run: bool,
    ) -> IngestResult:
        try:
            data = path.read_bytes()
        except OSError as error:
            return IngestResult(error_json(str(path), f"{path}: cannot read it ({error.strerror})."))
        try:
            return hardware_report_ingest(
                data=data,
                file_name=str(path),
                by=None,
                device=device,
                programme=programme,
                location=location,
                dry_run=dry_run,
            )
        except DomainError as error:
            return IngestResult(error_json(str(path), error.message))

    def _human(self, name: str, result: IngestResult) -> None:
        out = result.json
        if out.get("error"):
            self.stderr.write(f"{out['error']}")
            return
        tag = result.device.asset_tag if result.device else "no device yet"
        self.stdout.write(
            f"{name}: {out['format']} {out['manufacturer'] or '?'} {out['model'] or '?'} "
            f"serial {out['serial'] or 'none'} -> {result.outcome} ({tag})"
        )
        for warning in out.get("warnings") or []:
            self.stdout.write(f"  warning: {warning}")
