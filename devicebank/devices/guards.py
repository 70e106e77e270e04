"""Readiness rules other domains add to the lifecycle, without the devices app knowing them.

An app registers a guard for a target state in its AppConfig.ready():

    register_guard(DeviceState.READY, refurbishment_guard)

`device_transition` calls every guard for the target state with the locked device; each returns the reasons
the move must not happen (empty when it may). All reasons are reported together, so a technician sees every
rule that failed at once. A guard may instead raise InvalidTransition when the move is refused outright and its
reason should stand alone (sanitisation's: evidence missing, or from another device or an earlier pass).

This is how the spine learns of the domains above it: by what they register here, and by the events they
write, never by importing them (docs/architecture.md, "Layers").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from devicebank.devices.states import DeviceState

if TYPE_CHECKING:
    from devicebank.devices.models import Device

Guard = Callable[["Device"], list[str]]
_GUARDS: dict[DeviceState, list[Guard]] = defaultdict(list)


def register_guard(target: DeviceState, guard: Guard) -> None:
    if guard not in _GUARDS[target]:
        _GUARDS[target].append(guard)


def blocking_reasons(device: Device, target: DeviceState) -> list[str]:
    reasons: list[str] = []
    for guard in _GUARDS.get(target, []):
        reasons.extend(guard(device))
    return reasons
