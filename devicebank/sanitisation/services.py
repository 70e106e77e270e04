"""Sanitisation services: per-drive evidence, the rule that decides a device is sanitised, and the outcome.

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

import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from devicebank.core.errors import DomainError, NotPermitted
from devicebank.core.events import record_event
from devicebank.core.models import Event, EventKind
from devicebank.devices.identity import serial_key
from devicebank.devices.models import Device
from devicebank.devices.permissions import transition_targets_for
from devicebank.devices.services import device_transition, find_device_by_serial
from devicebank.devices.states import DeviceState
from devicebank.hardware.models import DeviceDrive
from devicebank.people.access import scope_for
from devicebank.people.models import Location, User
from devicebank.sanitisation.models import (
    Certificate,
    CertificateBatch,
    DriveDestruction,
    DriveErasure,
    ErasureEvidence,
    ErasureResult,
    NoStorageAttestation,
    SanitisationBasis,
    SanitisationLevel,
    SanitisationOutcome,
)
from devicebank.sanitisation.parsers import (
    MAX_REPORT_BYTES,
    ErasureReportError,
    error_json,
    parse_erasure_report,
)
from devicebank.sanitisation.parsers import DriveErasure as ParsedErasure

MOBILE_TYPES = ("tablet", "phone")
_LEVEL_ORDER = {SanitisationLevel.CLEAR: 0, SanitisationLevel.PURGE: 1, SanitisationLevel.DESTROY: 2}


def ensure_can_sanitise(by: User | None, device: Device) -> None:
    if by is None:
        return
    if DeviceState.SANITISED not in transition_targets_for(scope_for(by), device.programme_id):
        raise NotPermitted("Your role does not allow recording sanitisation in this programme.")


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


# ---- Recording evidence -----------------------------------------------------------------------------------


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


def _serious(warnings: list[str]) -> list[str]:
    """Warnings a person must act on; the note that log times were read as UTC is context, not a problem."""
    return [w for w in warnings if "time zone" not in w.lower() and "timezone" not in w.lower()]


def _needs_a_look(warnings: list[str], parsed: ParsedErasure) -> bool:
    """Flag a successful-looking record with implausible timing or an unknown or missing drive serial."""
    return bool(_serious(warnings)) and parsed.result in (
        ErasureResult.ERASED,
        ErasureResult.ERASED_UNVERIFIED,
    )


@transaction.atomic
def drive_erasure_review(*, record: DriveErasure, by: User, note: str) -> DriveErasure:
    """A person has looked at a flagged record and accepts it as evidence (saying why)."""
    locked = DriveErasure.objects.select_for_update().get(pk=record.pk)
    ensure_can_sanitise(by, locked.device)
    if not note.strip():
        raise DomainError("Say why the flagged record can be trusted.", field="note")
    if not locked.flagged or locked.reviewed_at is not None:
        raise DomainError("This record is not waiting for a review.")
    locked.reviewed_by, locked.reviewed_at, locked.review_note = by, timezone.now(), note.strip()
    locked.save(update_fields=["reviewed_by", "reviewed_at", "review_note", "updated_at"])
    record_event(
        kind=EventKind.DRIVE_ERASURE_RECORDED,
        subject=locked.device,
        actor=by,
        programme_id=locked.device.programme_id,
        reason=note.strip(),
        data={"erasure_id": locked.pk, "reviewed": True},
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


# ---- The outcome: into `sanitised` ------------------------------------------------------------------------


@transaction.atomic
def sanitisation_record_outcome(
    *,
    device: Device,
    by: User | None,
    summary: str = "",
    mobile_reset: bool = False,
    recorded_at: datetime | None = None,
    basis: str | None = None,
    level: str | None = None,
) -> Device:
    """Apply the rule to this pass's evidence and, if it holds, move the device to `sanitised`.

    The only way to `sanitised`: devices.services.device_transition refuses the move without the outcome this
    creates. Every failing rule is named in the error. `basis`/`level`, when given, must agree with the evidence.
    """
    locked = _lock(device, by)
    evidence = pass_evidence(locked, until=recorded_at, mobile_reset=mobile_reset or basis == "factory_reset")
    if not evidence.ok:
        raise DomainError(
            f"{locked.asset_tag} cannot be marked sanitised yet: " + " ".join(evidence.blockers)
        )
    assert evidence.basis is not None  # evidence.ok
    if basis is not None and basis != evidence.basis:
        raise DomainError(
            f"The evidence shows {SanitisationBasis(evidence.basis).label.lower()}, not {basis}."
        )
    when = recorded_at or timezone.now()
    outcome = SanitisationOutcome.objects.create(
        device=locked,
        basis=evidence.basis,
        level=level if level is not None else evidence.level,
        summary=summary or _summary(evidence),
        recorded_by=by,
        recorded_at=when,
    )
    record_event(
        kind=EventKind.SANITISATION_RECORDED,
        subject=outcome,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=when,
        data={"device_id": locked.pk, "basis": outcome.basis, "level": outcome.level},
    )
    return device_transition(
        device=locked,
        to=DeviceState.SANITISED,
        by=by,
        sanitisation=outcome,
        reason=outcome.summary,
        occurred_at=when,
    )


def _summary(ev: PassEvidence) -> str:
    if ev.basis == SanitisationBasis.NO_STORAGE:
        return "No storage present: " + ev.attestations[-1].reason
    if ev.basis == SanitisationBasis.FACTORY_RESET:
        return "Factory reset with encryption (phone or tablet)."
    parts = [
        f"{_name(e)} {e.get_result_display().lower()} by {e.tool} ({e.method or e.get_technique_display()})"
        for e in ev.erasures
        if e.counts(require_verified=ev.require_verified)
    ]
    parts += [f"{_name(d)} {d.get_method_display().lower()} by {d.destroyed_by}" for d in ev.destructions]
    return "; ".join(parts)


# ---- Importing reports ------------------------------------------------------------------------------------


@dataclass
class ErasureImportResult:
    """One file's outcome: one JSON object per drive (docs/erasure-reports.md), plus the device it was filed on."""

    rows: list[dict[str, Any]]
    device: Device | None = None
    records: list[DriveErasure] = field(default_factory=list)
    error: str | None = None


