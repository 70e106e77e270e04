"""Device services: the only code that creates devices or changes their state.

Each service locks the row it changes, checks the rule, saves only the changed fields and writes one Event,
all in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from devicebank.core.errors import Conflict, DomainError, NotPermitted
from devicebank.core.events import record_event, subject_type_of
from devicebank.core.models import EventKind
from devicebank.devices.guards import blocking_reasons
from devicebank.devices.identity import canonical_manufacturer, clean_serial, manufacturer_key, serial_key
from devicebank.devices.models import Device, DeviceType, StorageKind
from devicebank.devices.permissions import (
    can_change_devices,
    can_correct_devices,
    transition_targets_for,
)
from devicebank.devices.states import (
    RESETS_SANITISATION,
    DeviceState,
    InvalidTransition,
    check_transition,
)
from devicebank.people.access import AccessScope, acting_scope, scope_for
from devicebank.people.models import Location, Organisation, User
from devicebank.programmes.models import Programme
from devicebank.programmes.selectors import programme_organisations
from devicebank.programmes.services import format_asset_tag, programme_allocate_asset_numbers


class HandoverKind(models.TextChoices):
    GIFT = "gift", "Gift"
    SALE = "sale", "Sale"
    LOAN = "loan", "Loan"
    OWNERSHIP_TRANSFER = "ownership_transfer", "Ownership transfer"


# What a person is told when their serial clashes with a device they may not see: the write is refused (serials
# are unique across every scheme), and nothing says whose device it is, where, or under which tag.
SERIAL_NOT_REGISTRABLE = (
    "This serial number cannot be registered here. Check it against the device; if it is right, ask your "
    "programme manager."
)


class DuplicateDevice(DomainError):
    """A serial (with its maker) that is already registered. The existing device is named only to someone whose
    scope may see it; anyone else reads SERIAL_NOT_REGISTRABLE."""

    code = "duplicate_device"

    def __init__(self, existing: Device, scope: AccessScope) -> None:
        visible = Device.objects.filter(scope.device_filter(), pk=existing.pk).exists()
        super().__init__(
            f"A {existing.manufacturer} device with serial {existing.serial_number} is already registered "
            f"as {existing.asset_tag}."
            if visible
            else SERIAL_NOT_REGISTRABLE,
            field="serial_number",
        )


@dataclass(frozen=True)
class DeviceSpec:
    """What is known about a device when it is registered."""

    device_type: str = DeviceType.LAPTOP
    manufacturer: str = ""
    model: str = ""
    serial_number: str | None = None
    cpu_model: str = ""
    ram_bytes: int | None = None
    storage_bytes: int | None = None
    storage_kind: str = StorageKind.UNKNOWN


def find_device_by_serial(manufacturer: str, serial: str | None) -> Device | None:
    """The device holding this (maker, serial) anywhere, in every scheme: for the uniqueness rule before a write
    only. Lookups for a person go through `devices.selectors.device_find`, inside their scope."""
    key = serial_key(serial)
    if key is None:
        return None
    return Device.objects.filter(manufacturer_key=manufacturer_key(manufacturer), serial_key=key).first()


CUSTODIAN_OUTSIDE = "That organisation does not work in this programme: choose one of the programme's own."
LOCATION_OUTSIDE = (
    "That location belongs to an organisation outside this programme: choose one of the programme's."
)


def _ensure_works_with(programme_id: int, location: Location | None, custodian: Organisation | None) -> None:
    """Devices are only placed with, and held by, the organisations their programme works with
    (programmes.selectors.programme_organisations): otherwise another scheme's staff would see them. The refusal
    names no organisation: the person may not be able to see it."""
    wanted = {location.organisation_id} if location is not None else set()
    if custodian is not None:
        wanted.add(custodian.pk)
    if not wanted:
        return
    known = set(
        programme_organisations(programme_id=programme_id).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if location is not None and location.organisation_id not in known:
        raise DomainError(LOCATION_OUTSIDE, field="location")
    if custodian is not None and custodian.pk not in known:
        raise DomainError(CUSTODIAN_OUTSIDE, field="custodian")


def _ensure_can(by: User | None, programme_id: int, target: DeviceState) -> None:
    if by is None:
        return  # the system itself (imports, seeding) acting under a service's own checks
    scope = scope_for(by)
    if target not in transition_targets_for(scope, programme_id):
        raise NotPermitted(
            f"Your role does not allow marking devices as {target.label.lower()} in this programme."
        )


@transaction.atomic
def device_register(
    *,
    programme: Programme,
    spec: DeviceSpec,
    by: User | None,
    state: DeviceState = DeviceState.PLEDGED,
    location: Location | None = None,
    custodian: Organisation | None = None,
    donor: Organisation | None = None,
    donation: Any = None,
    reason: str = "",
    occurred_at: datetime | None = None,
) -> Device:
    """Register a new device as pledged (expected) or received (already here); refuse duplicates."""
    if state not in (DeviceState.PLEDGED, DeviceState.RECEIVED):
        raise InvalidTransition("A new device starts as pledged or received.")
    _ensure_can(by, programme.pk, state)
    if state == DeviceState.RECEIVED and location is None:
        raise DomainError("Say where the device was received.", field="location")
    if spec.device_type not in DeviceType.values:
        raise DomainError(f"{spec.device_type!r} is not a device type.", field="device_type")
    for name in ("ram_bytes", "storage_bytes"):
        value = getattr(spec, name)
        if value is not None and value < 0:
            raise DomainError("Sizes cannot be negative.", field=name)
    _ensure_works_with(programme.pk, location, custodian)
    manufacturer = canonical_manufacturer(spec.manufacturer)
    existing = find_device_by_serial(manufacturer, spec.serial_number)
    if existing is not None:
        raise DuplicateDevice(existing, acting_scope(by))

    number = programme_allocate_asset_numbers(programme=programme, count=1)[0]
    now = occurred_at or timezone.now()
    device = Device(
        asset_tag=format_asset_tag(programme.asset_tag_prefix, number),
        programme=programme,
        device_type=spec.device_type,
        manufacturer=manufacturer,
        manufacturer_key=manufacturer_key(manufacturer),
        model=" ".join(spec.model.split()),
        serial_number=clean_serial(spec.serial_number),
        serial_key=serial_key(spec.serial_number),
        cpu_model=" ".join(spec.cpu_model.split()),
        ram_bytes=spec.ram_bytes,
        storage_bytes=spec.storage_bytes,
        storage_kind=spec.storage_kind,
        state=state,
        state_changed_at=now,
        location=location,
        custodian=custodian or (location.organisation if location else None),
        donor=donor,
        donation=donation,
        created_at=now,
    )
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError as exc:  # a concurrent registration of the same serial won the race
        existing = find_device_by_serial(manufacturer, spec.serial_number)
        if existing is not None:
            raise DuplicateDevice(existing, acting_scope(by)) from exc
        raise
    record_event(
        kind=EventKind.DEVICE_REGISTERED,
        subject=device,
        actor=by,
        programme_id=programme.pk,
        reason=reason,
        occurred_at=now,
        data={"new": state.value, **_place_data(device)},
    )
    return device


def _place_data(device: Device) -> dict[str, Any]:
    return {
        # ids only: events keep no names (core.privacy); readers look the names up, within their scope
        "location": {"id": device.location_id} if device.location_id else None,
        "custodian": {"id": device.custodian_id} if device.custodian_id else None,
    }


@transaction.atomic
def device_transition(
    *,
    device: Device,
    to: DeviceState | str,
    by: User | None,
    reason: str = "",
    location: Location | None = None,
    custodian: Organisation | None = None,
    sanitisation: models.Model | None = None,
    handover_kind: str | None = None,
    evidence: Sequence[Mapping[str, Any]] = (),
    expected_state: str | None = None,
    occurred_at: datetime | None = None,
) -> Device:
    """Move a device to another lifecycle state, or say why it cannot move.

    Args:
        device: the device (reloaded and locked here, so a stale instance is fine).
        to: the target state.
        by: who is acting; None for the system. Their role must allow the target state.
        reason: why, in words; kept on the event.
        location, custodian: where the device is and who holds it after the move, when that changes.
        sanitisation: required to enter `sanitised`: the outcome recorded for this pass (the sanitisation app's
            guards check it; devices only keeps the link).
        handover_kind: required to enter `with_recipient`: gift, sale, loan or ownership transfer.
        evidence: references to evidence records, kept on the event ({"type": ..., "id": ...}).
        expected_state: the state the caller saw; if the device has moved on since, nothing is changed.
        occurred_at: when it happened, if not now (back-dated histories from imports).
    """
    locked = Device.objects.select_for_update().get(pk=device.pk)
    if expected_state is not None and locked.state != expected_state:
        raise Conflict(
            f"{locked.asset_tag} is now {locked.state_label.lower()}: someone changed it while you were "
            "working. Check its timeline and try again."
        )
    old = DeviceState(locked.state)
    target = check_transition(old, to)
    _ensure_can(by, locked.programme_id, target)
    now = occurred_at or timezone.now()
    if now < locked.state_changed_at:
        raise DomainError(
            f"That time is before {locked.asset_tag}'s last change "
            f"({locked.state_changed_at:%d %b %Y %H:%M}).",
            field="occurred_at",
        )
    if target == DeviceState.SANITISED:
        # The guards for `sanitised` (registered by the sanitisation app) judge the evidence on the device.
        locked.sanitisation = sanitisation  # type: ignore[assignment]  # an outcome; devices does not import it
    _check_preconditions(locked, target, handover_kind, location)
    _ensure_works_with(
        locked.programme_id,
        location if location is not None and location.pk != locked.location_id else None,
        custodian if custodian is not None and custodian.pk != locked.custodian_id else None,
    )

    changed = ["state", "state_changed_at", "updated_at"]
    if target == DeviceState.SANITISED:
        assert sanitisation is not None  # the guards refuse the move without it
        changed.append("sanitisation")
        evidence = [*evidence, {"type": subject_type_of(sanitisation), "id": sanitisation.pk}]
    elif target in RESETS_SANITISATION and locked.sanitisation_id is not None:
        locked.sanitisation = None
        changed.append("sanitisation")
    changed += _move_place(locked, target, location, custodian)

    locked.state = target
    locked.state_changed_at = now
    locked.save(update_fields=changed)
    data: dict[str, Any] = {"old": old.value, "new": target.value, **_place_data(locked)}
    if handover_kind:
        data["handover_kind"] = handover_kind
    if evidence:
        data["evidence"] = [dict(item) for item in evidence]
    record_event(
        kind=EventKind.DEVICE_STATE_CHANGED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        reason=reason,
        data=data,
        occurred_at=now,
    )
    return locked


def _check_preconditions(
    device: Device,
    target: DeviceState,
    handover_kind: str | None,
    location: Location | None,
) -> None:
    """What a move needs beyond being on the map: the rules other apps register (evidence), a place, a
    handover kind."""
    reasons = blocking_reasons(device, target)  # rules other domains add (devices.guards)
    if reasons:
        raise InvalidTransition(
            f"{device.asset_tag} cannot be {target.label.lower()} yet: " + " ".join(reasons)
        )
    if (
        target in (DeviceState.RECEIVED, DeviceState.RETURNED)
        and location is None
        and device.location is None
    ):
        raise DomainError("Say where the device is now.", field="location")
    if target == DeviceState.WITH_RECIPIENT:
        if handover_kind not in HandoverKind.values:
            raise DomainError(
                "Say how the device was handed over: gift, sale, loan or ownership transfer.",
                field="handover_kind",
            )
    elif handover_kind:
        raise DomainError(
            "A handover kind only applies when a device reaches its recipient.", field="handover_kind"
        )


def _move_place(
    device: Device, target: DeviceState, location: Location | None, custodian: Organisation | None
) -> list[str]:
    """Apply a new location/custodian; a device received or returned is held by the site's organisation."""
    changed: list[str] = []
    if location is not None and location.pk != device.location_id:
        device.location = location
        changed.append("location")
        if custodian is None and target in (DeviceState.RECEIVED, DeviceState.RETURNED):
            custodian = location.organisation
    if custodian is not None and custodian.pk != device.custodian_id:
        device.custodian = custodian
        changed.append("custodian")
    return changed


