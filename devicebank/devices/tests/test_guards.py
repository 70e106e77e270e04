"""Rules other apps register (devices.guards) are applied by device_transition, all reasons at once."""

from __future__ import annotations

from collections import defaultdict

import pytest

from devicebank.conftest import World
from devicebank.devices import guards
from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState, InvalidTransition
from devicebank.devices.tests.factories import make_device


@pytest.fixture
def two_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    copy: defaultdict[DeviceState, list[guards.Guard]] = defaultdict(list)
    copy.update({state: list(rules) for state, rules in guards._GUARDS.items()})
    monkeypatch.setattr(guards, "_GUARDS", copy)

    def no_reservations_on_fridays(device: Device) -> list[str]:
        return ["Reservations are closed."]

    def needs_a_label(device: Device) -> list[str]:
        return [] if device.model else ["Print its label first."]

    guards.register_guard(DeviceState.RESERVED, no_reservations_on_fridays)
    guards.register_guard(DeviceState.RESERVED, needs_a_label)


@pytest.mark.usefixtures("two_rules")
def test_every_failing_rule_is_reported_and_nothing_moves(world: World) -> None:
    device = make_device(
        programme=world.programme, location=world.warehouse, state=DeviceState.READY, model=""
    )
    with pytest.raises(
        InvalidTransition, match=r"cannot be reserved yet: Reservations are closed\. Print its label"
    ):
        device_transition(device=device, to=DeviceState.RESERVED, by=None)
    device.refresh_from_db()
    assert device.state == DeviceState.READY


@pytest.mark.usefixtures("two_rules")
def test_rules_for_other_states_do_not_apply(world: World) -> None:
    device = make_device(
        programme=world.programme, location=world.warehouse, state=DeviceState.READY, model=""
    )
    assert (
        device_transition(device=device, to=DeviceState.IN_TRANSIT, by=None).state == DeviceState.IN_TRANSIT
    )
