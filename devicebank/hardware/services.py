"""Ingesting hardware reports: match (or register) the device, keep the raw report as evidence, record drives."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.evidence import evidence_read, evidence_store
from devicebank.core.models import EventKind
from devicebank.devices.identity import serial_key
from devicebank.devices.models import Device, StorageKind
from devicebank.devices.selectors import SERIAL, device_find, devices_visible
from devicebank.devices.services import (
    DeviceSpec,
    DuplicateDevice,
    device_register,
    device_update_details,
)
from devicebank.devices.states import DeviceState
from devicebank.hardware.models import DeviceDrive, HardwareReport
from devicebank.hardware.parsers import (
    MAX_REPORT_BYTES,
    HardwareReportError,
    error_json,
    parse_hardware_report,
)
from devicebank.hardware.parsers import HardwareReport as ParsedReport
from devicebank.hardware.permissions import can_file_hardware_reports
from devicebank.people.access import AccessScope, acting_scope
from devicebank.people.models import Location, User
from devicebank.programmes.models import Programme


class HardwareIngestError(DomainError):
    code = "invalid_report"


@dataclass
class IngestResult:
    """What happened to one file: the parsed facts (the documented JSON keys) plus the device outcome."""

    json: dict[str, Any]
    device: Device | None = None
    outcome: str = "error"  # matched | registered | unchanged | would_match | would_register | error
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            **self.json,
            "device": self.device.asset_tag if self.device else None,
            "outcome": self.outcome,
        }


def _storage_kind(parsed: ParsedReport) -> str:
    kinds = {drive.kind for drive in parsed.drives if drive.kind}
    for kind in ("nvme", "ssd", "emmc", "hdd"):
        if kind in kinds:
            return kind
    return StorageKind.UNKNOWN


def _spec_changes(device: Device, parsed: ParsedReport) -> dict[str, Any]:
    """What the machine says that the record does not (yet) say. Identity fields are only filled in, never
    overwritten; specs follow the machine, which knows better than a donor's spreadsheet."""
    changes: dict[str, Any] = {}
    if parsed.manufacturer and not device.manufacturer:
        changes["manufacturer"] = parsed.manufacturer
    if parsed.model and not device.model:
        changes["model"] = parsed.model
    if parsed.serial and not device.serial_number:
        changes["serial_number"] = parsed.serial
    if parsed.device_type and parsed.device_type != device.device_type and parsed.format != "smartctl":
        changes["device_type"] = parsed.device_type
    if parsed.cpu_model and parsed.cpu_model != device.cpu_model:
        changes["cpu_model"] = parsed.cpu_model[:200]
    if parsed.ram_bytes and parsed.ram_bytes != device.ram_bytes:
        changes["ram_bytes"] = parsed.ram_bytes
    sizes = [drive.size_bytes for drive in parsed.drives if drive.size_bytes]
    if sizes and parsed.format != "smartctl" and sum(sizes) != device.storage_bytes:
        changes["storage_bytes"] = sum(sizes)
        changes["storage_kind"] = _storage_kind(parsed)
    return changes


def _find_device(parsed: ParsedReport, device: Device | None, scope: AccessScope) -> Device | None:
    """The device a report describes, among those `scope` may see (devices.selectors.device_find): a machine
    outside it is no match, and nothing about it reaches the answer."""
    if device is not None:
        return device
    if parsed.serial:
        # a machine that names itself is not matched through a drive that may have moved
        return device_find(scope=scope, code=parsed.serial, kinds=(SERIAL,), manufacturer=parsed.manufacturer)
    visible = devices_visible(scope=scope)
    for drive in parsed.drives:  # a drive-only report (smartctl) names its drive, not its machine
        key = serial_key(drive.serial)
        if key:
            owners = list(
                DeviceDrive.objects.filter(
                    serial_key=key, removed_at__isnull=True, device__in=visible
                ).select_related("device")[:2]
            )
            if len(owners) == 1:
                return owners[0].device
    return None


