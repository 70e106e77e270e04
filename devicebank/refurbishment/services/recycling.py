"""Recycling: a device handed to a licensed recycler with its WEEE evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from devicebank.core.errors import Conflict, DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.refurbishment.models import RecyclingRecord
from devicebank.refurbishment.permissions import can_recycle
from devicebank.refurbishment.services._common import _lock, _text


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
    can_recycle.require(acting_scope(by), locked.programme_id)
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
            # the recycling record keeps the recycler and consignment note (words, erasable)
            "weight_kg": str(record.weight_kg),
            "handed_over_on": handed_over_on.isoformat(),
            "evidence": [{"type": "refurbishment.recyclingrecord", "id": record.pk}],
        },
    )
    return record
