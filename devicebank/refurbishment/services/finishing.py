"""Finishing: a refurbished device into `ready`, past the readiness guard."""

from __future__ import annotations

from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.refurbishment.permissions import can_refurbish


def device_mark_ready(
    *,
    device: Device,
    by: User | None,
    expected_state: str | None = DeviceState.IN_REFURBISHMENT,
    reason: str = "",
) -> Device:
    """Move a refurbished device to `ready`. The readiness guard refuses it with every failing rule; if someone
    else moved it first, `expected_state` no longer holds and the answer is a Conflict, with nothing written."""
    can_refurbish.require(acting_scope(by), device.programme_id)
    return device_transition(
        device=device,
        to=DeviceState.READY,
        by=by,
        reason=reason or "Passed its tests, grading and specification at the workbench",
        expected_state=expected_state,
    )
