"""device_transition: every allowed move works and leaves one event; every other move is refused with a reason."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from devicebank.conftest import World
from devicebank.core.errors import Conflict, DomainError, NotPermitted
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import TRANSITIONS, DeviceState, InvalidTransition
from devicebank.devices.tests.factories import make_device, move
from devicebank.refurbishment.demo import refurbish_for_demo
from devicebank.sanitisation.models import SanitisationOutcome

S = DeviceState
ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
FORBIDDEN = [(a, b) for a, b in itertools.product(DeviceState, DeviceState) if b not in TRANSITIONS[a]]


def _events(device: Device) -> list[Event]:
    """The device's lifecycle events (evidence records add events of their own)."""
    return list(
        Event.objects.filter(
            subject_type="devices.device",
            subject_id=device.pk,
            kind__in=[EventKind.DEVICE_REGISTERED, EventKind.DEVICE_STATE_CHANGED],
        )
    )


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_it_makes_every_allowed_move_and_records_it(world: World, source: S, target: S) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=source)
    before = len(_events(device))

    moved = move(device, target, location=world.warehouse)

    moved.refresh_from_db()
    assert moved.state == target
    events = _events(moved)
    assert len(events) == before + 1
    last = events[-1]
    assert last.kind == EventKind.DEVICE_STATE_CHANGED
    assert (last.data["old"], last.data["new"]) == (source.value, target.value)
    assert last.programme_id == world.programme.pk


@pytest.mark.parametrize(("source", "target"), FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN])
def test_it_refuses_every_other_move_and_writes_nothing(world: World, source: S, target: S) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=source)
    before = len(_events(device))

    with pytest.raises(InvalidTransition) as refused:
        device_transition(device=device, to=target, by=None, location=world.warehouse, handover_kind="gift")

    assert str(refused.value)  # the reason is said
    device.refresh_from_db()
    assert device.state == source
    assert len(_events(device)) == before


def test_it_says_which_moves_are_possible(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.PLEDGED)
    with pytest.raises(
        InvalidTransition,
        match="pledged device cannot become ready; it can become: lost, received, withdrawn",
    ):
        device_transition(device=device, to=S.READY, by=None)


def test_a_device_never_becomes_sanitised_without_an_outcome(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    with pytest.raises(InvalidTransition, match="without a recorded sanitisation outcome"):
        device_transition(device=device, to=S.SANITISED, by=None)


def test_another_devices_outcome_is_not_evidence(world: World) -> None:
    one = make_device(programme=world.programme, location=world.warehouse, state=S.SANITISED)
    other = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    with pytest.raises(InvalidTransition, match="belongs to another device"):
        device_transition(device=other, to=S.SANITISED, by=None, sanitisation=one.sanitisation)


def test_a_returned_device_must_be_sanitised_again_before_it_is_ready(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RETURNED)
    old_outcome = SanitisationOutcome.objects.filter(device=device).get()

    assert device.sanitisation_id is None
    # The lifecycle has no path from returned to ready or refurbishment without sanitised...
    for target in (S.READY, S.IN_REFURBISHMENT):
        with pytest.raises(InvalidTransition):
            device_transition(device=device, to=target, by=None)
    # ...and the old outcome, recorded before it went out, does not count.
    with pytest.raises(InvalidTransition, match="older than the device's return"):
        device_transition(device=device, to=S.SANITISED, by=None, sanitisation=old_outcome)

    device = move(device, S.SANITISED, location=world.warehouse)
    device = move(device, S.IN_REFURBISHMENT, location=world.warehouse)
    device = move(device, S.READY, location=world.warehouse)
    assert device.state == S.READY
    assert device.sanitisation_id != old_outcome.pk


def test_ready_is_refused_when_the_sanitisation_evidence_is_missing(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.IN_REFURBISHMENT)
    # Simulate a row whose evidence link was lost (e.g. an import bug): the service still refuses.
    Device.objects.filter(pk=device.pk).update(sanitisation=None)
    with pytest.raises(InvalidTransition, match="no sanitisation evidence"):
        device_transition(device=device, to=S.READY, by=None)


def test_handing_over_needs_a_handover_kind(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.IN_TRANSIT)
    with pytest.raises(DomainError, match="gift, sale, loan or ownership transfer"):
        device_transition(device=device, to=S.WITH_RECIPIENT, by=None)
    device = device_transition(device=device, to=S.WITH_RECIPIENT, by=None, handover_kind="sale")
    assert _events(device)[-1].data["handover_kind"] == "sale"


def test_a_handover_kind_on_another_move_is_refused(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.READY)
    with pytest.raises(DomainError, match="only applies"):
        device_transition(device=device, to=S.RESERVED, by=None, handover_kind="gift")


def test_receiving_needs_a_place(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.PLEDGED)
    with pytest.raises(DomainError, match="Say where"):
        device_transition(device=device, to=S.RECEIVED, by=None)


def test_receiving_sets_the_location_and_the_custodian(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.PLEDGED)
    device = device_transition(
        device=device, to=S.RECEIVED, by=None, location=world.warehouse, reason="On pallet 4"
    )
    assert device.location == world.warehouse
    assert device.custodian == world.refurbisher
    event = _events(device)[-1]
    assert event.note.text == "On pallet 4"  # the words go to an erasable note, not the event
    assert event.reason == ""
    assert event.data["location"] == {"id": world.warehouse.pk}


def test_the_event_records_who_acted(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.READY)
    device_transition(device=device, to=S.RESERVED, by=world.user("warehouse"))
    assert _events(device)[-1].actor == world.user("warehouse")


def test_a_role_without_the_right_is_refused(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.READY)
    with pytest.raises(NotPermitted, match="does not allow marking devices as reserved"):
        device_transition(device=device, to=S.RESERVED, by=world.user("technician"))
    for persona in ("donor", "school", "funder", "referrer", "outsider"):
        with pytest.raises(NotPermitted):
            device_transition(device=device, to=S.RESERVED, by=world.user(persona))
    device.refresh_from_db()
    assert device.state == S.READY


def test_a_stale_form_cannot_overwrite_a_newer_change(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.IN_REFURBISHMENT)
    refurbish_for_demo(device, by=None)  # it passed its tests, grade and OS install
    device_transition(device=device, to=S.READY, by=None, expected_state=S.IN_REFURBISHMENT)
    # A second technician finishing the same device from an old page gets a clear conflict.
    with pytest.raises(Conflict, match="someone changed it"):
        device_transition(device=device, to=S.RECYCLED, by=None, expected_state=S.IN_REFURBISHMENT)
    device.refresh_from_db()
    assert device.state == S.READY
    assert [e.data.get("new") for e in _events(device)].count("ready") == 1


def test_back_dated_moves_keep_their_time_but_cannot_precede_the_last_change(world: World) -> None:
    start = timezone.now() - timezone.timedelta(days=10)
    device = make_device(programme=world.programme, location=world.warehouse, state=S.PLEDGED)
    Device.objects.filter(pk=device.pk).update(state_changed_at=start)
    with pytest.raises(DomainError, match="before"):
        device_transition(
            device=device, to=S.WITHDRAWN, by=None, occurred_at=start - timezone.timedelta(days=1)
        )

    when = start + timezone.timedelta(days=3)
    device = device_transition(device=device, to=S.WITHDRAWN, by=None, occurred_at=when)
    assert device.state_changed_at == when
    assert Event.objects.filter(
        subject_id=device.pk, subject_type="devices.device", occurred_at=when
    ).exists()
