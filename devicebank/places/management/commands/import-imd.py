"""devicebank import-imd FILE"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.core.errors import DomainError
from devicebank.places.management.commands._common import open_reference_file
from devicebank.places.services import imd_load


class Command(BaseCommand):
    help = (
        "Load the English Indices of Deprivation 2019, File 1 (CSV, or .csv.gz): each LSOA's IMD rank and decile "
        "and the districts it names. Reloading updates in place. The whole file loads or nothing does."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="IMD2019_File_1_Index_of_Multiple_Deprivation.csv (or .csv.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        stream, path, sha = open_reference_file(options["file"])
        with stream:
            try:
                result = imd_load(lines=stream, file_name=path.name, sha256=sha, by=None)
            except DomainError as error:
                raise CommandError(f"{path}: {error.message}") from error
        self.stdout.write(
            f"{path}: {result.load.rows_loaded:,} LSOAs loaded ({result.created:,} new, {result.updated:,} updated)."
        )
