"""What the reference-data commands share: opening the file and turning refusals into exit codes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO

from django.core.management.base import CommandError

from devicebank.core.textfiles import TextFileError, open_text_stream


def open_reference_file(name: str, *, fingerprint: bool = True) -> tuple[IO[str], Path, str]:
    """The file as a text stream (gzip, BOM and Windows-1252 handled), its path and SHA-256 ("" when not asked)."""
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    sha = ""
    if fingerprint:
        digest = hashlib.sha256()
        with path.open("rb") as raw:
            for block in iter(lambda: raw.read(1024 * 1024), b""):
                digest.update(block)
        sha = digest.hexdigest()
    try:
        stream, _encoding = open_text_stream(path)
    except TextFileError as error:
        raise CommandError(f"{path}: {error}") from error
    return stream, path, sha
