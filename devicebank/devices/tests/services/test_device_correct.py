"""Hand corrections of a device's details: capability, reason, one event with every changed field, all or nothing."""

from __future__ import annotations

import pytest

from devicebank.conftest import World
from devicebank.core.errors import DomainError, NotPermitted
from devicebank.core.events import subject_type_of
from devicebank.core.models import Event, EventKind, Note
from devicebank.devices.models import Device
from devicebank.devices.services import SERIAL_NOT_REGISTRABLE, device_correct


def _corrections(device: Device) -> list[Event]:
    return list(
        Event.objects.filter(
            subject_type=subject_type_of(device),
            subject_id=device.pk,
            kind=EventKind.DEVICE_DETAILS_CHANGED,
        ).order_by("id")
    )


def test_a_correction_is_one_event_with_each_changed_fields_old_and_new_value_and_the_reason_in_a_note(
    world: World,
) -> None:
    device = world.device
    old_model = device.model
    device_correct(
        device=device,
        by=world.user("technician"),
        changes={"model": "Latitude E7470", "ram_bytes": 8 * 1024**3, "manufacturer": device.manufacturer},
        reason="Read from the label on the base",
    )
    device.refresh_from_db()
    assert (device.model, device.ram_bytes) == ("Latitude E7470", 8 * 1024**3)
    [event] = _corrections(device)  # the unchanged manufacturer is not in it
    assert event.data == {
        "old": {"model": old_model, "ram_bytes": None},
        "new": {"model": "Latitude E7470", "ram_bytes": 8 * 1024**3},
        "by_hand": True,
    }
    assert event.actor == world.user("technician")
    # the words stay out of the immutable event, in a note that can be erased
    assert Note.objects.get(event=event).text == "Read from the label on the base"


def test_a_correction_needs_a_reason_and_changes_nothing_without_one(world: World) -> None:
    device = world.device
    with pytest.raises(DomainError, match="Say why"):
        device_correct(device=device, by=world.user("manager"), changes={"model": "X1"}, reason="  ")
    device.refresh_from_db()
    assert device.model != "X1"
    assert _corrections(device) == []


@pytest.mark.parametrize("persona", ["warehouse", "donor", "outsider"])
def test_only_technicians_and_managers_of_the_programme_may_correct(world: World, persona: str) -> None:
    with pytest.raises(NotPermitted):
        device_correct(device=world.device, by=world.user(persona), changes={"model": "X1"}, reason="typo")
    world.device.refresh_from_db()
    assert world.device.model != "X1"


def test_a_serial_another_device_has_is_refused_and_nothing_is_half_written(world: World) -> None:
    device, other = world.device, world.school_device
    with pytest.raises(DomainError, match=other.asset_tag):
        device_correct(
            device=device,
            by=world.user("manager"),
            changes={"model": "Changed too", "serial_number": other.serial_number.lower()},
            reason="typo",
        )
    device.refresh_from_db()
    assert device.model != "Changed too"
    assert _corrections(device) == []


def test_the_refusal_never_names_a_device_outside_the_callers_scope(world: World) -> None:
    # the other council's device has the same maker; the manager may not see it, so it is not named
    hidden = world.other_device
    with pytest.raises(DomainError) as refused:
        device_correct(
            device=world.device,
            by=world.user("manager"),
            changes={"manufacturer": hidden.manufacturer, "serial_number": hidden.serial_number},
            reason="typo",
        )
    assert refused.value.message == SERIAL_NOT_REGISTRABLE
    assert hidden.asset_tag not in refused.value.message


def test_a_detail_that_cannot_be_corrected_is_refused(world: World) -> None:
    with pytest.raises(DomainError, match="cannot be corrected: state"):
        device_correct(device=world.device, by=world.user("manager"), changes={"state": "lost"}, reason="x")


def test_a_correction_that_changes_nothing_writes_no_event(world: World) -> None:
    device_correct(
        device=world.device, by=world.user("manager"), changes={"model": world.device.model}, reason="check"
    )
    assert _corrections(world.device) == []
