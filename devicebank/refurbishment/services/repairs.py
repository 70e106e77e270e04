"""Repairs: what was wrong, what was done, the parts it took out of stock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.refurbishment.models import Part, RepairJob, RepairPart
from devicebank.refurbishment.permissions import can_refurbish
from devicebank.refurbishment.services._common import (
    _lock,
    _minutes,
    _money,
    _open_pass,
    _text,
    _when,
)
from devicebank.refurbishment.services.parts import _parts_in, _stock_event, _take


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
    can_refurbish.require(acting_scope(by), locked.programme_id)
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
        reason=f"{fault}: {action}",  # words a person typed: kept in the event's erasable note
        data={
            "minutes": minutes,
            "cost": str(amount),
            "parts": [{"id": part.pk, "quantity": n} for part, n in used],
            "evidence": [{"type": "refurbishment.repairjob", "id": job.pk}],
        },
    )
    return job
