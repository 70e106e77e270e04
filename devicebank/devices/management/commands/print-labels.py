"""devicebank print-labels (--donation ID | TAG...) [--format pdf|zpl] [--layout a4-21|a4-24] [--skip N] -o FILE"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.devices.label_views import label_for
from devicebank.devices.labels import LAYOUTS, LabelError, render_sheet_pdf, render_zpl
from devicebank.devices.models import Device


class Command(BaseCommand):
    help = (
        "Labels (asset tag, QR code, make and serial) for devices or a whole donation, as a PDF sheet or ZPL."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("asset_tags", nargs="*")
        parser.add_argument("--donation", type=int, help="Every device of this donation (DON-00042 is 42).")
        parser.add_argument("--format", choices=["pdf", "zpl"], default="pdf")
        parser.add_argument("--layout", choices=list(LAYOUTS), default="a4-21")
        parser.add_argument("--skip", type=int, default=0, help="Positions already used on the first sheet.")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["donation"]:
            devices = list(Device.objects.filter(donation_id=options["donation"]).order_by("asset_tag"))
        else:
            tags = [tag.strip().upper() for tag in options["asset_tags"]]
            found = {d.asset_tag: d for d in Device.objects.filter(asset_tag__in=tags)}
            missing = [tag for tag in tags if tag not in found]
            if missing:
                raise CommandError(f"No device with asset tag {', '.join(missing)}.")
            devices = [found[tag] for tag in tags]
        if not devices:
            raise CommandError("No devices: give asset tags or a donation with devices.")
        try:
            labels = [label_for(device) for device in devices]
            body = (
                render_zpl(labels).encode()
                if options["format"] == "zpl"
                else render_sheet_pdf(labels, layout=options["layout"], skip=options["skip"])
            )
        except LabelError as error:
            raise CommandError(str(error)) from error
        if options["output"]:
            Path(options["output"]).write_bytes(body)
            self.stderr.write(f"{len(labels)} labels written to {options['output']}")
        else:
            sys.stdout.buffer.write(body)
