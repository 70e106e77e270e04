"""Recording per-drive evidence: erasure runs, reviews of flagged runs, destructions, "no storage"."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.identity import serial_key
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.hardware.models import DeviceDrive
from devicebank.people.access import acting_scope
from devicebank.people.models import Location, User
from devicebank.sanitisation.models import (
    DriveDestruction,
    DriveErasure,
    ErasureEvidence,
    ErasureResult,
    NoStorageAttestation,
)
from devicebank.sanitisation.parsers import DriveErasure as ParsedErasure
from devicebank.sanitisation.permissions import can_sanitise
from devicebank.sanitisation.services.rule import _serious


def ensure_can_sanitise(by: User | None, device: Device) -> None:
    can_sanitise.require(acting_scope(by), device.programme_id)


def _lock(device: Device, by: User | None) -> Device:
    locked = Device.objects.select_for_update(of=("self",)).select_related("programme").get(pk=device.pk)
    ensure_can_sanitise(by, locked)
    if locked.state not in (DeviceState.RECEIVED, DeviceState.RETURNED):
        raise DomainError(
            f"{locked.asset_tag} is {locked.state_label.lower()}: evidence is recorded while a device is received "
            "or returned."
        )
    return locked


@transaction.atomic
def drive_erasure_record(
    *,
    device: Device,
    by: User | None,
    parsed: ParsedErasure,
    evidence: ErasureEvidence | None = None,
    site: Location | None = None,
    recorded_at: datetime | None = None,
) -> DriveErasure:
    """Record what one erasure run did to one drive of `device`; flag what a person must look at."""
    locked = _lock(device, by)
    warnings = list(parsed.warnings)
    known = list(DeviceDrive.objects.filter(device=locked, removed_at__isnull=True))
    key = serial_key(parsed.drive_serial)
    drive = next((d for d in known if key and d.serial_key == key), None)
    if key and known and drive is None:
        warnings.append(
            f"Drive serial {parsed.drive_serial} is not among this device's known drives "
            f"({', '.join(d.serial or '?' for d in known)})."
        )
    if drive is None and key and not known:
        drive = DeviceDrive.objects.create(
            device=locked,
            model=(parsed.drive_model or "")[:200],
            serial=(parsed.drive_serial or "")[:100],
            serial_key=key,
            size_bytes=parsed.size_bytes,
            kind=parsed.media_type or "",
        )
    if not key:
        warnings.append("The drive's serial is missing or a placeholder: check which drive this was.")
    record = DriveErasure.objects.create(
        device=locked,
        drive=drive,
        evidence=evidence,
        drive_model=(parsed.drive_model or "")[:200],
        drive_serial=(parsed.drive_serial or "")[:100],
        drive_serial_key=key or "",
        size_bytes=parsed.size_bytes,
        media_type=parsed.media_type or "",
        nist_level=parsed.nist_level or "",
        technique=parsed.technique,
        method=(parsed.method or "")[:100],
        passes=parsed.passes,
        tool=parsed.tool[:60],
        tool_version=(parsed.tool_version or "")[:40],
        started_at=parsed.started_at,
        finished_at=parsed.finished_at,
        verification=parsed.verification,
        result=parsed.result,
        error=parsed.error or "",
        warnings=warnings,
        flagged=_needs_a_look(warnings, parsed),
        site=site,
        operator=by,
        recorded_at=recorded_at or timezone.now(),
    )
    record_event(
        kind=EventKind.DRIVE_ERASURE_RECORDED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=record.recorded_at,
        data={
            "erasure_id": record.pk,
            "drive_serial": record.drive_serial,
            "result": record.result,
            "flagged": record.flagged,
            "evidence": [{"type": "sanitisation.driveerasure", "id": record.pk}],
        },
    )
    return record


def _needs_a_look(warnings: list[str], parsed: ParsedErasure) -> bool:
    """Flag a successful-looking record with implausible timing or an unknown or missing drive serial."""
    return bool(_serious(warnings)) and parsed.result in (
        ErasureResult.ERASED,
        ErasureResult.ERASED_UNVERIFIED,
    )


@transaction.atomic
def drive_erasure_review(*, record: DriveErasure, by: User, note: str, serial: str = "") -> DriveErasure:
    """A person has looked at a flagged record and accepts it as evidence (saying why), optionally typing the
    drive's serial read off its label when the log had none. The log's own serial is kept as it was."""
    locked = DriveErasure.objects.select_for_update().get(pk=record.pk)
    ensure_can_sanitise(by, locked.device)
    if not note.strip():
        raise DomainError("Say why the flagged record can be trusted.", field="note")
    if not locked.flagged or locked.reviewed_at is not None:
        raise DomainError("This record is not waiting for a review.")
    serial = " ".join(serial.split())
    if len(serial) > 100:
        raise DomainError("A drive serial has at most 100 characters.", field="serial")
    locked.reviewed_by, locked.reviewed_at, locked.review_note = by, timezone.now(), note.strip()
    locked.serial_supplied = serial
    locked.save(update_fields=["reviewed_by", "reviewed_at", "review_note", "serial_supplied", "updated_at"])
    record_event(
        kind=EventKind.DRIVE_ERASURE_RECORDED,
        subject=locked.device,
        actor=by,
        programme_id=locked.device.programme_id,
        reason=note.strip(),
        data={"erasure_id": locked.pk, "reviewed": True, "serial_supplied": bool(serial)},
    )
    return locked


@transaction.atomic
def drive_destruction_record(
    *,
    device: Device,
    by: User | None,
    method: str,
    destroyed_on: date,
    destroyed_by: str,
    drive: DeviceDrive | None = None,
    drive_model: str = "",
    drive_serial: str = "",
    certificate_number: str = "",
) -> DriveDestruction:
    locked = _lock(device, by)
    if drive is not None and drive.device_id != locked.pk:
        raise DomainError("That drive belongs to another device.", field="drive")
    if not destroyed_by.strip():
        raise DomainError("Say who destroyed the drive.", field="destroyed_by")
    if destroyed_on > timezone.localdate():
        raise DomainError("The destruction date cannot be in the future.", field="destroyed_on")
    record = DriveDestruction.objects.create(
        device=locked,
        drive=drive,
        drive_model=(drive.model if drive else drive_model)[:200],
        drive_serial=(drive.serial if drive else drive_serial)[:100],
        method=method,
        destroyed_on=destroyed_on,
        destroyed_by=destroyed_by.strip(),
        certificate_number=certificate_number.strip(),
        recorded_by=by,
    )
    if drive is not None and drive.removed_at is None:
        drive.removed_at = timezone.now()
        drive.save(update_fields=["removed_at", "updated_at"])
    record_event(
        kind=EventKind.DRIVE_DESTRUCTION_RECORDED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        data={
            "destruction_id": record.pk,
            "drive_serial": record.drive_serial,
            "method": method,
            "certificate_number": record.certificate_number,
            "evidence": [{"type": "sanitisation.drivedestruction", "id": record.pk}],
        },
    )
    return record


@transaction.atomic
def no_storage_attest(*, device: Device, by: User, reason: str) -> NoStorageAttestation:
    locked = _lock(device, by)
    if not reason.strip():
        raise DomainError(
            "Say how you know there is no storage (for example: drive bay empty).", field="reason"
        )
    attestation = NoStorageAttestation.objects.create(device=locked, reason=reason.strip(), attested_by=by)
    record_event(
        kind=EventKind.NO_STORAGE_ATTESTED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        reason=reason.strip(),
        data={"attestation_id": attestation.pk},
    )
    return attestation
