"""Finishing: a refurbished device into `ready`, past the readiness guard."""

from __future__ import annotations

from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.models import User
from devicebank.refurbishment.permissions import can_work
from devicebank.refurbishment.services._common import _ensure


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
