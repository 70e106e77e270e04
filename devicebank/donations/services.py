"""Donation services: the donation lifecycle with chain of custody, and asset-register imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from devicebank.core.bulk import EVENT_COLUMNS, insert_rows, json_text, reserve_ids
from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.evidence import evidence_delete, evidence_read, evidence_store
from devicebank.core.jobs import JobEnded, job_claim, job_fail
from devicebank.core.models import Event, EventKind
from devicebank.core.tasks import enqueue_on_commit
from devicebank.devices.models import Device, DeviceType, StorageKind
from devicebank.devices.selectors import device_find
from devicebank.devices.services import (
    BulkDevice,
    DeviceSpec,
    RegisteredSerial,
    device_bulk_register,
    existing_serial_keys,
)
from devicebank.devices.states import DeviceState
from devicebank.donations.models import Donation, RegisterImport
from devicebank.donations.permissions import can_manage_donations
from devicebank.donations.register import (
    HeaderMapping,
    RegisterFileError,
    RegisterRow,
    Table,
    apply_mapping_choice,
    check_size,
    file_fingerprint,
    guess_mapping,
    parse_rows,
    precheck,
    read_table,
    rejected_rows_csv,
)
from devicebank.donations.states import DonationState, check_donation_transition
from devicebank.people.access import acting_scope
from devicebank.people.models import Location, Organisation, User
from devicebank.people.roles import OrganisationKind
from devicebank.programmes.models import Programme

D = DonationState
# Named, not imported: donations.tasks imports these services (core.tasks.enqueue_on_commit).
RUN_REGISTER_IMPORT = "devicebank.donations.tasks.run_register_import"
CHECK_REGISTER_IMPORT = "devicebank.donations.tasks.check_register_import"


def _ensure_can_manage(by: User | None, programme_id: int) -> None:
    can_manage_donations.require(acting_scope(by), programme_id)


@transaction.atomic
def donation_create(
    *,
    programme: Programme,
    donor: Organisation,
    by: User | None,
    description: str = "",
    expected_count: int | None = None,
    drop_point: Location | None = None,
) -> Donation:
    _ensure_can_manage(by, programme.pk)
    if donor.kind != OrganisationKind.DONOR:
        raise DomainError("That organisation is not a donor.", field="donor")
    if expected_count is not None and expected_count < 0:
        raise DomainError("The expected number of devices cannot be negative.", field="expected_count")
    donation = Donation.objects.create(
        programme=programme,
        donor=donor,
        description=description.strip(),
        expected_count=expected_count,
        drop_point=drop_point,
        created_by=by,
    )
    record_event(
        kind=EventKind.DONATION_CREATED,
        subject=donation,
        actor=by,
        programme_id=programme.pk,
        data={"donor": {"id": donor.pk}, "expected_count": expected_count},
    )
    return donation


def _move(
    donation: Donation, target: DonationState, by: User | None, data: dict[str, Any], reason: str = ""
) -> None:
    old = donation.state
    donation.state = check_donation_transition(donation.state, target)
    record_event(
        kind=EventKind.DONATION_STATE_CHANGED,
        subject=donation,
        actor=by,
        programme_id=donation.programme_id,
        reason=reason,
        data={"old": old, "new": target.value, **data},
    )


def _lock(donation: Donation, by: User | None) -> Donation:
    locked = Donation.objects.select_for_update().select_related("programme", "donor").get(pk=donation.pk)
    _ensure_can_manage(by, locked.programme_id)
    return locked


@transaction.atomic
def donation_arrange_collection(
    *, donation: Donation, by: User | None, collection_date: date, address: str, collector: str
) -> Donation:
    locked = _lock(donation, by)
    if not address.strip():
        raise DomainError("Give the collection address.", field="collection_address")
    if not collector.strip():
        raise DomainError("Say who will collect.", field="collector")
    locked.collection_date, locked.collection_address, locked.collector = (
        collection_date,
        address.strip(),
        collector.strip(),
    )
    _move(
        locked,
        D.COLLECTION_ARRANGED,
        by,
        {"collection_date": collection_date.isoformat()},  # who collects is on the donation, erasable
    )
    locked.save(update_fields=["state", "collection_date", "collection_address", "collector", "updated_at"])
    return locked


@transaction.atomic
def donation_mark_collected(
    *, donation: Donation, by: User | None, collected_by: str = "", at: datetime | None = None
) -> Donation:
    """The collector has the devices: a custody event on the donation and on each of its devices."""
    locked = _lock(donation, by)
    who = collected_by.strip() or locked.collector
    when = at or timezone.now()
    # Who collected is words about a person: kept in the event's erasable note, not in its data.
    _move(locked, D.COLLECTED, by, {"at": when.isoformat()}, reason=f"Collected by {who}" if who else "")
    locked.save(update_fields=["state", "updated_at"])
    _custody_for_devices(locked, by, {"stage": "collected"}, when)
    return locked


@transaction.atomic
def donation_mark_received(
    *, donation: Donation, by: User | None, location: Location, at: datetime | None = None
) -> Donation:
    """The batch has arrived at a site. Devices are then checked in one by one (scan to receive)."""
    locked = _lock(donation, by)
    when = at or timezone.now()
    _move(locked, D.RECEIVED, by, {"location": {"id": location.pk}})
    locked.received_at, locked.received_on = location, when
    locked.save(update_fields=["state", "received_at", "received_on", "updated_at"])
    _custody_for_devices(
        locked,
        by,
        {"stage": "arrived", "location": {"id": location.pk}},
        when,
    )
    return locked


@transaction.atomic
def donation_cancel(*, donation: Donation, by: User | None, reason: str) -> Donation:
    """The donor withdrew: the donation is cancelled and its still-pledged devices are withdrawn."""
    from devicebank.devices.services import device_transition

    locked = _lock(donation, by)
    if not reason.strip():
        raise DomainError("Say why the donation is cancelled.", field="reason")
    _move(locked, D.CANCELLED, by, {}, reason=reason.strip())
    locked.save(update_fields=["state", "updated_at"])
    for device in Device.objects.filter(donation=locked, state=DeviceState.PLEDGED):
        device_transition(device=device, to=DeviceState.WITHDRAWN, by=by, reason=reason.strip())
    return locked


def _custody_for_devices(donation: Donation, by: User | None, data: dict[str, Any], when: datetime) -> None:
    """One custody event per device of the donation, written in bulk (a donation can hold thousands)."""
    device_ids = list(Device.objects.filter(donation=donation).values_list("id", flat=True))
    if not device_ids:
        return
    ids = reserve_ids(Event, len(device_ids))
    payload = json_text({**data, "donation_id": donation.pk})
    rows = [
        (
            event_id,
            when,
            by.pk if by else None,
            EventKind.DEVICE_CUSTODY_RECORDED.value,
            "devices.device",
            device_id,
            donation.programme_id,
            "",
            payload,
            None,
        )
        for event_id, device_id in zip(ids, device_ids, strict=True)
    ]
    insert_rows(Event, EVENT_COLUMNS, rows)


# ---- Asset-register imports -------------------------------------------------------------------------------


@dataclass
class RegisterCheck:
    """The outcome of checking a register against the file rules and against stock."""

    rows: list[RegisterRow]
    to_create: list[RegisterRow]
    already_imported: list[RegisterRow]
    rejected: list[RegisterRow]


def register_check(donation: Donation, rows: list[RegisterRow]) -> RegisterCheck:
    """Sort parsed rows into new devices, rows already imported into this donation, and rejected rows.

    A serial already in stock elsewhere is rejected; the same serial in this donation means the row was imported
    before, so it is skipped, which makes re-imports change nothing. The rejected rows are read back by everyone
    who sees the donation (its programme's staff and the donor), so a clash names the device ("already
    registered as NBT-000123") only when all of them may see it: the same programme and the same donor.
    Otherwise the row says only that the serial cannot be registered here (devices.services
    SERIAL_NOT_REGISTRABLE): not whose it is, where, or under which tag.
    """
    pairs = [(r.manufacturer_key, r.serial_key) for r in rows if r.ok and r.serial_key is not None]
    stock = existing_serial_keys(pairs)
    in_donation = (
        set(Device.objects.filter(donation=donation).values_list("manufacturer_key", "serial_key"))
        if stock
        else set()
    )
    donor_tags = set(
        Device.objects.filter(donation=donation)
        .exclude(donor_asset_tag="")
        .values_list("donor_asset_tag", flat=True)
    )
    to_create: list[RegisterRow] = []
    already: list[RegisterRow] = []
    rejected: list[RegisterRow] = []
    for row in rows:
        if not row.ok:
            rejected.append(row)
            continue
        key = (row.manufacturer_key, row.serial_key or "")
        if key[1] and key in stock:
            if key in in_donation:
                already.append(row)
            else:
                row.errors.append(_clash_reason(donation, stock[key]))
                rejected.append(row)
        elif not key[1] and row.values.get("asset_tag") and row.values["asset_tag"] in donor_tags:
            already.append(row)
        else:
            to_create.append(row)
    return RegisterCheck(rows=rows, to_create=to_create, already_imported=already, rejected=rejected)


def _clash_reason(donation: Donation, existing: RegisteredSerial) -> str:
    if existing.programme_id == donation.programme_id and existing.donor_id == donation.donor_id:
        return f"already registered as {existing.asset_tag}"
    return SERIAL_NOT_REGISTRABLE_ROW


# The same refusal as devices.services.SERIAL_NOT_REGISTRABLE, worded for a row of a report.
SERIAL_NOT_REGISTRABLE_ROW = "this serial number cannot be registered here: ask your programme manager"


def register_rows(imp: RegisterImport) -> list[RegisterRow]:
    """Read an import's stored file with its mapping into checked rows."""
    table = read_table(register_file_bytes(imp), filename=imp.file_name)
    mapping = HeaderMapping(columns={k: int(v) for k, v in imp.mapping.items()})
    return parse_rows(table, mapping)


@transaction.atomic
def register_import_start(
    *, donation: Donation, file_name: str, data: bytes, by: User | None, max_bytes: int | None = None
) -> tuple[RegisterImport, bool]:
    """Take an uploaded register: refuse unusable files, note the mapping, check the rows.

    A file over `DEVICEBANK_REGISTER_CHECK_IN_REQUEST_BYTES` is kept and checked by a background job
    (`register_import_check`): reading a 50 MB workbook takes minutes, not a request. What can be known without
    reading the rows (size, an XLSX's unpacked size and kind) is refused here either way.

    Returns the import and whether it is a file already imported into this donation (then nothing changes).
    Raises RegisterFileError (nothing written) for a file that cannot be used.
    """
    _ensure_can_manage(by, donation.programme_id)
    if donation.state == D.CANCELLED:
        raise DomainError("This donation is cancelled.")
    from django.conf import settings

    check_size(len(data), max_bytes or settings.DEVICEBANK_MAX_UPLOAD_BYTES)
    sha = file_fingerprint(data)
    previous = RegisterImport.objects.filter(
        donation=donation, file_sha256=sha, status=RegisterImport.Status.COMPLETED
    ).first()
    if previous is not None:
        return previous, True
    if len(data) > settings.DEVICEBANK_REGISTER_CHECK_IN_REQUEST_BYTES:
        precheck(data, filename=file_name)
        imp = RegisterImport.objects.create(
            donation=donation,
            file_name=file_name[:255],
            file_sha256=sha,
            stored_file=evidence_store(data, folder="registers", suffix=_extension(file_name)).name,
            status=RegisterImport.Status.UPLOADED,
            created_by=by,
        )
        enqueue_on_commit(CHECK_REGISTER_IMPORT, imp.pk)
        return imp, False
    table = read_table(data, filename=file_name)
    imp = RegisterImport(
        donation=donation,
        file_name=file_name[:255],
        file_sha256=sha,
        stored_file=evidence_store(data, folder="registers", suffix=_extension(file_name)).name,
        status=RegisterImport.Status.NEEDS_MAPPING,
        created_by=by,
        # Set, not left to the database default: checking the rows reads them before the row is saved.
        report_file="",
        report_sha256="",
    )
    _take_table(imp, table)
    imp.save()
    return imp, False


def _take_table(imp: RegisterImport, table: Table) -> None:
    """Note what reading the file found, and check the rows when every column is placed (unsaved)."""
    mapping = guess_mapping(table.headers)
    imp.file_format = table.format
    imp.encoding = table.encoding or ""
    imp.headers = table.headers
    imp.mapping = mapping.columns
    imp.warnings = list(table.warnings)
    imp.rows_total = len(table.rows)
    if not mapping.unmapped:
        _check_rows(imp, parse_rows(table, mapping))


def register_import_check(*, import_id: int) -> RegisterImport:
    """Check a large uploaded register in the background. Safe to run twice: only the run that claims the
    UPLOADED row does anything. A file over the limits (or unreadable) ends FAILED with the reason, its kept
    bytes dropped; nothing else is written."""
    S = RegisterImport.Status
    claimed = job_claim(RegisterImport, import_id, waiting=S.UPLOADED, running=S.CHECKING)
    imp = RegisterImport.objects.select_related("donation").get(pk=import_id)
    if not claimed:
        return imp
    try:
        table = read_table(register_file_bytes(imp), filename=imp.file_name)
        with transaction.atomic():
            _take_table(imp, table)
            del table
            if imp.status == S.CHECKING:
                imp.status = S.NEEDS_MAPPING
            if not RegisterImport.objects.filter(pk=import_id, status=S.CHECKING).update(
                updated_at=timezone.now()
            ):
                raise JobEnded(f"Register import {import_id} was ended by the sweeper before it was checked.")
            imp.save(
                update_fields=[
                    *_RESULT_FIELDS,
                    "file_format",
                    "encoding",
                    "headers",
                    "mapping",
                    "warnings",
                    "status",
                    "updated_at",
                ]
            )
    except Exception as error:  # a job must end, whatever it meets: job_fail keeps a reason a person can read
        job_fail(RegisterImport, import_id, error, expected=[S.CHECKING])
        unusable = isinstance(error, RegisterFileError)  # the file cannot be used: keep none of it
        if unusable and RegisterImport.objects.filter(pk=import_id, status=S.FAILED).update(stored_file=""):
            evidence_delete(imp.stored_file)
        imp.refresh_from_db()
    return imp


@transaction.atomic
def register_import_set_mapping(
    *, imp: RegisterImport, choice: dict[str, str | None], by: User | None
) -> RegisterImport:
    """Apply the person's answers from the confirm-the-mapping screen; problems come back as a DomainError."""
    locked = RegisterImport.objects.select_for_update().select_related("donation").get(pk=imp.pk)
    _ensure_can_manage(by, locked.donation.programme_id)
    if locked.status not in (RegisterImport.Status.NEEDS_MAPPING, RegisterImport.Status.VALIDATED):
        raise DomainError("This import has already started.")
    mapping = apply_mapping_choice(list(locked.headers), choice)
    if not mapping.ok:
        raise DomainError(" ".join(mapping.problems), field="mapping")
    locked.mapping = mapping.columns
    table = read_table(register_file_bytes(locked), filename=locked.file_name)
    _validate(locked, parse_rows(table, mapping))
    return locked


def _validate(imp: RegisterImport, rows: list[RegisterRow]) -> RegisterCheck:
    check = _check_rows(imp, rows)
    imp.save(update_fields=[*_RESULT_FIELDS, "mapping", "status", "updated_at"])
    return check


def _check_rows(imp: RegisterImport, rows: list[RegisterRow]) -> RegisterCheck:
    """Count the rows against stock and note the result on the import (unsaved): VALIDATED."""
    check = register_check(imp.donation, rows)
    imp.rows_total = len(rows)
    imp.rows_valid = len(check.to_create)
    imp.rows_rejected = len(check.rejected)
    imp.rows_already_imported = len(check.already_imported)
    _keep_report(imp, check.rejected)
    imp.rejected_preview = _preview(check.rejected)
    imp.status = RegisterImport.Status.VALIDATED
    return check


@transaction.atomic
def register_import_queue(*, imp: RegisterImport, mode: str, by: User | None) -> RegisterImport:
    """Confirm the import; the work runs in the background (tasks.run_register_import)."""
    locked = RegisterImport.objects.select_for_update().select_related("donation").get(pk=imp.pk)
    _ensure_can_manage(by, locked.donation.programme_id)
    if locked.status != RegisterImport.Status.VALIDATED:
        raise DomainError(
            "Confirm the columns before importing."
            if locked.status == "needs_mapping"
            else "This import has already started."
        )
    if mode not in RegisterImport.Mode.values:
        raise DomainError("Choose how to import.", field="mode")
    if mode == RegisterImport.Mode.ALL_OR_NOTHING and locked.rows_rejected:
        raise DomainError(
            f"{locked.rows_rejected} rows have problems, so the whole file cannot be imported. Download the report, "
            "fix them and upload again, or choose to import the valid rows.",
            field="mode",
        )
    locked.mode = mode
    locked.status = RegisterImport.Status.QUEUED
    locked.save(update_fields=["mode", "status", "updated_at"])
    enqueue_on_commit(RUN_REGISTER_IMPORT, locked.pk)
    return locked


def register_import_run(*, import_id: int) -> RegisterImport:
    """Do a queued import. Safe to run twice: only the run that claims the QUEUED row does anything.

    Checking rows commits progress as it goes (so the progress bar moves); writing devices is one transaction,
    so the file lands whole or not at all.
    """
    S = RegisterImport.Status
    claimed = job_claim(RegisterImport, import_id, waiting=S.QUEUED, running=S.IMPORTING, rows_done=0)
    imp = RegisterImport.objects.select_related(
        "donation", "donation__programme", "donation__donor", "created_by"
    ).get(pk=import_id)
    if not claimed:
        return imp
    try:
        rows = register_rows(imp)
        RegisterImport.objects.filter(pk=imp.pk).update(rows_done=len(rows) // 2)
        with transaction.atomic():
            check = register_check(imp.donation, rows)
            if imp.mode == RegisterImport.Mode.ALL_OR_NOTHING and check.rejected:
                raise DomainError(
                    f"{len(check.rejected)} rows have problems now (stock changed since the check): nothing imported."
                )
            tags = device_bulk_register(
                programme=imp.donation.programme,
                devices=[_bulk(row) for row in check.to_create],
                by=imp.created_by,
                donor=imp.donation.donor,
                donation_id=imp.donation.pk,
                register_import_id=imp.pk,
            )
            imp.rows_valid = len(check.to_create)
            imp.rows_rejected = len(check.rejected)
            imp.rows_already_imported = len(check.already_imported)
            imp.devices_created = len(tags)
            _keep_report(imp, check.rejected)
            imp.rejected_preview = _preview(check.rejected)
            imp.rows_done = len(rows)
            if not RegisterImport.objects.filter(pk=imp.pk, status=S.IMPORTING).update(
                updated_at=timezone.now()
            ):
                raise JobEnded(f"Register import {imp.pk} was ended by the sweeper before it finished.")
            imp.status = RegisterImport.Status.COMPLETED
            imp.finished_at = timezone.now()
            imp.save(
                update_fields=[
                    *_RESULT_FIELDS,
                    "devices_created",
                    "rows_done",
                    "status",
                    "finished_at",
                    "updated_at",
                ]
            )
            record_event(
                kind=EventKind.REGISTER_IMPORTED,
                subject=imp.donation,
                actor=imp.created_by,
                programme_id=imp.donation.programme_id,
                data={
                    "import_id": imp.pk,  # the import keeps the file's name
                    "sha256": imp.file_sha256,
                    "created": len(tags),
                    "rejected": len(check.rejected),
                    "already_imported": len(check.already_imported),
                },
            )
    except Exception as error:  # a job must end, whatever it meets: job_fail keeps a reason a person can read
        job_fail(RegisterImport, imp.pk, error, expected=[S.IMPORTING])
        imp.refresh_from_db()
    return imp


PREVIEW_ROWS = 20
_RESULT_FIELDS = [
    "rows_total",
    "rows_valid",
    "rows_rejected",
    "rows_already_imported",
    "report_file",
    "report_sha256",
    "rejected_preview",
]


def register_file_bytes(imp: RegisterImport) -> bytes:
    """The uploaded register, from evidence storage, checked against its SHA-256."""
    return evidence_read(imp.stored_file, imp.file_sha256)


def _keep_report(imp: RegisterImport, rejected: list[RegisterRow]) -> None:
    """Store the rejected rows CSV (replacing the one from an earlier check) or clear it when there are none."""
    old = imp.report_file
    if rejected:
        stored = evidence_store(rejected_rows_csv(rejected), folder="register-reports", suffix=".csv")
        imp.report_file, imp.report_sha256 = stored.name, stored.sha256
    else:
        imp.report_file, imp.report_sha256 = "", ""
    evidence_delete(old)


def _extension(file_name: str) -> str:
    ext = file_name[file_name.rfind(".") :].lower() if "." in file_name else ""
    return ext if ext[1:].isalnum() and len(ext) <= 6 else ""


def _preview(rejected: list[RegisterRow]) -> list[dict[str, Any]]:
    return [{"line": row.line, "reasons": list(row.errors)} for row in rejected[:PREVIEW_ROWS]]


def _bulk(row: RegisterRow) -> BulkDevice:
    v = row.values
    return BulkDevice(
        v.get("device_type") or DeviceType.LAPTOP,
        v.get("manufacturer") or "",
        v.get("model") or "",
        v.get("serial_number"),
        row.serial_key,
        v.get("cpu_model") or "",
        v.get("ram_bytes"),
        v.get("storage_bytes"),
        v.get("storage_kind") or StorageKind.UNKNOWN,
        v.get("asset_tag") or "",
    )


# ---- Scan to receive ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    """What one scan did. `outcome`: received, already_received, not_in_donation, unknown, not_allowed."""

    outcome: str
    message: str
    device: Device | None = None


@transaction.atomic
def donation_receive_scan(
    *, donation: Donation, code: str, location: Location, by: User | None
) -> ScanResult:
    """Receive the device a barcode names (asset tag or serial) into `location`."""
    from devicebank.devices.services import device_transition

    code = code.strip()
    if not code:
        raise DomainError("Scan or type an asset tag or serial number.", field="code")
    if len(code) > 100:
        raise DomainError("That is too long for an asset tag or serial number.", field="code")
    _ensure_can_manage(by, donation.programme_id)
    # Among the devices this person may see only: another scheme's tag or serial is "unknown", like a typo.
    device = device_find(scope=acting_scope(by), code=code, donation_id=donation.pk)
    if device is None:
        return ScanResult(
            "unknown", f"{code} is not on any register. Add it to this donation if it came with it."
        )
    if device.donation_id != donation.pk:
        # Another donation is named only in this donation's programme, whose staff see its donations.
        same_programme = device.programme_id == donation.programme_id
        where = f"donation DON-{device.donation_id:05d}" if device.donation_id and same_programme else None
        elsewhere = f"belongs to {where}, not this one" if where else "is not part of this donation"
        return ScanResult("not_in_donation", f"{device.asset_tag} ({code}) {elsewhere}.", device)
    if device.state != DeviceState.PLEDGED:
        return ScanResult(
            "already_received", f"{device.asset_tag} is already {device.state_label.lower()}.", device
        )
    device = device_transition(
        device=device,
        to=DeviceState.RECEIVED,
        by=by,
        location=location,
        reason=f"Scanned in from donation {donation.reference}",
    )
    return ScanResult("received", f"{device.asset_tag} received at {location.name}.", device)


@transaction.atomic
def donation_add_unexpected(
    *, donation: Donation, spec: DeviceSpec, location: Location, by: User | None
) -> Device:
    """A device arrived that was not on the register: register it on the spot, received, in this donation."""
    from devicebank.devices.services import device_register

    _ensure_can_manage(by, donation.programme_id)
    return device_register(
        programme=donation.programme,
        spec=spec,
        by=by,
        state=DeviceState.RECEIVED,
        location=location,
        donor=donation.donor,
        donation=donation,
        reason=f"Arrived with donation {donation.reference}, not on its register",
    )
