"""Device factories. Devices are made through the services, so their events and rules are real."""

from __future__ import annotations

import itertools
from typing import Any

from devicebank.devices.models import Device, DeviceType
from devicebank.devices.services import DeviceSpec, device_register, device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.models import Location
from devicebank.programmes.models import Programme
from devicebank.refurbishment.demo import refurbish_for_demo
from devicebank.sanitisation.demo import sanitise_for_demo

_serials = itertools.count(100000)

S = DeviceState
# A path through the lifecycle that reaches every non-terminal state.
PATH_TO: dict[DeviceState, list[DeviceState]] = {
    S.PLEDGED: [],
    S.RECEIVED: [S.RECEIVED],
    S.SANITISED: [S.RECEIVED, S.SANITISED],
    S.IN_REFURBISHMENT: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT],
    S.READY: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY],
    S.RESERVED: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.RESERVED],
    S.IN_TRANSIT: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.IN_TRANSIT],
    S.WITH_RECIPIENT: [S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.IN_TRANSIT, S.WITH_RECIPIENT],
    S.RETURNED: [
        S.RECEIVED,
        S.SANITISED,
        S.IN_REFURBISHMENT,
        S.READY,
        S.IN_TRANSIT,
        S.WITH_RECIPIENT,
        S.RETURNED,
    ],
    S.RECYCLED: [S.RECEIVED, S.RECYCLED],
    S.DESTROYED: [S.RECEIVED, S.DESTROYED],
    S.LOST: [S.RECEIVED, S.LOST],
    S.WITHDRAWN: [S.WITHDRAWN],
}


def make_device(
    *,
    programme: Programme,
    location: Location,
    state: DeviceState = S.PLEDGED,
    serial: str | None = None,
    manufacturer: str = "Dell",
    **extra: Any,
) -> Device:
    """A device in `state`, walked there through the real services (by the system, so no role checks)."""
    device = device_register(
        programme=programme,
        spec=DeviceSpec(
            device_type=extra.pop("device_type", DeviceType.LAPTOP),
            manufacturer=manufacturer,
            model=extra.pop("model", "Latitude 5490"),
            serial_number=serial if serial is not None else f"SN{next(_serials)}",
        ),
        by=None,
        donor=extra.pop("donor", None),
    )
    for target in PATH_TO[state]:
        device = move(device, target, location=location)
    return device


def move(device: Device, target: DeviceState, *, location: Location, by: Any = None) -> Device:
    if target == S.SANITISED:
        return sanitise_for_demo(device, by=by)
    if target == S.READY:
        device = refurbish_for_demo(device, by=by)
    return device_transition(
        device=device,
        to=target,
        by=by,
        location=location if target in (S.RECEIVED, S.RETURNED) else None,
        handover_kind="loan" if target == S.WITH_RECIPIENT else None,
    )
