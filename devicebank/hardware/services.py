"""Ingesting hardware reports: match (or register) the device, keep the raw report as evidence, record drives.

A report never overwrites silently. One whose serial, maker or model disagrees with the device it is filed against,
or that describes a virtual machine, is kept but held (`HardwareReport.Status.HELD`) until a person decides
(`hardware_report_decide`: attach it anyway with a reason, register it as another device, or reject it). A
report that is applied fills in what the record does not say and follows the machine for processor, memory and
storage, but never replaces a known value with "not known"; every change is an event with old and new values
and the report's id.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.evidence import evidence_read, evidence_store
from devicebank.core.models import EventKind
from devicebank.devices.identity import manufacturer_key, serial_key
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
    is_virtual_machine,
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
    # matched | registered | unchanged | held | would_match | would_register | would_hold | error
    outcome: str = "error"
    notes: list[str] = field(default_factory=list)
    report: HardwareReport | None = None
    differences: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            **self.json,
            "device": self.device.asset_tag if self.device else None,
            "outcome": self.outcome,
            "held_report": self.report.pk if self.report is not None and self.outcome == "held" else None,
            "differences": self.differences,
        }


NO_DRIVES_SEEN = (
    "This report lists no internal drives; lshw does not see some NVMe and RAID drives. The device's storage is "
    "left as it was (not known if never recorded), not 0 drives: add smartctl output for each drive, or record "
    "the drives by hand."
)
# Words that say nothing about which model a machine is ("HP EliteBook 840 G3 Notebook PC" is an EliteBook 840 G3).
_MODEL_NOISE = frozenset(
    {"notebook", "laptop", "pc", "computer", "desktop", "series", "inc", "the", "tablet"}
)


def _model_words(text: str, maker: str) -> set[str]:
    words = set(re.findall(r"[a-z0-9]+", text.lower()))
    return words - _MODEL_NOISE - set(re.findall(r"[a-z0-9]+", maker.lower()))


def _same_model(device: Device, parsed: ParsedReport) -> bool:
    """Whether the report's model can be the recorded one: the same words, one naming more than the other
    ("EliteBook 840 G3" and "HP EliteBook 840 G3 Notebook PC"), or the recorded model is the machine type a
    Lenovo reports beside its friendly name."""
    maker = device.manufacturer or parsed.manufacturer or ""
    recorded, reported = _model_words(device.model, maker), _model_words(parsed.model or "", maker)
    if not recorded or not reported or recorded <= reported or reported <= recorded:
        return True
    return bool(parsed.model_number) and recorded == _model_words(parsed.model_number or "", maker)


def report_differences(device: Device, parsed: ParsedReport) -> list[dict[str, Any]]:
    """What a report says about a machine's identity that disagrees with the device: serial, maker, model, and
    whether it is a physical machine at all. Empty when the report can be applied as it is."""
    found: list[dict[str, Any]] = []
    if parsed.serial and device.serial_key and serial_key(parsed.serial) != device.serial_key:
        found.append(
            {
                "field": "serial_number",
                "label": "Serial number",
                "device": device.serial_number,
                "report": parsed.serial,
            }
        )
    if (
        parsed.manufacturer
        and device.manufacturer
        and manufacturer_key(parsed.manufacturer) != device.manufacturer_key
    ):
        found.append(
            {
                "field": "manufacturer",
                "label": "Manufacturer",
                "device": device.manufacturer,
                "report": parsed.manufacturer,
            }
        )
    if parsed.model and device.model and not _same_model(device, parsed):
        found.append({"field": "model", "label": "Model", "device": device.model, "report": parsed.model})
    if is_virtual_machine(parsed.warnings):
        found.append(
            {
                "field": "virtual_machine",
                "label": "Physical machine",
                "device": "Yes",
                "report": "No: it describes a virtual machine",
            }
        )
    return found


def _storage_kind(parsed: ParsedReport) -> str:
    kinds = {drive.kind for drive in parsed.drives if drive.kind}
    for kind in ("nvme", "ssd", "emmc", "hdd"):
        if kind in kinds:
            return kind
    return StorageKind.UNKNOWN


def _spec_changes(device: Device, parsed: ParsedReport) -> dict[str, Any]:
    """What the machine says that the record does not (yet) say. Identity fields are only filled in, never
    overwritten; specs follow the machine, which knows better than a donor's spreadsheet. A value the report
    does not know (no drives seen, a drive of unknown kind) never replaces a known one."""
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
    kind = _storage_kind(parsed)
    if sizes and parsed.format != "smartctl" and kind and kind != device.storage_kind:
        changes["storage_kind"] = kind
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
    if target is not None:
        result.differences = report_differences(target, parsed)
    elif is_virtual_machine(parsed.warnings):
        result.differences = report_differences(Device(), parsed)
    if not parsed.drives and parsed.format in ("lshw", "ereuse-workbench"):
        parsed.warnings.append(NO_DRIVES_SEEN)
        result.json["warnings"] = list(parsed.warnings)
    if dry_run:
        # No uniqueness check against devices the caller cannot see: a dry run must not tell whether a serial
        # exists elsewhere. The real run refuses such a serial, naming nothing (devices.services.DuplicateDevice).
        result.device = target
        result.outcome = "would_hold" if result.differences else "would_match" if target else "would_register"
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
            result.device, result.outcome, result.report = _file(
                parsed, data, file_name, by, target, programme, location, result.differences
            )
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
    differences: list[dict[str, Any]],
) -> tuple[Device | None, str, HardwareReport | None]:
    sha = hashlib.sha256(data).hexdigest()
    if target is not None:
        if HardwareReport.objects.filter(device=target, sha256=sha).exists():
            return target, "unchanged", None
        already = HardwareReport.objects.filter(
            held_for=target, sha256=sha, status=HardwareReport.Status.HELD
        )
        if already.exists():
            return target, "held", already.first()
    if differences:
        report = _keep(parsed, data, file_name, sha, by, device=None)
        report.status = HardwareReport.Status.HELD
        report.held_for = target
        report.programme_id = (
            target.programme_id if target is not None else programme.pk if programme else None
        )
        report.differences = differences
        report.save(update_fields=["status", "held_for", "programme", "differences", "updated_at"])
        if target is not None:
            record_event(
                kind=EventKind.HARDWARE_REPORT_HELD,
                subject=target,
                actor=by,
                programme_id=target.programme_id,
                data={
                    "report_id": report.pk,
                    "fields": [difference["field"] for difference in differences],
                    "evidence": [{"type": "hardware.hardwarereport", "id": report.pk}],
                },
            )
        return target, "held", report
    if target is None:
        target = _register_from(parsed, file_name, by, programme, location)
        outcome = "registered"
    else:
        outcome = "matched"
    report = _keep(parsed, data, file_name, sha, by, device=target)
    return _apply(target, parsed, report, by, file_name), outcome, report


def _register_from(
    parsed: ParsedReport,
    file_name: str,
    by: User | None,
    programme: Programme | None,
    location: Location | None,
) -> Device:
    if programme is None or location is None:
        raise HardwareIngestError(f"{file_name}: give a programme and a location to register the device.")
    if parsed.format == "smartctl":
        raise HardwareIngestError(
            f"{file_name}: a smartctl report describes one drive, not a machine: ingest "
            "the machine's lshw or dmidecode report first, or name the device."
        )
    return device_register(
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


def _keep(
    parsed: ParsedReport, data: bytes, file_name: str, sha: str, by: User | None, *, device: Device | None
) -> HardwareReport:
    return HardwareReport.objects.create(
        device=device,
        format=parsed.format,
        file_name=file_name[:255],
        sha256=sha,
        raw_size=len(data),
        raw_file=evidence_store(data, folder="hardware-reports", compress=True).name,
        parsed=parsed.to_json(file_name),
        warnings=parsed.warnings,
        ingested_by=by,
    )


def _apply(
    target: Device, parsed: ParsedReport, report: HardwareReport, by: User | None, file_name: str
) -> Device:
    """Take a report's facts into its device: details (each change an event with the report's id), drives.
    Returns the device as it now is."""
    changes = _spec_changes(target, parsed)
    if changes:
        target = device_update_details(
            device=target, by=by, changes=changes, evidence={"report_id": report.pk}
        )
    _record_drives(target, parsed, report, by)
    record_event(
        kind=EventKind.HARDWARE_REPORT_INGESTED,
        subject=target,
        actor=by,
        programme_id=target.programme_id,
        data={
            "format": parsed.format,  # the report (evidence) keeps the file's name
            "sha256": report.sha256,
            "drives": len(parsed.drives),
            "warnings": len(parsed.warnings),
            "evidence": [{"type": "hardware.hardwarereport", "id": report.pk}],
        },
    )
    return target


def _record_drives(device: Device, parsed: ParsedReport, report: HardwareReport, by: User | None) -> None:
    """Add the drives the report lists that the device does not have yet; the count before and after is an event.
    A drive the report does not list is never taken away (lshw misses some; removal is a person's record)."""
    known = {d.serial_key: d for d in DeviceDrive.objects.filter(device=device).exclude(serial_key="")}
    before = DeviceDrive.objects.filter(device=device, removed_at__isnull=True).count()
    added = 0
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
        added += 1
    if added:
        record_event(
            kind=EventKind.DEVICE_DETAILS_CHANGED,
            subject=device,
            actor=by,
            programme_id=device.programme_id,
            data={"old": {"drives": before}, "new": {"drives": before + added}, "report_id": report.pk},
        )


def raw_report_bytes(report: HardwareReport) -> bytes:
    """The original file, from evidence storage, checked against its SHA-256."""
    return evidence_read(report.raw_file, report.sha256)


@transaction.atomic
def hardware_report_decide(
    *,
    report: HardwareReport,
    decision: str,
    by: User | None,
    reason: str = "",
    location: Location | None = None,
) -> HardwareReport:
    """A person's decision on a held report: attach it to the device it was filed against anyway (a reason is
    required), register it as another device (received at `location`), or reject it (kept as evidence only).

    The reason goes to the event's erasable note (core.Note), never into its data. Raises DomainError (nothing changed) for a
    report that is not held, a missing reason or location, or a report whose serial is already another device's.
    """
    locked = HardwareReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != HardwareReport.Status.HELD:
        raise DomainError("This report has already been decided.")
    held_for = Device.objects.filter(pk=locked.held_for_id).first() if locked.held_for_id else None
    programme_id = held_for.programme_id if held_for is not None else locked.programme_id
    if programme_id is None:
        raise DomainError("This report belongs to no programme.")
    can_file_hardware_reports.require(acting_scope(by), programme_id)
    reason = reason.strip()
    D = HardwareReport.Decision
    if decision not in D.values:
        raise DomainError("Choose what to do with the report.", field="decision")
    if decision == D.ATTACH and held_for is None:
        raise DomainError(
            "This report was not filed against a device: register it or reject it.", field="decision"
        )
    if decision == D.ATTACH and not reason:
        raise DomainError("Say why the report belongs to this device although it disagrees.", field="reason")
    if decision == D.REGISTER and location is None:
        raise DomainError("Choose where the other device is.", field="location")
    if decision == D.REJECT:
        target = held_for
    else:
        parsed = parse_hardware_report(raw_report_bytes(locked), filename=locked.file_name)
        if decision == D.ATTACH:
            assert held_for is not None  # checked above
            target = held_for
        else:
            target = _register_other(parsed, locked, programme_id, location, by)
        locked.device = target
        locked.status = HardwareReport.Status.APPLIED
        locked.save(update_fields=["device", "status", "updated_at"])
        target = _apply(target, parsed, locked, by, locked.file_name)
    if decision == D.REJECT:
        locked.status = HardwareReport.Status.REJECTED
    locked.decision = decision
    locked.decided_by = by if by is not None and by.is_authenticated else None
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decision", "decided_by", "decided_at", "updated_at"])
    subject = target if target is not None else held_for
    if subject is not None:
        record_event(
            kind=EventKind.HARDWARE_REPORT_DECIDED,
            subject=subject,
            actor=by,
            programme_id=subject.programme_id,
            reason=reason,
            data={
                "report_id": locked.pk,
                "decision": decision,
                "held_for": held_for.pk if held_for is not None else None,
                "device_id": target.pk if target is not None else None,
                "evidence": [{"type": "hardware.hardwarereport", "id": locked.pk}],
            },
        )
    return locked


def _register_other(
    parsed: ParsedReport,
    report: HardwareReport,
    programme_id: int,
    location: Location | None,
    by: User | None,
) -> Device:
    if (
        parsed.serial
    ):  # among the devices this person may see; elsewhere device_register refuses, naming nothing
        same = device_find(
            scope=acting_scope(by), code=parsed.serial, kinds=(SERIAL,), manufacturer=parsed.manufacturer
        )
        if same is not None and same.pk != report.held_for_id:
            raise DomainError(
                f"A device with serial {parsed.serial} is already registered as {same.asset_tag}: attach the "
                "report there instead (file it against that device).",
                field="decision",
            )
    programme = Programme.objects.get(pk=programme_id)
    return _register_from(parsed, report.file_name, by, programme, location)
