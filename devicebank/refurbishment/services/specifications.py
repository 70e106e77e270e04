"""Programme specifications: the minimum a device must meet, its checklist, its value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from devicebank.core.errors import Conflict, DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import DeviceType
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.programmes.models import Programme
from devicebank.refurbishment.models import OsTarget, Specification
from devicebank.refurbishment.permissions import can_manage_specifications
from devicebank.refurbishment.services._common import MAX_BYTES, _json_value, _money


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
    can_manage_specifications.require(acting_scope(by), programme.pk)
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
