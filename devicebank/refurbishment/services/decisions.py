"""Repair or recycle: the estimate, devicebank's recommendation and the decision recorded beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.refurbishment import rules
from devicebank.refurbishment.models import ItemOutcome, Recommendation, RefurbishmentDecision
from devicebank.refurbishment.permissions import can_refurbish
from devicebank.refurbishment.selectors import readiness, specification_for
from devicebank.refurbishment.services._common import _lock, _minutes, _money, _text, _when


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
    can_refurbish.require(acting_scope(by), locked.programme_id)
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
