"""devicebank import-postcodes FILE"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.core.errors import DomainError
from devicebank.places.management.commands._common import open_reference_file
from devicebank.places.services import postcodes_load


class Command(BaseCommand):
    help = (
        "Replace the postcode lookup with the ONS postcode directory (NSPL or ONSPD CSV, or .csv.gz), streamed: "
        "postcode -> LSOA and local authority district, terminated postcodes kept with their end month. Rows that "
        "cannot be read are skipped and counted; a file that is not a postcode directory changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="e.g. NSPL_FEB_2024_UK.csv (or .csv.gz)")
        parser.add_argument("--quiet", action="store_true", help="No progress lines.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Hashing a 1 GB file costs a second pass over it; the load record keeps the file name instead.
        stream, path, _sha = open_reference_file(options["file"], fingerprint=False)
        started = time.monotonic()
        last = [started]

        def progress(done: int) -> None:
            now = time.monotonic()
            if not options["quiet"] and now - last[0] >= 10:
                last[0] = now
                self.stdout.write(f"  {done:,} postcodes written ({done / (now - started):,.0f} a second)")

        with stream:
            try:
                result = postcodes_load(lines=stream, file_name=path.name, by=None, progress=progress)
            except DomainError as error:
                raise CommandError(f"{path}: {error.message}") from error
        tally = result.tally
        self.stdout.write(
            f"{path}: {result.loaded:,} postcodes loaded ({tally.terminated:,} terminated), {tally.skipped:,} rows "
            f"skipped, in {time.monotonic() - started:.0f} s."
        )
        for problem in tally.problems or []:
            self.stdout.write(f"  skipped row {problem.row}: {problem.message}")
