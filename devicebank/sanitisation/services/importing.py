"""Importing erasure reports (nwipe, ShredOS, eReuse): one record per drive, filed against its device."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from devicebank.core.events import record_event
from devicebank.core.evidence import evidence_read, evidence_store
from devicebank.core.models import EventKind
from devicebank.devices.identity import serial_key
from devicebank.devices.models import Device
from devicebank.devices.selectors import SERIAL, device_find, devices_visible
from devicebank.hardware.models import DeviceDrive
from devicebank.people.access import AccessScope, acting_scope
from devicebank.people.models import Location, User
from devicebank.sanitisation.models import DriveErasure, ErasureEvidence
from devicebank.sanitisation.parsers import (
    MAX_REPORT_BYTES,
    ErasureReportError,
    error_json,
    parse_erasure_report,
)
from devicebank.sanitisation.parsers import DriveErasure as ParsedErasure
from devicebank.sanitisation.services.records import _lock, drive_erasure_record


@dataclass
class ErasureImportResult:
    """One file's outcome: one JSON object per drive (docs/erasure-reports.md), plus the device it was filed on."""

    rows: list[dict[str, Any]]
    device: Device | None = None
    records: list[DriveErasure] = field(default_factory=list)
    error: str | None = None


def _match_device(parsed: Iterable[ParsedErasure], scope: AccessScope) -> Device | None:
    """The device a report describes, among those `scope` may see (devices.selectors.device_find): by its host
    serial, else by a drive it is known to hold. A device outside the scope is no match."""
    drives = list(parsed)
    for item in drives:
        found = device_find(scope=scope, code=item.device_serial, kinds=(SERIAL,))
        if found is not None:
            return found
    visible = devices_visible(scope=scope)
    for item in drives:
        key = serial_key(item.drive_serial)
        if key:
            owners = list(
                DeviceDrive.objects.filter(
                    serial_key=key, removed_at__isnull=True, device__in=visible
                ).select_related("device")[:2]
            )
            if len(owners) == 1:
                return owners[0].device
    return None


def erasure_report_import(
    *,
    data: bytes,
    file_name: str,
    by: User | None,
    device: Device | None = None,
    site: Location | None = None,
    dry_run: bool = False,
) -> ErasureImportResult:
    """Read an erasure report and file one record per drive against its device; a bad file writes nothing."""
    if len(data) > MAX_REPORT_BYTES:
        message = f"{file_name}: the file is too big for an erasure report ({len(data):,} bytes)."
        return ErasureImportResult([error_json(file_name, message)], error=message)
    try:
        report = parse_erasure_report(data, filename=file_name)
    except ErasureReportError as error:
        message = f"{file_name}: {error}"
        return ErasureImportResult([error_json(file_name, message)], error=message)
    rows = [drive.to_json(file_name) for drive in report.drives]
    scope = acting_scope(by)
    target = device or _match_device(report.drives, scope)
    if target is not None and not devices_visible(scope=scope).filter(pk=target.pk).exists():
        target = None  # a device handed in from outside the scope is no match either
    if dry_run:
        return ErasureImportResult(rows, device=target)
    if target is None:
        message = (
            f"{file_name}: no device matches this report (host serial or drive serials): choose the device it "
            "belongs to."
        )
        return ErasureImportResult(
            [{**row, "error": message} for row in rows] or [error_json(file_name, message)], error=message
        )
    with transaction.atomic():
        locked = _lock(target, by)
        evidence = ErasureEvidence.objects.create(
            device=locked,
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            raw_size=len(data),
            raw_file=evidence_store(data, folder="erasure-reports", compress=True).name,
            tool=report.tool[:60],
            tool_version=(report.tool_version or "")[:40],
            warnings=list(report.warnings),
            uploaded_by=by,
        )
        records = [
            drive_erasure_record(device=locked, by=by, parsed=item, evidence=evidence, site=site)
            for item in report.drives
        ]
        record_event(
            kind=EventKind.ERASURE_REPORT_IMPORTED,
            subject=locked,
            actor=by,
            programme_id=locked.programme_id,
            data={
                "sha256": evidence.sha256,
                "tool": report.tool,
                "drives": len(records),
                "evidence": [{"type": "sanitisation.erasureevidence", "id": evidence.pk}],
            },
        )
    for row, record in zip(rows, records, strict=True):
        row["warnings"] = list(record.warnings)
        row["flagged"] = record.flagged
    return ErasureImportResult(rows, device=locked, records=records)


def evidence_bytes(evidence: ErasureEvidence) -> bytes:
    """The original report, from evidence storage, checked against its SHA-256."""
    return evidence_read(evidence.raw_file, evidence.sha256)