def hardware_report_ingest(
    *,
    data: bytes,
    file_name: str,
    by: User | None,
    device: Device | None = None,
    programme: Programme | None = None,
    location: Location | None = None,
    dry_run: bool = False,
) -> IngestResult:
    """Read one report and, unless dry_run, file it against its device (registering it as received if new).

    Never raises for a bad file: the result carries `error` (the file name and what is wrong), nothing written.
    Raises DomainError/NotPermitted only for what the caller asked (e.g. a role that may not register).
    """
    if len(data) > MAX_REPORT_BYTES:
        return IngestResult(
            error_json(
                file_name,
                f"{file_name}: the file is too big for a hardware report "
                f"({len(data):,} bytes; the limit is {MAX_REPORT_BYTES:,}).",
            )
        )
    try:
        parsed = parse_hardware_report(data, filename=file_name)
    except HardwareReportError as error:
        return IngestResult(error_json(file_name, f"{file_name}: {error}"))
    result = IngestResult(parsed.to_json(file_name))
    scope = acting_scope(by)
    target = _find_device(parsed, device, scope)
    if target is not None and not can_file_hardware_reports(scope, target.programme_id):
        result.json["error"] = (
            f"{file_name}: the device it describes ({target.asset_tag}) is not one you can update."
        )
        return result
    if dry_run:
        # No uniqueness check against devices the caller cannot see: a dry run must not tell whether a serial
        # exists elsewhere. The real run refuses such a serial, naming nothing (devices.services.DuplicateDevice).
        result.device, result.outcome = target, "would_match" if target else "would_register"
        return result
    if target is None and (programme is None or location is None):
        why = (
            f"no device you can see has serial {parsed.serial}"
            if parsed.serial
            else "the report has no usable system serial"
        )
        result.json["error"] = (
            f"{file_name}: {why}. Say which device it is, or give a programme and location to "
            "register it as received."
        )
        return result
    try:
        with transaction.atomic():
            result.device, result.outcome = _file(parsed, data, file_name, by, target, programme, location)
    except DuplicateDevice as clash:  # its serial is registered already: where, it says only if we may see it
        result.json["error"] = f"{file_name}: {clash.message}"
    return result


def _file(
    parsed: ParsedReport,
    data: bytes,
    file_name: str,
    by: User | None,
    target: Device | None,
    programme: Programme | None,
    location: Location | None,
) -> tuple[Device, str]:
    sha = hashlib.sha256(data).hexdigest()
    if target is None:
        if programme is None or location is None:
            raise HardwareIngestError(f"{file_name}: give a programme and a location to register the device.")
        if parsed.format == "smartctl":
            raise HardwareIngestError(
                f"{file_name}: a smartctl report describes one drive, not a machine: ingest "
                "the machine's lshw or dmidecode report first, or name the device."
            )
        target = device_register(
            programme=programme,
            by=by,
            state=DeviceState.RECEIVED,
            location=location,
            spec=DeviceSpec(
                device_type=parsed.device_type or "other",
                manufacturer=parsed.manufacturer or "",
                model=parsed.model or "",
                serial_number=parsed.serial,
                cpu_model=(parsed.cpu_model or "")[:200],
                ram_bytes=parsed.ram_bytes,
                storage_bytes=sum(d.size_bytes or 0 for d in parsed.drives) or None,
                storage_kind=_storage_kind(parsed),
            ),
            reason=f"Registered from hardware report {file_name}",
        )
        outcome = "registered"
    else:
        if HardwareReport.objects.filter(device=target, sha256=sha).exists():
            return target, "unchanged"
        changes = _spec_changes(target, parsed)
        if changes:
            target = device_update_details(
                device=target, by=by, changes=changes, reason=f"From hardware report {file_name}"
            )
        outcome = "matched"
    report = HardwareReport.objects.create(
        device=target,
        format=parsed.format,
        file_name=file_name[:255],
        sha256=sha,
        raw_size=len(data),
        raw_file=evidence_store(data, folder="hardware-reports", compress=True).name,
        parsed=parsed.to_json(file_name),
        warnings=parsed.warnings,
        ingested_by=by,
    )
    _record_drives(target, parsed, report)
    record_event(
        kind=EventKind.HARDWARE_REPORT_INGESTED,
        subject=target,
        actor=by,
        programme_id=target.programme_id,
        data={
            "format": parsed.format,  # the report (evidence) keeps the file's name
            "sha256": sha,
            "drives": len(parsed.drives),
            "warnings": len(parsed.warnings),
            "evidence": [{"type": "hardware.hardwarereport", "id": report.pk}],
        },
    )
    return target, outcome


def _record_drives(device: Device, parsed: ParsedReport, report: HardwareReport) -> None:
    known = {d.serial_key: d for d in DeviceDrive.objects.filter(device=device).exclude(serial_key="")}
    for drive in parsed.drives:
        key = serial_key(drive.serial) or ""
        if key and key in known:
            continue
        if (
            not key
            and DeviceDrive.objects.filter(
                device=device, serial_key="", model=drive.model or "", size_bytes=drive.size_bytes
            ).exists()
        ):
            continue
        DeviceDrive.objects.create(
            device=device,
            model=(drive.model or "")[:200],
            serial=(drive.serial or "")[:100],
            serial_key=key,
            size_bytes=drive.size_bytes,
            kind=drive.kind or "",
            source_report=report,
        )


def raw_report_bytes(report: HardwareReport) -> bytes:
    """The original file, from evidence storage, checked against its SHA-256."""
    return evidence_read(report.raw_file, report.sha256)
