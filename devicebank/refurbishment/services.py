"""Refurbishment services: every write of the workbench. Keyword-only; each locks the device (or part) it
changes, checks the rule and the role, writes its records and one event per change, in one transaction.

`by=None` is the system (demo seed, factories): no role checks, as in devices.services.
Secrets are encrypted here (core.crypto) and never logged, evented or put in an error message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from devicebank.core import crypto
from devicebank.core.errors import Conflict, DomainError, NotPermitted
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device, DeviceType
from devicebank.devices.services import device_transition
from devicebank.devices.states import TERMINAL_STATES, DeviceState
from devicebank.people.access import AccessScope, scope_for
from devicebank.people.models import User
from devicebank.programmes.models import Programme
from devicebank.refurbishment import rules
from devicebank.refurbishment.checklists import checklist_from_json
from devicebank.refurbishment.licences import hint_for, normalise_coa_number, normalise_product_key
from devicebank.refurbishment.models import (
    WINDOWS,
    CosmeticGrade,
    DeviceSecret,
    FinalGrade,
    Grade,
    ItemOutcome,
    LicenceChannel,
    OperatingSystem,
    OsInstall,
    OsTarget,
    Part,
    PartKind,
    Recommendation,
    RecyclingRecord,
    RefurbishmentDecision,
    RepairJob,
    RepairPart,
    SecretKind,
    Specification,
    TestRun,
    TpmVersion,
)
from devicebank.refurbishment.permissions import (
    can_manage_specifications,
    can_recycle,
    can_reveal_secrets,
    can_work,
)
from devicebank.refurbishment.selectors import WORK_STATES, readiness, specification_for

MAX_MONEY = Decimal("99999.99")
MAX_MINUTES = 100_000
MAX_BYTES = 2**60


def _ensure(
    by: User | None, programme_id: int, check: Callable[[AccessScope, int], bool], message: str
) -> None:
    if by is None:
        return  # the system, acting under the service's own rules
    if not check(scope_for(by), programme_id):
        raise NotPermitted(message)


def _lock(device: Device) -> Device:
    return Device.objects.select_for_update().get(pk=device.pk)


def _open_pass(device: Device, by: User | None, at: datetime | None) -> Device:
    """The device (locked) ready for bench work in this pass; a sanitised device is moved into refurbishment."""
    if device.state not in WORK_STATES or device.sanitisation_id is None:
        raise DomainError(
            f"{device.asset_tag} is {device.state_label.lower()}: only sanitised devices, or devices in "
            "refurbishment, are worked on at the bench."
        )
    if device.state == DeviceState.SANITISED:
        device = device_transition(
            device=device,
            to=DeviceState.IN_REFURBISHMENT,
            by=by,
            reason="Work started at the workbench",
            expected_state=DeviceState.SANITISED,
            occurred_at=at,
        )
    return device


def _pass_of(device: Device) -> int:
    """The sanitisation outcome that opened the device's current pass (checked present by _open_pass)."""
    if device.sanitisation_id is None:
        raise DomainError(f"{device.asset_tag} has no sanitisation evidence for this pass.")
    return device.sanitisation_id


def _when(at: datetime | None, device: Device) -> datetime:
    moment = at or timezone.now()
    if moment < device.state_changed_at:
        raise DomainError("That time is before the device's last change.", field="recorded_at")
    return moment


def _money(value: Decimal | int | str | None, field_name: str) -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else "0")).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise DomainError("Give an amount in pounds, like 12.50.", field=field_name) from exc
    if not Decimal(0) <= amount <= MAX_MONEY:
        raise DomainError(f"Give an amount from £0 to £{MAX_MONEY}.", field=field_name)
    return amount


def _minutes(value: int, field_name: str) -> int:
    if not 0 <= value <= MAX_MINUTES:
        raise DomainError(f"Give minutes from 0 to {MAX_MINUTES:,}.", field=field_name)
    return value


def _text(value: str, field_name: str, what: str, *, limit: int, required: bool = True) -> str:
    cleaned = " ".join(str(value or "").split())
    if required and not cleaned:
        raise DomainError(f"Say {what}.", field=field_name)
    if len(cleaned) > limit:
        raise DomainError(f"Keep it to {limit} characters.", field=field_name)
    return cleaned


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# -- specifications --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecificationValues:
    """Everything a programme manager sets for one device type (see models.Specification)."""

    min_ram_bytes: int | None = None
    min_storage_bytes: int | None = None
    require_ssd: bool = False
    min_intel_generation: int | None = None
    min_ryzen_series: int | None = None
    cpu_families: list[str] = field(default_factory=list)
    min_battery_percent: int | None = None
    min_screen_inches: Decimal | None = None
    require_webcam: bool = False
    os_targets: list[str] = field(default_factory=list)
    require_os_install: bool = True
    checklist: list[dict[str, Any]] = field(default_factory=list)
    working_value: Decimal | None = None
    labour_rate: Decimal = Decimal("25.00")


