"""Each reader sees a device's timeline as their audience (core.audiences): the programme's staff everything, the
donor, the school holding it and a funder only the milestones, with no person, note or cost."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from devicebank.conftest import World
from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.refurbishment.services import repair_record
from devicebank.sanitisation.services import certificate_issue_for_device

pytestmark = pytest.mark.django_db

STAFF_NOTE = "Collected from the finance office, Jane Doe's old laptop"
FAULT = "Cracked hinge"


def handed_over_device(w: World) -> Device:
    """A donated device taken through its life to the school, with a staff note, a repair and a certificate."""
    w.school.postcode = "LS6 3AA"
    w.school.save(update_fields=["postcode"])
    device = make_device(
        programme=w.programme, location=w.warehouse, state=DeviceState.SANITISED, donor=w.donor
    )
    certificate_issue_for_device(device=device, by=w.user("manager"))
    repair_record(device=device, by=w.user("technician"), fault=FAULT, action="Hinge replaced", cost="42.50")
    device.refresh_from_db()
    device = make_device_ready(device)
    device = device_transition(
        device=device, to=DeviceState.IN_TRANSIT, by=w.user("manager"), reason=STAFF_NOTE
    )
    return device_transition(
        device=device,
        to=DeviceState.WITH_RECIPIENT,
        by=w.user("manager"),
        location=w.school_site,
        custodian=w.school,
        handover_kind="loan",
    )


def make_device_ready(device: Device) -> Device:
    from devicebank.devices.tests.factories import move

    return move(device, DeviceState.READY, location=device.location)


def timeline(client: Client, w: World, persona: str, device: Device) -> list[dict[str, Any]]:
    client.force_login(w.user(persona))
    response = client.get(f"/api/v1/devices/{device.asset_tag}/events/?page_size=100")
    assert response.status_code == 200, response.content
    results: list[dict[str, Any]] = response.json()["results"]
    return results


@pytest.mark.parametrize("persona", ["manager", "admin"])
def test_programme_staff_see_every_event_with_people_notes_and_costs(
    client: Client, world: World, persona: str
) -> None:
    device = handed_over_device(world)
    events = timeline(client, world, persona, device)
    kinds = {e["kind"] for e in events}
    assert {"repair_recorded", "certificate_issued", "device_state_changed", "device_registered"} <= kinds
    assert STAFF_NOTE in [e["reason"] for e in events]
    repair = next(e for e in events if e["kind"] == "repair_recorded")
    assert Decimal(repair["data"]["cost"]) == Decimal("42.50")
    assert any(e["actor"] == str(world.user("manager")) for e in events)


def test_a_technician_of_a_partner_sees_the_work_but_not_who_viewed_or_exported(
    client: Client, world: World
) -> None:
    device = handed_over_device(world)
    events = timeline(client, world, "technician", device)
    assert "repair_recorded" in {e["kind"] for e in events}
    assert STAFF_NOTE in [e["reason"] for e in events]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("donor", {"received", "sanitised", "ready", "with_recipient"}),
        ("school", {"sanitised", "ready", "in_transit", "with_recipient", "received"}),
        ("trust", {"sanitised", "ready", "in_transit", "with_recipient", "received"}),
        ("funder", {"received", "sanitised", "ready", "with_recipient"}),
    ],
)
def test_readers_outside_the_programme_see_only_their_milestones_with_no_person_note_or_cost(
    client: Client, world: World, persona: str, expected: set[str]
) -> None:
    device = handed_over_device(world)
    events = timeline(client, world, persona, device)
    moves = {e["data"]["new"] for e in events if e["kind"] in ("device_state_changed", "device_registered")}
    assert moves == expected
    assert {e["kind"] for e in events} <= {"device_state_changed", "device_registered", "certificate_issued"}
    for event in events:
        assert event["actor"] is None
        assert event["reason"] == ""
        assert set(event["data"]) <= {"old", "new", "handover_kind", "certificate"}
    handover = next(e for e in events if e["data"].get("new") == "with_recipient")
    assert handover["data"]["handover_kind"] == "loan"
    assert handover["area"] == "LS6"


@pytest.mark.parametrize(
    ("persona", "sees_certificate"), [("donor", True), ("school", True), ("funder", False)]
)
def test_the_certificate_is_shown_to_the_donor_and_the_holder_but_not_the_public(
    client: Client, world: World, persona: str, sees_certificate: bool
) -> None:
    device = handed_over_device(world)
    certificates = [e for e in timeline(client, world, persona, device) if e["kind"] == "certificate_issued"]
    assert bool(certificates) is sees_certificate
    if certificates:
        assert certificates[0]["data"]["certificate"] == device.certificates.get().number


def test_a_funder_lists_no_devices_but_may_open_one_of_a_programme_it_funds(
    client: Client, world: World
) -> None:
    client.force_login(world.user("funder"))
    assert client.get("/api/v1/devices/").json()["results"] == []
    page = client.get(f"/devices/{world.device.asset_tag}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert world.device.serial_number not in body
    assert world.donor.name not in body
    assert client.get(f"/devices/{world.other_device.asset_tag}/").status_code == 404


@pytest.mark.parametrize("persona", ["donor", "school", "funder"])
def test_the_device_page_shows_outsiders_no_staff_note_cost_or_person(
    client: Client, world: World, persona: str
) -> None:
    device = handed_over_device(world)
    client.force_login(world.user(persona))
    body = client.get(f"/devices/{device.asset_tag}/").content.decode()
    assert "With recipient" in body or "with recipient" in body
    for secret in (STAFF_NOTE, "Jane Doe", FAULT, "42.50", str(world.user("manager")), "Repair recorded"):
        assert secret not in body


def test_the_device_page_shows_staff_the_note_and_who_acted(client: Client, world: World) -> None:
    device = handed_over_device(world)
    client.force_login(world.user("manager"))
    body = client.get(f"/devices/{device.asset_tag}/").content.decode()
    assert STAFF_NOTE.replace("'", "&#x27;") in body
    assert "Repair recorded" in body
    assert f"by {world.user('manager')}" in body
