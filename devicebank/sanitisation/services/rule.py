"""The rule that decides a device is sanitised, applied to the evidence of its current pass.

The rule (docs/sanitisation.md): a device moves to `sanitised` only when, for this pass through the scheme,
- "no storage present" is attested (and no drive is recorded in it), or
- every internal drive known for it (hardware.DeviceDrive, not removed) has a counting erasure or a
  destruction record, and at least one such record exists; or
- it is a phone or tablet factory-reset with encryption (attested by a technician), which is how those
  devices are sanitised: their storage cannot be overwritten from outside.
A counting erasure is `erased`, or `erased_unverified` unless the programme requires verification; a flagged
record counts only after a person reviewed it. Failed, cancelled and incomplete runs never count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from devicebank.core.models import Event, EventKind
from devicebank.devices.identity import serial_key
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.hardware.models import DeviceDrive
from devicebank.sanitisation.models import (
    DriveDestruction,
    DriveErasure,
    ErasureResult,
    NoStorageAttestation,
    SanitisationBasis,
    SanitisationLevel,
)
from devicebank.sanitisation.parsers import SIZE_NOTE_PREFIX

MOBILE_TYPES = ("tablet", "phone")
_LEVEL_ORDER = {SanitisationLevel.CLEAR: 0, SanitisationLevel.PURGE: 1, SanitisationLevel.DESTROY: 2}


# ---- The current pass ----------------------------------------------------------------------------------


def pass_started_at(device: Device, *, before: datetime | None = None) -> datetime:
    """When the device last entered received or returned (on or before `before`): evidence older than that
    belongs to an earlier pass and does not count."""
    events = Event.objects.filter(
        subject_type="devices.device",
        subject_id=device.pk,
        kind__in=[EventKind.DEVICE_STATE_CHANGED, EventKind.DEVICE_REGISTERED],
        data__new__in=[DeviceState.RECEIVED.value, DeviceState.RETURNED.value],
    )
    if before is not None:
        events = events.filter(occurred_at__lte=before)
    latest = events.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    return latest or device.created_at


@dataclass
class PassEvidence:
    """Everything recorded for a device in one pass, and what the rule makes of it."""

    device: Device
    started_at: datetime
    drives: list[DeviceDrive]
    erasures: list[DriveErasure]
    destructions: list[DriveDestruction]
    attestations: list[NoStorageAttestation]
    require_verified: bool
    blockers: list[str] = field(default_factory=list)
    basis: str | None = None
    level: str = ""

    @property
    def ok(self) -> bool:
        return not self.blockers and self.basis is not None

    def covering(self, drive: DeviceDrive) -> list[Any]:
        """The counting erasures and destructions that cover this drive."""
        return [
            e
            for e in self.erasures
            if _same_drive(e, drive) and e.counts(require_verified=self.require_verified)
        ] + [d for d in self.destructions if _same_drive(d, drive)]


def _same_drive(record: Any, drive: DeviceDrive) -> bool:
    if record.drive_id is not None:
        return bool(record.drive_id == drive.pk)
    key = serial_key(record.drive_serial)
    return bool(key and drive.serial_key and key == drive.serial_key)


def pass_evidence(
    device: Device, *, until: datetime | None = None, mobile_reset: bool = False
) -> PassEvidence:
    """Gather this pass's evidence for `device` and apply the rule."""
    started = pass_started_at(device, before=until)
    window = Q(recorded_at__gte=started)
    if until is not None:
        window &= Q(recorded_at__lte=until)
    evidence = PassEvidence(
        device=device,
        started_at=started,
        drives=list(DeviceDrive.objects.filter(device=device, removed_at__isnull=True).order_by("id")),
        erasures=list(DriveErasure.objects.filter(window, device=device).order_by("recorded_at", "id")),
        destructions=list(
            DriveDestruction.objects.filter(window, device=device).order_by("recorded_at", "id")
        ),
        attestations=list(
            NoStorageAttestation.objects.filter(device=device, attested_at__gte=started).order_by(
                "attested_at"
            )
        ),
        require_verified=device.programme.require_verified_erasure,
    )
    _apply_rule(evidence, mobile_reset=mobile_reset)
    return evidence