def _validate_specification(values: SpecificationValues) -> SpecificationValues:
    for name in ("min_ram_bytes", "min_storage_bytes"):
        value = getattr(values, name)
        if value is not None and not 0 <= value <= MAX_BYTES:
            raise DomainError("Give a size from 0 up.", field=name)
    if values.min_intel_generation is not None and not 1 <= values.min_intel_generation <= 30:
        raise DomainError("Give an Intel Core generation from 1 to 30.", field="min_intel_generation")
    if values.min_ryzen_series is not None and (
        values.min_ryzen_series % 1000 or not 1000 <= values.min_ryzen_series <= 20000
    ):
        raise DomainError("Give an AMD Ryzen series such as 2000 or 5000.", field="min_ryzen_series")
    if values.min_battery_percent is not None and not 0 <= values.min_battery_percent <= 100:
        raise DomainError("Give a battery health from 0 to 100%.", field="min_battery_percent")
    if values.min_screen_inches is not None and not Decimal(5) <= values.min_screen_inches <= Decimal(40):
        raise DomainError("Give a screen size from 5 to 40 inches.", field="min_screen_inches")
    families = [" ".join(str(f).split()) for f in values.cpu_families if str(f).strip()]
    if len(families) > 30 or any(len(f) > 60 for f in families):
        raise DomainError("List up to 30 processor families of up to 60 characters.", field="cpu_families")
    unknown = [t for t in values.os_targets if t not in OsTarget.values]
    if unknown:
        raise DomainError(
            f"Not operating system targets: {', '.join(map(str, unknown))}.", field="os_targets"
        )
    checklist = _validate_checklist(values.checklist)
    working_value = None if values.working_value is None else _money(values.working_value, "working_value")
    labour_rate = _money(values.labour_rate, "labour_rate")
    return SpecificationValues(
        **{
            **asdict(values),
            "cpu_families": families,
            "os_targets": list(dict.fromkeys(values.os_targets)),
            "checklist": checklist,
            "working_value": working_value,
            "labour_rate": labour_rate,
        }
    )


