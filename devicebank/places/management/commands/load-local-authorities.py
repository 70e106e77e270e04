"""devicebank load-local-authorities FILE"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from devicebank.core.errors import DomainError
from devicebank.places.management.commands._common import open_reference_file
from devicebank.places.services import local_authorities_load


class Command(BaseCommand):
    help = (
        "Load the English local authorities (DfE list: Local Authority GIAS ID, Local Authority Name, ..., "
        "Local Authority ENG), keyed by GIAS code. The whole file loads or nothing does."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="CSV, optionally gzipped")

    def handle(self, *args: Any, **options: Any) -> None:
        stream, path, sha = open_reference_file(options["file"])
        with stream:
            try:
                result = local_authorities_load(lines=stream, file_name=path.name, sha256=sha, by=None)
            except DomainError as error:
                raise CommandError(f"{path}: {error.message}") from error
        self.stdout.write(
            f"{path}: {result.created} local authorities added, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
