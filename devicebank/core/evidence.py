"""Evidence files in file storage: raw tool reports, uploaded registers, certificate PDFs, ZIPs, reports.

Bytes live in the `evidence` storage (`STORAGES["evidence"]`: a FileSystemStorage under `MEDIA_ROOT/evidence` by
default, S3-compatible object storage through django-storages when `EVIDENCE_S3_BUCKET` is set; docs/operations.md),
never in the database. The database keeps each file's storage name, SHA-256 and size, and every read checks the
SHA-256 before a byte is used or sent: a file changed or damaged in storage is `EvidenceDamaged`, logged on the
`devicebank.evidence` logger with its name and both hashes, never served.

One module for every app, so each stores, checks and streams the same way:
- `evidence_store(data, folder=...)` -> `StoredFile(name, sha256, size)`;
- `evidence_open(name, sha256)` -> a checked file object (spooled: small files in memory, large ones on disk);
- `evidence_read(name, sha256)` -> checked bytes, for code that parses a file;
- `evidence_response(request, name, sha256, ...)` -> a streamed `FileResponse` (or a clear error page);
- `evidence_delete(name)` after the transaction that dropped the reference commits.

Each app registers the fields that name its files (`register_evidence`, in `AppConfig.ready()`), so
`devicebank check-evidence` can verify every file after a restore or a move between storages.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import secrets
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.http import FileResponse, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from devicebank.core.errors import DomainError

STORAGE = "evidence"
CHUNK = 1024 * 1024
# Up to this size a checked file is held in memory; above it, in a temporary file.
SPOOL_BYTES = 4 * 1024 * 1024

log = logging.getLogger("devicebank.evidence")


class EvidenceDamaged(DomainError):
    """A stored file does not match the SHA-256 recorded when it was kept (or is missing)."""

    code = "evidence_damaged"


@dataclass(frozen=True)
class StoredFile:
    """Where a file was kept and what it was: the SHA-256 and size are of the original bytes."""

    name: str
    sha256: str
    size: int


def evidence_storage() -> Storage:
    return storages[STORAGE]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def evidence_store(data: bytes, *, folder: str, suffix: str = "", compress: bool = False) -> StoredFile:
    """Keep `data` in evidence storage under a new, unguessable name in `folder` (one per kind of file, e.g.
    "erasure-reports"), gzip'd when `compress` (text reports shrink ten-fold). The SHA-256 and size are of `data`
    itself, so they match the file people uploaded or downloaded."""
    name = f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}{'.gz' if compress else ''}"
    content = gzip.compress(data, mtime=0) if compress else data
    saved = evidence_storage().save(name, ContentFile(content))
    return StoredFile(name=saved, sha256=sha256_hex(data), size=len(data))


def evidence_open(name: str, sha256: str) -> IO[bytes]:
    """The stored file's original bytes, checked against `sha256` before anything reads them.

    Copies from storage in 1 MB chunks into a spooled temporary file while hashing (memory stays bounded for any
    size, and object storage is read once), un-gzips names ending `.gz`, and raises `EvidenceDamaged` (logged)
    when the file is missing, unreadable or different. The caller closes the returned file.
    """
    spooled: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (returned open)
    digest = hashlib.sha256()
    try:
        with evidence_storage().open(name, "rb") as stored:
            source: Any = gzip.GzipFile(fileobj=stored) if name.endswith(".gz") else stored
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                spooled.write(chunk)
    except (OSError, EOFError, zlib.error) as error:
        spooled.close()
        log.error("Evidence file %s could not be read: %s", name, error.__class__.__name__)
        raise EvidenceDamaged(_damaged_message(name)) from error
    if digest.hexdigest() != sha256:
        spooled.close()
        log.error(
            "Evidence file %s does not match its SHA-256: expected %s, found %s",
            name,
            sha256,
            digest.hexdigest(),
        )
        raise EvidenceDamaged(_damaged_message(name))
    spooled.seek(0)
    return spooled


def evidence_read(name: str, sha256: str) -> bytes:
    """The stored file's original bytes, checked (for code that parses the whole file anyway)."""
    with evidence_open(name, sha256) as checked:
        return checked.read()


def evidence_response(
    request: HttpRequest,
    name: str,
    sha256: str,
    *,
    filename: str,
    content_type: str,
    attachment: bool = True,
) -> HttpResponseBase:
    """A download of a stored file, streamed, after its SHA-256 checks out; otherwise a clear 500 that says the
    file is damaged (JSON under /api/), never the wrong bytes."""
    try:
        checked = evidence_open(name, sha256)
    except EvidenceDamaged as error:
        if request.path.startswith("/api/"):
            body = {"error": {"code": error.code, "message": error.message, "fields": {}}}
            return JsonResponse(body, status=500)
        return render(request, "core/evidence_damaged.html", {"message": error.message}, status=500)
    return FileResponse(checked, as_attachment=attachment, filename=filename, content_type=content_type)


def evidence_delete(name: str) -> None:
    """Remove a stored file once the transaction that stopped referring to it commits (a rollback keeps it)."""
    if isinstance(name, str) and name:  # an unsaved row's field may still be its database default
        transaction.on_commit(lambda: evidence_storage().delete(name))


def _damaged_message(name: str) -> str:
    return (
        f"The stored file {name.rsplit('/', 1)[-1]} does not match the SHA-256 recorded when it was kept: it has "
        "been changed or damaged in storage, so devicebank will not use it. Tell your administrator."
    )


@dataclass(frozen=True)
class EvidenceField:
    """A model field naming evidence files, and the field holding their SHA-256."""

    model: type[models.Model]
    name_field: str
    sha_field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.name_field}"


_FIELDS: dict[str, EvidenceField] = {}


def register_evidence(model: type[models.Model], *, name_field: str, sha_field: str) -> None:
    """Declare that `model.name_field` names files in evidence storage checked against `model.sha_field`.
    Idempotent, so `ready()` may run twice in tests."""
    for name in (name_field, sha_field):
        model._meta.get_field(name)  # fails at start-up, not during a check after a restore
    entry = EvidenceField(model, name_field, sha_field)
    _FIELDS[entry.label] = entry


def registered_evidence() -> list[EvidenceField]:
    return list(_FIELDS.values())


@dataclass
class EvidenceCheck:
    """What `evidence_check` found: files checked per field label, and the ones that failed as
    (label, primary key, storage name)."""

    checked: dict[str, int] = field(default_factory=dict)
    damaged: list[tuple[str, Any, str]] = field(default_factory=list)


def evidence_check() -> EvidenceCheck:
    """Read every registered evidence file back and check its SHA-256 (each failure is logged too)."""
    result = EvidenceCheck()
    for entry in registered_evidence():
        result.checked[entry.label] = 0
        for pk, name, sha in _named(entry):
            result.checked[entry.label] += 1
            try:
                evidence_open(name, sha).close()
            except EvidenceDamaged:
                result.damaged.append((entry.label, pk, name))
    return result


def _named(entry: EvidenceField) -> Iterator[tuple[Any, str, str]]:
    rows = entry.model._default_manager.exclude(**{entry.name_field: ""}).order_by("pk")
    yield from rows.values_list("pk", entry.name_field, entry.sha_field).iterator(chunk_size=1000)