def _validate_checklist(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    if len(items) > 40:
        raise DomainError("A checklist has at most 40 items.", field="checklist")
    for item in items:
        key = str(item.get("key", "")).strip()
        label = " ".join(str(item.get("label", "")).split())
        if not key or not label or len(key) > 40 or len(label) > 120:
            raise DomainError("Each checklist item needs a key and a label.", field="checklist")
        if key in seen:
            raise DomainError(f"The checklist names {key!r} twice.", field="checklist")
        seen.add(key)
        out.append({"key": key, "label": label, "required": bool(item.get("required"))})
    return out


@transaction.atomic
def specification_save(
    *, programme: Programme, device_type: str, values: SpecificationValues, by: User | None
) -> Specification:
    """Create or change a programme's specification for one device type; the event keeps old and new values."""
    _ensure(by, programme.pk, can_manage_specifications, "Only programme managers change specifications.")
    if device_type not in DeviceType.values:
        raise DomainError(f"{device_type!r} is not a device type.", field="device_type")
    clean = asdict(_validate_specification(values))
    spec = (
        Specification.objects.select_for_update().filter(programme=programme, device_type=device_type).first()
    )
    old: dict[str, Any] = {}
    if spec is None:
        spec = Specification(programme=programme, device_type=device_type)
    else:
        old = {name: _json_value(getattr(spec, name)) for name in clean}
    for name, value in clean.items():
        setattr(spec, name, value)
    spec.updated_by = by
    try:
        with transaction.atomic():
            spec.save()
    except IntegrityError as exc:
        raise Conflict("Someone else created this specification while you were editing: reload it.") from exc
    new = {name: _json_value(value) for name, value in clean.items()}
    changed = {k: v for k, v in new.items() if old.get(k) != v}
    if old and not changed:
        return spec
    record_event(
        kind=EventKind.SPECIFICATION_CHANGED,
        subject=spec,
        actor=by,
        programme_id=programme.pk,
        data={
            "device_type": device_type,
            "old": {k: old[k] for k in changed} if old else None,
            "new": changed,
        },
    )
    return spec


# -- tests and grades ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    key: str
    outcome: str
    note: str = ""


def _checklist_for(device: Device) -> Any:
    spec = specification_for(device)
    return checklist_from_json(spec.checklist if spec else None, device.device_type)


def _check_results(device: Device, results: Sequence[ItemInput]) -> list[dict[str, str]]:
    checklist = {item.key: item for item in _checklist_for(device)}
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for result in results:
        item = checklist.get(result.key)
        if item is None:
            raise DomainError(f"{result.key!r} is not on this device's checklist.", field="results")
        if result.key in seen:
            raise DomainError(f"{item.label} is given twice.", field=f"result_{result.key}")
        seen.add(result.key)
        if result.outcome not in ItemOutcome.values:
            raise DomainError(
                f"{item.label}: say pass, fail or not applicable.", field=f"result_{result.key}"
            )
        if result.outcome == ItemOutcome.NOT_APPLICABLE and item.required:
            raise DomainError(
                f"{item.label} must pass: it cannot be not applicable.", field=f"result_{result.key}"
            )
        out.append(
            {
                "key": item.key,
                "label": item.label,
                "outcome": result.outcome,
                "note": _text(result.note, f"note_{result.key}", "", limit=500, required=False),
            }
        )
    return out


@transaction.atomic
def device_tests_record(
    *,
    device: Device,
    by: User | None,
    results: Sequence[ItemInput],
    battery_health_percent: Decimal | None = None,
    tpm_version: str = "",
    screen_inches: Decimal | None = None,
    notes: str = "",
    at: datetime | None = None,
) -> TestRun:
    """Record bench test results (some or all checklist items) and what was measured.

    A sanitised device moves into refurbishment. The latest result of each item in the pass counts.
    """
    locked = _lock(device)
    _ensure(by, locked.programme_id, can_work, "Your role does not allow testing devices in this programme.")
    checked = _check_results(locked, results)
    if battery_health_percent is not None and not Decimal(0) <= battery_health_percent <= Decimal(110):
        raise DomainError("Give battery health from 0 to 110%.", field="battery_health_percent")
    if screen_inches is not None and not Decimal(5) <= screen_inches <= Decimal(40):
        raise DomainError("Give a screen size from 5 to 40 inches.", field="screen_inches")
    if tpm_version not in TpmVersion.values:
        raise DomainError("Say which TPM it has: 2.0, 1.2, none, or not checked.", field="tpm_version")
    if not checked and battery_health_percent is None and screen_inches is None and not tpm_version:
        raise DomainError("Record at least one test result or measurement.", field="results")
    notes = _text(notes, "notes", "", limit=2000, required=False)
    locked = _open_pass(locked, by, at)
    run = TestRun.objects.create(
        device=locked,
        sanitisation_id=_pass_of(locked),
        results=checked,
        battery_health_percent=battery_health_percent,
        tpm_version=tpm_version,
        screen_inches=screen_inches,
        notes=notes,
        recorded_by=by,
        recorded_at=_when(at, locked),
    )
    by_outcome = {o: [r["key"] for r in checked if r["outcome"] == o] for o in ItemOutcome.values}
    record_event(
        kind=EventKind.DEVICE_TESTED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=run.recorded_at,
        data={
            "passed": by_outcome[ItemOutcome.PASS],
            "failed": by_outcome[ItemOutcome.FAIL],
            "not_applicable": by_outcome[ItemOutcome.NOT_APPLICABLE],
            "evidence": [{"type": "refurbishment.testrun", "id": run.pk}],
        },
    )
    return run


@transaction.atomic
def grade_record(
    *, device: Device, by: User | None, cosmetic: str, notes: str = "", at: datetime | None = None
) -> Grade:
    """Grade a device whose every checklist item has a result this pass. Functional pass comes from the tests,
    the performance band from its specs; the final grade is the worse of band and cosmetic grade (F on a fail)."""
    locked = _lock(device)
    _ensure(by, locked.programme_id, can_work, "Your role does not allow grading devices in this programme.")
    if cosmetic not in CosmeticGrade.values:
        raise DomainError("Choose a cosmetic grade: A, B or C.", field="cosmetic")
    locked = _open_pass(locked, by, at)
    state = readiness(locked)
    if not state.test_runs:
        raise DomainError(
            f"{locked.asset_tag} has no test results in this pass: test it before grading.", field="cosmetic"
        )
    untested = [item.item.label for item in state.items if item.outcome is None]
    if untested:
        raise DomainError(
            f"Test every item before grading; not tested: {', '.join(untested)}.", field="cosmetic"
        )
    functional = not any(item.problem for item in state.items)
    band, _why = rules.performance_band(state.facts)
    final = rules.final_grade(cosmetic, band) if functional else FinalGrade.F
    grade = Grade.objects.create(
        device=locked,
        sanitisation_id=_pass_of(locked),
        test_run=state.test_runs[0],
        functional_pass=functional,
        cosmetic=cosmetic,
        performance=band,
        final=final,
        notes=_text(notes, "notes", "", limit=2000, required=False),
        recorded_by=by,
        recorded_at=_when(at, locked),
    )
    record_event(
        kind=EventKind.DEVICE_GRADED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=grade.recorded_at,
        data={
            "functional_pass": functional,
            "cosmetic": cosmetic,
            "performance": band,
            "new": final,
            "evidence": [{"type": "refurbishment.grade", "id": grade.pk}],
        },
    )
    return grade


# -- operating systems and secrets -----------------------------------------------------------------------

KEYED_CHANNELS = frozenset(
    {LicenceChannel.MAR_CITIZENSHIP, LicenceChannel.MAR_COMMERCIAL, LicenceChannel.ORIGINAL_COA}
)


def _licence_inputs(os: str, channel: str, licence_key: str, coa_number: str) -> tuple[str, str]:
    if os not in OperatingSystem.values:
        raise DomainError("Choose the operating system installed.", field="os")
    if channel not in LicenceChannel.values:
        raise DomainError("Say how it is licensed.", field="licence_channel")
    key = licence_key.strip()
    coa = coa_number.strip()
    if os in WINDOWS:
        if channel == LicenceChannel.NONE:
            raise DomainError("Windows needs a licence: say which.", field="licence_channel")
        if channel in KEYED_CHANNELS and not key:
            raise DomainError("Give the Windows product key for this licence.", field="licence_key")
        if channel == LicenceChannel.MAR_COMMERCIAL and not coa:
            raise DomainError(
                "A commercial refurbisher licence needs the original COA number.", field="coa_number"
            )
    else:
        if channel != LicenceChannel.NONE:
            raise DomainError("Only Windows takes a Windows licence.", field="licence_channel")
        if key or coa:
            raise DomainError("Only Windows installs take a product key or COA number.", field="licence_key")
    return (normalise_product_key(key) if key else "", normalise_coa_number(coa) if coa else "")


def _store_secret(
    *,
    device: Device,
    kind: str,
    value: str,
    by: User | None,
    at: datetime,
    os_install: OsInstall | None = None,
) -> DeviceSecret:
    hint = hint_for(value) if kind in (SecretKind.LICENCE_KEY, SecretKind.COA_NUMBER) else ""
    secret = DeviceSecret.objects.create(
        device=device,
        os_install=os_install,
        kind=kind,
        ciphertext=crypto.encrypt(value),
        hint=hint,
        recorded_by=by,
        recorded_at=at,
    )
    record_event(
        kind=EventKind.SECRET_RECORDED,
        subject=secret,
        actor=by,
        programme_id=device.programme_id,
        occurred_at=at,
        data={"kind": kind, "device_id": device.pk, "asset_tag": device.asset_tag},
    )
    return secret


@transaction.atomic
def os_install_record(
    *,
    device: Device,
    by: User | None,
    os: str,
    licence_channel: str,
    image_name: str = "",
    image_version: str = "",
    licence_key: str = "",
    coa_number: str = "",
    mdm_note: str = "",
    at: datetime | None = None,
) -> OsInstall:
    """Record the operating system put on a device this pass; its licence key and COA number are encrypted."""
    locked = _lock(device)
    _ensure(
        by, locked.programme_id, can_work, "Your role does not allow recording installs in this programme."
    )
    key, coa = _licence_inputs(os, licence_channel, licence_key, coa_number)
    image_name = _text(image_name, "image_name", "", limit=200, required=False)
    image_version = _text(image_version, "image_version", "", limit=100, required=False)
    mdm_note = _text(mdm_note, "mdm_note", "", limit=500, required=False)
    locked = _open_pass(locked, by, at)
    when = _when(at, locked)
    install = OsInstall.objects.create(
        device=locked,
        sanitisation_id=_pass_of(locked),
        os=os,
        image_name=image_name,
        image_version=image_version,
        licence_channel=licence_channel,
        mdm_note=mdm_note,
        recorded_by=by,
        recorded_at=when,
    )
    if key:
        _store_secret(
            device=locked, kind=SecretKind.LICENCE_KEY, value=key, by=by, at=when, os_install=install
        )
    if coa:
        _store_secret(
            device=locked, kind=SecretKind.COA_NUMBER, value=coa, by=by, at=when, os_install=install
        )
    record_event(
        kind=EventKind.OS_INSTALLED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=when,
        data={
            "new": os,
            "image_name": image_name,
            "image_version": image_version,
            "licence_channel": licence_channel,
            "licence_key_recorded": bool(key),
            "coa_number_recorded": bool(coa),
            "evidence": [{"type": "refurbishment.osinstall", "id": install.pk}],
        },
    )
    return install


PASSWORD_KINDS = frozenset({SecretKind.BIOS_PASSWORD, SecretKind.ADMIN_PASSWORD})


@transaction.atomic
def device_secret_record(*, device: Device, by: User | None, kind: str, value: str) -> DeviceSecret:
    """Keep a BIOS/firmware or administrator password, encrypted. Only while the device is in the scheme's hands."""
    locked = _lock(device)
    _ensure(
        by, locked.programme_id, can_work, "Your role does not allow recording passwords in this programme."
    )
    if kind not in PASSWORD_KINDS:
        raise DomainError("Say which password this is: BIOS/firmware or administrator.", field="kind")
    if not value or len(value) > 200 or value != value.strip():
        raise DomainError("Give the password (up to 200 characters, no spaces at the ends).", field="value")
    if locked.state in TERMINAL_STATES:
        raise DomainError(f"{locked.asset_tag} is {locked.state_label.lower()}: nothing more is recorded.")
    return _store_secret(device=locked, kind=kind, value=value, by=by, at=timezone.now())


@transaction.atomic
def device_secret_reveal(*, secret: DeviceSecret, by: User) -> str:
    """Decrypt a secret for someone whose role needs it, and log the reveal (SECRET_VIEWED)."""
    locked = DeviceSecret.objects.select_related("device").get(pk=secret.pk)
    if by is None or not can_reveal_secrets(scope_for(by), locked.device.programme_id):
        raise NotPermitted(
            "Only the programme's technicians and managers may see licence keys and passwords."
        )
    value = crypto.decrypt(locked.ciphertext)
    record_event(
        kind=EventKind.SECRET_VIEWED,
        subject=locked,
        actor=by,
        programme_id=locked.device.programme_id,
        data={"kind": locked.kind, "device_id": locked.device_id, "asset_tag": locked.device.asset_tag},
    )
    return value


# -- repairs and parts -----------------------------------------------------------------------------------


def _parts_in(programme_id: int, wanted: Sequence[tuple[Part, int]]) -> list[tuple[Part, int]]:
    """Lock the parts (in id order, so two jobs cannot deadlock) and merge repeats."""
    totals: dict[int, int] = {}
    for part, quantity in wanted:
        if quantity < 1 or quantity > 10_000:
            raise DomainError("Give a quantity from 1 to 10,000 for each part.", field="parts")
        totals[part.pk] = totals.get(part.pk, 0) + quantity
    locked = {p.pk: p for p in Part.objects.select_for_update().filter(pk__in=sorted(totals)).order_by("pk")}
    if len(locked) != len(totals) or any(p.programme_id != programme_id for p in locked.values()):
        raise DomainError("Those parts are not in this programme's stock.", field="parts")
    return [(locked[pk], totals[pk]) for pk in sorted(totals)]


def _stock_event(part: Part, old: int, by: User | None, reason: str, **data: Any) -> None:
    record_event(
        kind=EventKind.PART_STOCK_CHANGED,
        subject=part,
        actor=by,
        programme_id=part.programme_id,
        reason=reason,
        data={"old": old, "new": part.quantity, "delta": part.quantity - old, **data},
    )


def _take(parts: list[tuple[Part, int]]) -> None:
    short = [
        f"{part.description}: {part.quantity} in stock, {n} needed" for part, n in parts if part.quantity < n
    ]
    if short:
        raise DomainError(f"Not enough in stock ({'; '.join(short)}). Nothing was recorded.", field="parts")


@transaction.atomic
def repair_record(
    *,
    device: Device,
    by: User | None,
    fault: str,
    action: str,
    minutes: int = 0,
    cost: Decimal | int | str = 0,
    parts: Sequence[tuple[Part, int]] = (),
    at: datetime | None = None,
) -> RepairJob:
    """Record a repair; the parts used come out of stock, all or nothing (stock never goes below zero)."""
    locked = _lock(device)
    _ensure(
        by, locked.programme_id, can_work, "Your role does not allow recording repairs in this programme."
    )
    fault = _text(fault, "fault", "what was wrong", limit=500)
    action = _text(action, "action", "what was done", limit=500)
    minutes = _minutes(minutes, "minutes")
    amount = _money(cost, "cost")
    used = _parts_in(locked.programme_id, parts)
    _take(used)
    locked = _open_pass(locked, by, at)
    job = RepairJob.objects.create(
        device=locked,
        sanitisation_id=locked.sanitisation_id,
        fault=fault,
        action=action,
        minutes=minutes,
        cost=amount,
        recorded_by=by,
        recorded_at=_when(at, locked),
    )
    for part, quantity in used:
        RepairPart.objects.create(repair=job, part=part, quantity=quantity)
        old = part.quantity
        part.quantity = old - quantity
        part.save(update_fields=["quantity", "updated_at"])
        _stock_event(
            part, old, by, f"Used repairing {locked.asset_tag}", device_id=locked.pk, repair_id=job.pk
        )
    record_event(
        kind=EventKind.REPAIR_RECORDED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=job.recorded_at,
        reason=fault,
        data={
            "action": action,
            "minutes": minutes,
            "cost": str(amount),
            "parts": [{"id": part.pk, "quantity": n} for part, n in used],
            "evidence": [{"type": "refurbishment.repairjob", "id": job.pk}],
        },
    )
    return job


@transaction.atomic
def part_create(
    *,
    programme: Programme,
    by: User | None,
    kind: str,
    description: str,
    compatible_models: str = "",
    quantity: int = 0,
) -> Part:
    """Add a kind of part to a programme's stock list."""
    _ensure(by, programme.pk, can_work, "Your role does not allow managing parts in this programme.")
    if kind not in PartKind.values:
        raise DomainError("Choose the kind of part.", field="kind")
    description = _text(description, "description", "what the part is", limit=200)
    compatible = _text(compatible_models, "compatible_models", "", limit=500, required=False)
    if not 0 <= quantity <= 100_000:
        raise DomainError("Give a quantity from 0 to 100,000.", field="quantity")
    try:
        with transaction.atomic():
            part = Part.objects.create(
                programme=programme,
                kind=kind,
                description=description,
                compatible_models=compatible,
                quantity=quantity,
            )
    except IntegrityError as exc:
        raise DomainError(
            "That part is already on the stock list: adjust its quantity instead.", field="description"
        ) from exc
    _stock_event(part, 0, by, "Added to the stock list")
    return part


@transaction.atomic
def part_adjust(*, part: Part, by: User | None, delta: int, reason: str) -> Part:
    """Count stock in or out (a delivery, a stocktake). Stock never goes below zero."""
    locked = Part.objects.select_for_update().get(pk=part.pk)
    _ensure(by, locked.programme_id, can_work, "Your role does not allow managing parts in this programme.")
    reason = _text(reason, "reason", "why the stock changes", limit=500)
    if delta == 0 or abs(delta) > 100_000:
        raise DomainError("Give a change from -100,000 to 100,000, not 0.", field="delta")
    old = locked.quantity
    if old + delta < 0:
        raise DomainError(f"Only {old} in stock: cannot take {-delta}.", field="delta")
    locked.quantity = old + delta
    locked.save(update_fields=["quantity", "updated_at"])
    _stock_event(locked, old, by, reason)
    return locked


@transaction.atomic
def parts_harvest(
    *, device: Device, by: User | None, parts: Sequence[tuple[Part, int]], at: datetime | None = None
) -> list[Part]:
    """Take working parts out of a device (sanitised first, so no data leaves with a drive): stock grows."""
    locked = _lock(device)
    _ensure(by, locked.programme_id, can_work, "Your role does not allow harvesting parts in this programme.")
    if not parts:
        raise DomainError("Say which parts were taken out.", field="parts")
    if locked.state not in WORK_STATES or locked.sanitisation_id is None:
        raise DomainError(
            f"{locked.asset_tag} is {locked.state_label.lower()}: parts are harvested from sanitised devices "
            "before they go to the recycler."
        )
    harvested = _parts_in(locked.programme_id, parts)
    for part, quantity in harvested:
        old = part.quantity
        part.quantity = old + quantity
        part.save(update_fields=["quantity", "updated_at"])
        _stock_event(part, old, by, f"Harvested from {locked.asset_tag}", device_id=locked.pk)
    return [part for part, _ in harvested]


# -- repair or recycle -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    parts_cost: Decimal
    minutes: int
    cost: Decimal
    working_value: Decimal | None
    recommendation: str
    explanation: str

    @property
    def recommendation_label(self) -> str:
        return Recommendation(self.recommendation).label if self.recommendation else ""


def decision_estimate(*, device: Device, parts_cost: Decimal | int | str, minutes: int) -> Estimate:
    """What repairing would cost against the programme's value of a working device, and what we recommend."""
    parts_amount = _money(parts_cost, "estimated_parts_cost")
    minutes = _minutes(minutes, "estimated_minutes")
    spec = specification_for(device)
    labour = spec.labour_rate if spec else Decimal("25.00")
    value = spec.working_value if spec else None
    cost = rules.estimated_cost(parts_amount, minutes, labour)
    state = readiness(device)
    powers_on = any(item.item.key == "power_on" and item.outcome == ItemOutcome.PASS for item in state.items)
    recommendation, explanation = rules.recommend(cost, value, powers_on)
    return Estimate(parts_amount, minutes, cost, value, recommendation, explanation)


DECIDABLE_STATES = frozenset(
    {DeviceState.RECEIVED, DeviceState.SANITISED, DeviceState.IN_REFURBISHMENT, DeviceState.RETURNED}
)


@transaction.atomic
def decision_record(
    *,
    device: Device,
    by: User | None,
    estimated_parts_cost: Decimal | int | str,
    estimated_minutes: int,
    decision: str,
    reason: str,
    at: datetime | None = None,
) -> RefurbishmentDecision:
    """Record repair, harvest or recycle with its reason, beside devicebank's recommendation."""
    locked = _lock(device)
    _ensure(
        by, locked.programme_id, can_work, "Your role does not allow deciding on devices in this programme."
    )
    if decision not in Recommendation.values:
        raise DomainError("Choose repair, harvest parts or recycle.", field="decision")
    reason = _text(reason, "reason", "why", limit=2000)
    if locked.state not in DECIDABLE_STATES:
        raise DomainError(
            f"{locked.asset_tag} is {locked.state_label.lower()}: decide before it is ready or leaves the workshop."
        )
    estimate = decision_estimate(device=locked, parts_cost=estimated_parts_cost, minutes=estimated_minutes)
    record = RefurbishmentDecision.objects.create(
        device=locked,
        sanitisation_id=locked.sanitisation_id,
        estimated_parts_cost=estimate.parts_cost,
        estimated_minutes=estimate.minutes,
        estimated_cost=estimate.cost,
        working_value=estimate.working_value,
        recommendation=estimate.recommendation,
        decision=decision,
        reason=reason,
        recorded_by=by,
        recorded_at=_when(at, locked),
    )
    record_event(
        kind=EventKind.REFURBISHMENT_DECISION_RECORDED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=record.recorded_at,
        reason=reason,
        data={
            "new": decision,
            "recommendation": estimate.recommendation,
            "estimated_cost": str(estimate.cost),
            "working_value": None if estimate.working_value is None else str(estimate.working_value),
            "evidence": [{"type": "refurbishment.refurbishmentdecision", "id": record.pk}],
        },
    )
    return record


@transaction.atomic
def device_recycle(
    *,
    device: Device,
    by: User | None,
    recycler: str,
    consignment_note: str,
    weight_kg: Decimal,
    handed_over_on: date,
    reason: str = "",
    expected_state: str | None = None,
) -> RecyclingRecord:
    """Hand a device to a licensed recycler with its WEEE evidence; it ends `recycled`. Exactly once."""
    locked = _lock(device)
    _ensure(
        by, locked.programme_id, can_recycle, "Your role does not allow recycling devices in this programme."
    )
    if locked.state == DeviceState.RECYCLED or RecyclingRecord.objects.filter(device=locked).exists():
        raise Conflict(f"{locked.asset_tag} is already recycled.")
    recycler = _text(recycler, "recycler", "which licensed recycler took it", limit=200)
    note = _text(
        consignment_note, "consignment_note", "the consignment or waste transfer note number", limit=100
    )
    if not Decimal("0.01") <= weight_kg <= Decimal("1000"):
        raise DomainError("Give the weight in kg, from 0.01 to 1,000.", field="weight_kg")
    today = timezone.localdate()
    if handed_over_on > today or handed_over_on.year < 2000:
        raise DomainError("Give the date it was handed over: today or earlier.", field="handed_over_on")
    record = RecyclingRecord.objects.create(
        device=locked,
        recycler=recycler,
        consignment_note=note,
        weight_kg=weight_kg.quantize(Decimal("0.01")),
        handed_over_on=handed_over_on,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    locked = device_transition(
        device=locked,
        to=DeviceState.RECYCLED,
        by=by,
        reason=reason or f"Handed to {recycler}, note {note}",
        evidence=[{"type": "refurbishment.recyclingrecord", "id": record.pk}],
        expected_state=expected_state,
    )
    record_event(
        kind=EventKind.DEVICE_RECYCLED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        data={
            "recycler": recycler,
            "consignment_note": note,
            "weight_kg": str(record.weight_kg),
            "handed_over_on": handed_over_on.isoformat(),
            "evidence": [{"type": "refurbishment.recyclingrecord", "id": record.pk}],
        },
    )
    return record


# -- finishing -------------------------------------------------------------------------------------------


def device_mark_ready(
    *,
    device: Device,
    by: User | None,
    expected_state: str | None = DeviceState.IN_REFURBISHMENT,
    reason: str = "",
) -> Device:
    """Move a refurbished device to `ready`. The readiness guard refuses it with every failing rule; if someone
    else moved it first, `expected_state` no longer holds and the answer is a Conflict, with nothing written."""
    _ensure(
        by, device.programme_id, can_work, "Your role does not allow marking devices ready in this programme."
    )
    return device_transition(
        device=device,
        to=DeviceState.READY,
        by=by,
        reason=reason or "Passed its tests, grading and specification at the workbench",
        expected_state=expected_state,
    )


# -- bulk: a pallet of identical models -------------------------------------------------------------------


class BulkAction:
    TESTS_PASSED = "tests_passed"
    GRADE = "grade"
    OS_INSTALL = "os_install"
    READY = "ready"
    CHOICES = [
        (TESTS_PASSED, "Record every test as passed (except those marked not applicable)"),
        (GRADE, "Grade them"),
        (OS_INSTALL, "Record the same operating system image (no product keys)"),
        (READY, "Mark them ready"),
    ]


@dataclass(frozen=True)
class BulkOutcome:
    asset_tag: str
    ok: bool
    message: str


def refurbishment_bulk_apply(
    *, devices: Sequence[Device], by: User | None, action: str, params: Mapping[str, Any]
) -> list[BulkOutcome]:
    """Apply one workbench step to many devices. Each device succeeds or fails on its own (its own transaction):
    nothing half-written on a device, and one outcome per device, in the order given."""
    if action not in {choice for choice, _ in BulkAction.CHOICES}:
        raise DomainError("Choose what to do with the devices.", field="action")
    if not devices:
        raise DomainError("Scan or list at least one device.", field="devices")
    if len(devices) > 500:
        raise DomainError("Up to 500 devices at a time.", field="devices")
    outcomes: list[BulkOutcome] = []
    for device in devices:
        try:
            with transaction.atomic():
                message = _bulk_one(device, by, action, params)
        except DomainError as error:
            outcomes.append(BulkOutcome(device.asset_tag, False, error.message))
        else:
            outcomes.append(BulkOutcome(device.asset_tag, True, message))
    return outcomes


def _bulk_one(device: Device, by: User | None, action: str, params: Mapping[str, Any]) -> str:
    if action == BulkAction.TESTS_PASSED:
        not_applicable = set(params.get("not_applicable") or ())
        results = [
            ItemInput(
                item.key, ItemOutcome.NOT_APPLICABLE if item.key in not_applicable else ItemOutcome.PASS
            )
            for item in _checklist_for(device)
        ]
        device_tests_record(device=device, by=by, results=results)
        return "Tests recorded: passed."
    if action == BulkAction.GRADE:
        grade = grade_record(device=device, by=by, cosmetic=str(params.get("cosmetic", "")))
        return f"Graded {grade.final}."
    if action == BulkAction.OS_INSTALL:
        install = os_install_record(
            device=device,
            by=by,
            os=str(params.get("os", "")),
            licence_channel=str(params.get("licence_channel", "")),
            image_name=str(params.get("image_name", "")),
            image_version=str(params.get("image_version", "")),
        )
        return f"{install.get_os_display()} recorded."
    device_mark_ready(device=device, by=by, expected_state=DeviceState.IN_REFURBISHMENT)
    return "Now ready."