def _match_device(parsed: Iterable[ParsedErasure]) -> Device | None:
    drives = list(parsed)
    for item in drives:
        if item.device_serial:
            found = find_device_by_serial("", item.device_serial)
            if found is None:
                matches = list(Device.objects.filter(serial_key=serial_key(item.device_serial))[:2])
                found = matches[0] if len(matches) == 1 else None
            if found is not None:
                return found
    for item in drives:
        key = serial_key(item.drive_serial)
        if key:
            owners = list(
                DeviceDrive.objects.filter(serial_key=key, removed_at__isnull=True).select_related("device")[
                    :2
                ]
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
    target = device or _match_device(report.drives)
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
    if by is not None and target.pk not in set(
        Device.objects.filter(scope_for(by).device_filter(), pk=target.pk).values_list("pk", flat=True)
    ):
        message = f"{file_name}: the device it describes is not one you can see."
        return ErasureImportResult([error_json(file_name, message)], error=message)
    with transaction.atomic():
        locked = _lock(target, by)
        evidence = ErasureEvidence.objects.create(
            device=locked,
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            raw_size=len(data),
            raw_gzip=gzip.compress(data, mtime=0),
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
                "file": file_name,
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
    data = gzip.decompress(bytes(evidence.raw_gzip))
    if hashlib.sha256(data).hexdigest() != evidence.sha256:
        raise DomainError("The stored report does not match its SHA-256: it has been altered.")
    return data


# ---- Certificates -----------------------------------------------------------------------------------------


def _certificate_page(device: Device) -> dict[str, Any]:
    """The facts and page for a device's certificate of its current sanitisation; refuses when the evidence
    does not (or no longer) satisfy the rule, so a failed wipe can never produce a certificate."""
    from devicebank.sanitisation import certificates

    outcome = device.sanitisation
    if outcome is None:
        raise DomainError(f"{device.asset_tag} has no sanitisation recorded for this pass: no certificate.")
    evidence = pass_evidence(
        device, until=outcome.recorded_at, mobile_reset=outcome.basis == SanitisationBasis.FACTORY_RESET
    )
    if not evidence.ok:
        raise DomainError(f"{device.asset_tag}'s evidence does not hold: " + " ".join(evidence.blockers))
    facts = certificates.device_facts(device, outcome, evidence)
    return {"facts": facts, "sha256": certificates.canonical_sha256(facts), "outcome": outcome}


def _supersede_and_save(
    cert: Certificate, previous: Certificate | None, by: User | None, programme_id: int | None, subject: Any
) -> None:
    record_event(
        kind=EventKind.CERTIFICATE_ISSUED,
        subject=subject,
        actor=by,
        programme_id=programme_id,
        data={
            "certificate": cert.number,
            "sha256": cert.content_sha256,
            "evidence": [{"type": "sanitisation.certificate", "id": cert.pk}],
        },
    )
    if previous is not None:
        previous.superseded_by, previous.superseded_at = cert, cert.issued_at
        previous.save(update_fields=["superseded_by", "superseded_at", "updated_at"])
        record_event(
            kind=EventKind.CERTIFICATE_SUPERSEDED,
            subject=subject,
            actor=by,
            programme_id=programme_id,
            data={"certificate": previous.number, "superseded_by": cert.number},
        )


@transaction.atomic
def certificate_issue_for_device(*, device: Device, by: User | None) -> Certificate:
    """Issue (or re-issue, superseding the current one) a device's certificate of sanitisation."""
    from devicebank.sanitisation import certificates

    locked = (
        Device.objects.select_for_update(of=("self",))
        .select_related(
            "programme", "donor", "custodian", "location__organisation", "sanitisation__recorded_by"
        )
        .get(pk=device.pk)
    )
    ensure_can_sanitise(by, locked)
    page = _certificate_page(locked)
    previous = (
        Certificate.objects.select_for_update().filter(device=locked, superseded_by__isnull=True).first()
    )
    number, now = certificates.next_number(), timezone.now()
    pdf = certificates.render_pdf(
        [certificates.page_context(number, "device", page["facts"], page["sha256"], now)]
    )
    cert = Certificate.objects.create(
        number=number,
        kind=Certificate.Kind.DEVICE,
        device=locked,
        outcome=page["outcome"],
        facts=page["facts"],
        content_sha256=page["sha256"],
        pdf=pdf,
        issued_at=now,
        issued_by=by,
    )
    _supersede_and_save(cert, previous, by, locked.programme_id, locked)
    return cert


@transaction.atomic
def certificate_batch_start(*, donation: Any, by: User | None) -> CertificateBatch:
    """Queue the certificates of a whole donation (every sanitised device, and one for the donation)."""
    from devicebank.sanitisation import tasks

    if by is not None and DeviceState.SANITISED not in transition_targets_for(
        scope_for(by), donation.programme_id
    ):
        raise NotPermitted("Your role does not allow issuing certificates in this programme.")
    if not Device.objects.filter(donation=donation, sanitisation__isnull=False).exists():
        raise DomainError("No device of this donation is sanitised yet: there is nothing to certify.")
    batch = CertificateBatch.objects.create(donation=donation, requested_by=by)
    transaction.on_commit(lambda: tasks.run_certificate_batch.delay(batch.pk))
    return batch


def certificate_batch_run(*, batch_id: int) -> CertificateBatch:
    """Make a donation's certificates in the background. Safe to run twice: only the run that claims it works."""
    claimed = CertificateBatch.objects.filter(pk=batch_id, status=CertificateBatch.Status.QUEUED).update(
        status=CertificateBatch.Status.RUNNING
    )
    batch = CertificateBatch.objects.select_related(
        "donation__donor", "donation__programme", "requested_by"
    ).get(pk=batch_id)
    if not claimed:
        return batch
    try:
        with transaction.atomic():
            _build_batch(batch)
    except DomainError as error:
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.FAILED, error=error.message, finished_at=timezone.now()
        )
        batch.refresh_from_db()
    return batch


def _build_batch(batch: CertificateBatch) -> None:
    import io
    import zipfile

    from devicebank.sanitisation import certificates

    donation, by = batch.donation, batch.requested_by
    devices = list(
        Device.objects.filter(donation=donation)
        .select_related(
            "programme", "donor", "custodian", "location__organisation", "sanitisation__recorded_by"
        )
        .order_by("asset_tag")
    )
    sanitised = [d for d in devices if d.sanitisation_id]
    CertificateBatch.objects.filter(pk=batch.pk).update(devices_total=len(sanitised))
    current = {
        c.device_id: c for c in Certificate.objects.filter(device__in=sanitised, superseded_by__isnull=True)
    }
    fresh: list[tuple[Device, dict[str, Any], Certificate | None]] = []
    for device in sanitised:
        existing = current.get(device.pk)
        if existing is not None and existing.outcome_id == device.sanitisation_id:
            continue  # its certificate already states this pass
        fresh.append((device, _certificate_page(device), existing))
    now = timezone.now()
    year_prefix = certificates.next_number()
    first = int(year_prefix.rsplit("-", 1)[1])
    contexts = [
        certificates.page_context(
            f"{year_prefix.rsplit('-', 1)[0]}-{first + i:06d}", "device", page["facts"], page["sha256"], now
        )
        for i, (_, page, _) in enumerate(fresh)
    ]
    pdfs = certificates.render_each(contexts) if contexts else []
    for (device, page, previous), context, pdf in zip(fresh, contexts, pdfs, strict=True):
        cert = Certificate.objects.create(
            number=context["number"],
            kind=Certificate.Kind.DEVICE,
            device=device,
            outcome=page["outcome"],
            facts=page["facts"],
            content_sha256=page["sha256"],
            pdf=pdf,
            issued_at=now,
            issued_by=by,
        )
        _supersede_and_save(cert, previous, by, device.programme_id, device)
        current[device.pk] = cert
    CertificateBatch.objects.filter(pk=batch.pk).update(devices_done=len(sanitised))
    device_certs = [current[d.pk] for d in sanitised]
    facts = certificates.donation_facts(donation, device_certs, pending=len(devices) - len(sanitised))
    sha, number = certificates.canonical_sha256(facts), certificates.next_number()
    donation_pdf = certificates.render_pdf([certificates.page_context(number, "donation", facts, sha, now)])
    previous_donation = Certificate.objects.filter(donation=donation, superseded_by__isnull=True).first()
    donation_cert = Certificate.objects.create(
        number=number,
        kind=Certificate.Kind.DONATION,
        donation=donation,
        facts=facts,
        content_sha256=sha,
        pdf=donation_pdf,
        issued_at=now,
        issued_by=by,
    )
    _supersede_and_save(donation_cert, previous_donation, by, donation.programme_id, donation)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{donation_cert.number}-{donation.reference}.pdf", donation_pdf)
        for cert in device_certs:
            archive.writestr(f"{cert.number}-{cert.facts['device']['asset_tag']}.pdf", bytes(cert.pdf))
    batch.certificate, batch.zip_file = donation_cert, buffer.getvalue()
    batch.status, batch.finished_at = CertificateBatch.Status.DONE, timezone.now()
    batch.save(update_fields=["certificate", "zip_file", "status", "finished_at", "updated_at"])
