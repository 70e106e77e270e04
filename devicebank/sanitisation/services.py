"""Sanitisation services: record the outcome that lets a device enter `sanitised`."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.models import User
from devicebank.sanitisation.models import SanitisationBasis, SanitisationLevel, SanitisationOutcome


@transaction.atomic
def sanitisation_record_outcome(
    *,
    device: Device,
    basis: str,
    level: str,
    by: User | None,
    summary: str = "",
    recorded_at: datetime | None = None,
) -> Device:
    """Record that a device was sanitised, and move it to `sanitised` with the record as evidence."""
    if basis not in SanitisationBasis.values:
        raise DomainError(f"{basis!r} is not a sanitisation basis.", field="basis")
    if level not in SanitisationLevel.values:
        raise DomainError(f"{level!r} is not a NIST SP 800-88 level (clear, purge, destroy).", field="level")
    locked = Device.objects.select_for_update().get(pk=device.pk)
    if locked.state not in (DeviceState.RECEIVED, DeviceState.RETURNED):
        raise DomainError(
            f"{locked.asset_tag} is {locked.state_label.lower()}: only received or returned devices are sanitised."
        )
    outcome = SanitisationOutcome.objects.create(
        device=locked,
        basis=basis,
        level=level,
        summary=summary,
        recorded_by=by,
        recorded_at=recorded_at or timezone.now(),
    )
    record_event(
        kind=EventKind.SANITISATION_RECORDED,
        subject=outcome,
        actor=by,
        programme_id=locked.programme_id,
        data={"device_id": locked.pk, "basis": basis, "level": level},
        occurred_at=outcome.recorded_at,
    )
    return device_transition(
        device=locked,
        to=DeviceState.SANITISED,
        by=by,
        sanitisation=outcome,
        reason=summary,
        occurred_at=outcome.recorded_at,
    )