def _apply_rule(ev: PassEvidence, *, mobile_reset: bool) -> None:  # noqa: C901 - the rule, in one place
    counting = [e for e in ev.erasures if e.counts(require_verified=ev.require_verified)]
    for record in ev.erasures:
        if record.flagged and record.reviewed_at is None:
            reasons = "; ".join(w.rstrip(".") for w in _serious(record.warnings)) or "needs a look"
            ev.blockers.append(
                f"The erasure of {_name(record)} is flagged ({reasons}): review it before it counts."
            )
        elif record.result == ErasureResult.ERASED_UNVERIFIED and ev.require_verified:
            ev.blockers.append(
                f"{_name(record)} was erased without verification; this programme requires it."
            )
    if ev.attestations:
        if ev.drives:
            ev.blockers.append(
                f"No storage is attested, but {len(ev.drives)} drive(s) are recorded in this device: mark them "
                "removed or destroyed first."
            )
        else:
            ev.basis, ev.level = SanitisationBasis.NO_STORAGE, ""
        return
    if mobile_reset:
        if ev.device.device_type not in MOBILE_TYPES:
            ev.blockers.append("A factory reset only counts for phones and tablets.")
        else:
            ev.basis, ev.level = SanitisationBasis.FACTORY_RESET, SanitisationLevel.PURGE
        return
    for drive in ev.drives:
        if not ev.covering(drive):
            last = [e for e in ev.erasures if _same_drive(e, drive)]
            why = (
                f"its last erasure {last[-1].get_result_display().lower()}"
                if last
                else "it has no erasure or destruction record"
            )
            ev.blockers.append(f"Drive {_drive_name(drive)}: {why}.")
    if not counting and not ev.destructions:
        if not ev.blockers:
            ev.blockers.append(
                "There is no successful erasure or destruction record for this pass (or attest that no storage is "
                "present)."
            )
        return
    for record in ev.erasures:  # a failed run on a drive we know nothing else about
        if (
            record.result in (ErasureResult.FAILED, ErasureResult.CANCELLED, ErasureResult.INCOMPLETE)
            and not any(_same_serial(record, other) for other in counting + ev.destructions)
            and not ev.drives
        ):
            ev.blockers.append(
                f"{_name(record)}: the erasure {record.get_result_display().lower()} and was not repeated."
            )
    if ev.blockers:
        return
    levels = [e.nist_level or SanitisationLevel.CLEAR for e in counting] + [SanitisationLevel.DESTROY] * len(
        ev.destructions
    )
    ev.level = min(levels, key=lambda level: _LEVEL_ORDER[SanitisationLevel(level)])
    ev.basis = SanitisationBasis.ERASURE if counting else SanitisationBasis.DESTRUCTION


def _same_serial(a: Any, b: Any) -> bool:
    ka, kb = serial_key(a.drive_serial), serial_key(b.drive_serial)
    return bool(ka and kb and ka == kb)


def _name(record: Any) -> str:
    return f"{record.drive_model or 'a drive'} ({record.drive_serial or 'no serial'})"


def _drive_name(drive: DeviceDrive) -> str:
    return f"{drive.model or 'drive'} ({drive.serial or 'no serial'})"


def _serious(warnings: list[str]) -> list[str]:
    """Warnings a person must act on. Context is not a problem: that log times were read as UTC, or that a
    snapshot's size had no unit (the drive is matched by serial, and the size is not evidence of erasure)."""
    return [
        w
        for w in warnings
        if "time zone" not in w.lower() and "timezone" not in w.lower() and not w.startswith(SIZE_NOTE_PREFIX)
    ]