EDITABLE_DETAILS = (
    "device_type",
    "manufacturer",
    "model",
    "serial_number",
    "cpu_model",
    "ram_bytes",
    "storage_bytes",
    "storage_kind",
)


def _apply_details(
    locked: Device, by: User | None, changes: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Set the changed details of a locked device and save it; the (old, new) values of what changed. Raises
    DomainError (nothing saved) for a detail that cannot be changed or a serial another device has."""
    unknown = set(changes) - set(EDITABLE_DETAILS)
    if unknown:
        raise DomainError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    values = dict(changes)
    if "manufacturer" in values:
        values["manufacturer"] = canonical_manufacturer(values["manufacturer"])
    if "serial_number" in values:
        values["serial_number"] = clean_serial(values["serial_number"])
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for name, value in values.items():
        if getattr(locked, name) != value:
            old[name], new[name] = getattr(locked, name), value
            setattr(locked, name, value)
    if not new:
        return old, new
    locked.manufacturer_key = manufacturer_key(locked.manufacturer)
    locked.serial_key = serial_key(locked.serial_number)
    if {"manufacturer", "serial_number"} & set(new):
        clash = (
            Device.objects.filter(manufacturer_key=locked.manufacturer_key, serial_key=locked.serial_key)
            .exclude(pk=locked.pk)
            .first()
            if locked.serial_key
            else None
        )
        if clash is not None:
            raise DuplicateDevice(clash, acting_scope(by))
    locked.save(update_fields=[*new, "manufacturer_key", "serial_key", "updated_at"])
    return old, new


@transaction.atomic
def device_update_details(
    *,
    device: Device,
    by: User | None,
    changes: Mapping[str, Any],
    reason: str = "",
    evidence: Mapping[str, Any] | None = None,
) -> Device:
    """Correct what is known about a device (make, model, serial, specs); records old and new values.

    `evidence` is added to the event's data: ids of what the values came from (`{"report_id": 12}`), never text.
    """
    locked = Device.objects.select_for_update().get(pk=device.pk)
    can_change_devices.require(acting_scope(by), locked.programme_id)
    old, new = _apply_details(locked, by, changes)
    if not new:
        return locked
    record_event(
        kind=EventKind.DEVICE_DETAILS_CHANGED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        reason=reason,
        data={"old": old, "new": new, **(evidence or {})},
    )
    return locked


@transaction.atomic
def device_correct(*, device: Device, by: User, changes: Mapping[str, Any], reason: str) -> Device:
    """A person's hand correction of what is recorded about a device (maker, model, serial, type, specification).

    Needs `can_correct_devices` and a reason. One event holds the old and new value of every changed field
    (`{"old": {field: old, ...}, "new": {field: new, ...}, "by_hand": true}`), as `device_update_details` does;
    the reason is kept in the event's erasable note, never in its data. All or nothing: a refused correction (a serial another device has, a field that
    cannot be corrected) changes nothing.
    """
    locked = Device.objects.select_for_update().get(pk=device.pk)
    scope = acting_scope(by)
    can_correct_devices.require(scope, locked.programme_id)
    if not reason.strip():
        raise DomainError("Say why the details are being corrected.", field="reason")
    unknown = set(changes) - set(EDITABLE_DETAILS)
    if unknown:
        raise DomainError(f"These details cannot be corrected: {', '.join(sorted(unknown))}.")
    old, new = _apply_details(locked, by, changes)
    if new:
        record_event(
            kind=EventKind.DEVICE_DETAILS_CHANGED,
            subject=locked,
            actor=by,
            programme_id=locked.programme_id,
            reason=reason,
            data={"old": old, "new": new, "by_hand": True},
        )
    return locked


class BulkDevice(NamedTuple):
    """One device to register in bulk (from an asset register). A plain tuple: 100,000 of them are made per
    import, and a frozen dataclass costs several times more to build."""

    device_type: str
    manufacturer: str
    model: str
    serial_number: str | None
    serial_key: str | None  # normalised already (a parsed register); None when there is no usable serial
    cpu_model: str = ""
    ram_bytes: int | None = None
    storage_bytes: int | None = None
    storage_kind: str = ""
    donor_asset_tag: str = ""


class RegisteredSerial(NamedTuple):
    """A (maker, serial) already in stock: enough for the caller to decide whether it may name the device."""

    asset_tag: str
    programme_id: int
    donor_id: int | None


def existing_serial_keys(pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], RegisteredSerial]:
    """Which (manufacturer key, serial key) pairs are already registered, in any scheme (the uniqueness rule)."""
    from django.db import connection

    found: dict[tuple[str, str], RegisteredSerial] = {}
    keys = sorted({serial for _, serial in pairs})
    if connection.vendor == "postgresql":  # one round trip with an array, answered from the index
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT manufacturer_key, serial_key, asset_tag, programme_id, donor_id FROM devices_device "
                "WHERE serial_key = ANY(%s)",
                [keys],
            )
            return {
                (maker, serial): RegisteredSerial(tag, programme_id, donor_id)
                for maker, serial, tag, programme_id, donor_id in cursor.fetchall()
            }
    for start in range(0, len(keys), 30_000):  # stay under SQLite's bound-parameter limit (32,766)
        chunk = keys[start : start + 30_000]
        for maker, serial, tag, programme_id, donor_id in Device.objects.filter(
            serial_key__in=chunk
        ).values_list("manufacturer_key", "serial_key", "asset_tag", "programme_id", "donor_id"):
            found[(maker, serial or "")] = RegisteredSerial(tag, programme_id, donor_id)
    return found


@transaction.atomic
def device_bulk_register(
    *,
    programme: Programme,
    devices: Sequence[BulkDevice],
    by: User | None,
    donor: Organisation | None = None,
    donation_id: int | None = None,
    register_import_id: int | None = None,
) -> list[str]:
    """Register many pledged devices at once (an asset register): one block of asset numbers, bulk inserts.

    The caller has already removed duplicates; a duplicate that slips through (a concurrent import) violates the
    (manufacturer, serial) constraint and rolls the whole batch back. Returns the new asset tags in order.
    """
    from devicebank.core.bulk import EVENT_COLUMNS, insert_rows, json_text, reserve_ids
    from devicebank.core.models import Event

    if not devices:
        return []
    _ensure_can(by, programme.pk, DeviceState.PLEDGED)
    numbers = programme_allocate_asset_numbers(programme=programme, count=len(devices))
    ids = reserve_ids(Device, len(devices))
    event_ids = reserve_ids(Event, len(devices))
    now = timezone.now()
    actor_id = by.pk if by is not None else None
    tags: list[str] = []
    device_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    source = {"register_import_id": register_import_id} if register_import_id is not None else {}
    event_data = json_text({"new": DeviceState.PLEDGED.value, "location": None, "custodian": None, **source})
    makers: dict[str, tuple[str, str]] = {}  # a register names a handful of makers: normalise each once
    for device_id, event_id, number, spec in zip(ids, event_ids, numbers, devices, strict=True):
        tag = format_asset_tag(programme.asset_tag_prefix, number)
        tags.append(tag)
        if spec.manufacturer not in makers:
            canonical = canonical_manufacturer(spec.manufacturer)
            makers[spec.manufacturer] = (canonical, manufacturer_key(canonical))
        maker, maker_key = makers[spec.manufacturer]
        key = spec.serial_key
        device_rows.append(
            (
                device_id,
                tag,
                programme.pk,
                spec.device_type,
                maker,
                maker_key,
                " ".join(spec.model.split()),
                " ".join(str(spec.serial_number).split()) if key else None,
                key,
                " ".join(spec.cpu_model.split()),
                spec.ram_bytes,
                spec.storage_bytes,
                spec.storage_kind,
                DeviceState.PLEDGED.value,
                now,
                donor.pk if donor else None,
                donation_id,
                spec.donor_asset_tag[:100],
                now,
                now,
            )
        )
        event_rows.append(
            (
                event_id,
                now,
                actor_id,
                EventKind.DEVICE_REGISTERED.value,
                "devices.device",
                device_id,
                programme.pk,
                "",  # events keep no words (core.privacy)
                event_data,
                None,
            )
        )
    insert_rows(Device, BULK_DEVICE_COLUMNS, device_rows)
    insert_rows(Event, EVENT_COLUMNS, event_rows)
    return tags


BULK_DEVICE_COLUMNS = [
    "id",
    "asset_tag",
    "programme_id",
    "device_type",
    "manufacturer",
    "manufacturer_key",
    "model",
    "serial_number",
    "serial_key",
    "cpu_model",
    "ram_bytes",
    "storage_bytes",
    "storage_kind",
    "state",
    "state_changed_at",
    "donor_id",
    "donation_id",
    "donor_asset_tag",
    "created_at",
    "updated_at",
]
