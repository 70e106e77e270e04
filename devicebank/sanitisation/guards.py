"""The rules sanitisation adds to the device lifecycle (registered in SanitisationConfig.ready()).

devices.services.device_transition runs them inside its lock, through devices.guards, so the devices app never
imports sanitisation. Each refuses the move outright (InvalidTransition), before any other app's reasons: evidence
that is missing or belongs to another pass is not something to list beside a missing grade.
"""

from __future__ import annotations

from devicebank.devices.models import Device
from devicebank.devices.states import InvalidTransition


def outcome_guard(device: Device) -> list[str]:
    """Into `sanitised`: the outcome on the device (set by device_transition from its caller) is this device's,
    recorded in this pass. sanitisation.services.sanitisation_record_outcome is the one caller that has one."""
    outcome = device.sanitisation
    if outcome is None:
        raise InvalidTransition(
            f"{device.asset_tag} cannot be marked sanitised without a recorded sanitisation outcome."
        )
    if outcome.device_id != device.pk:
        raise InvalidTransition("That sanitisation record belongs to another device.")
    if outcome.recorded_at < device.state_changed_at:
        raise InvalidTransition(
            "That sanitisation record is older than the device's return: it must be sanitised again."
        )
    return []


def evidence_guard(device: Device) -> list[str]:
    """Into `ready`: the device has sanitisation evidence for this pass (entering received or returned clears it)."""
    if device.sanitisation_id is None:
        raise InvalidTransition(
            f"{device.asset_tag} has no sanitisation evidence for this pass: it must be sanitised before it "
            "can be ready."
        )
    return []
