"""Parts stock: the list, counts in and out, parts harvested from devices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.programmes.models import Programme
from devicebank.refurbishment.models import Part, PartKind
from devicebank.refurbishment.permissions import can_refurbish
from devicebank.refurbishment.selectors import WORK_STATES
from devicebank.refurbishment.services._common import _lock, _text


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
    can_refurbish.require(acting_scope(by), programme.pk)
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
    can_refurbish.require(acting_scope(by), locked.programme_id)
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
    can_refurbish.require(acting_scope(by), locked.programme_id)
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
