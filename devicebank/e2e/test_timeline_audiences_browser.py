"""A donor, a school and a funder each read one device's timeline: their milestones, no staff note, cost or
person (core.audiences). A programme manager reads the same device with all of it. axe on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.devices.models import Device, StorageKind
from devicebank.devices.services import DeviceSpec, device_register, device_transition
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import move
from devicebank.people.models import Location, Organisation, User
from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo
from devicebank.programmes.models import Programme
from devicebank.refurbishment.services import repair_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_NOTE = "Promised to Mrs Jane Doe at the school gate"
FAULT = "Cracked hinge"
COST = "42.50"


@pytest.fixture
def handed_over(transactional_db: None) -> Device:
    """A device Harbour Logistics donated, repaired (with a cost) and handed to Riverside Primary School, with
    a staff note on the way."""
    seed_demo(devices=10)
    donor = Organisation.objects.get(name="Harbour Logistics Ltd")
    school = Organisation.objects.get(name="Riverside Primary School")
    funder = Organisation.objects.get(name="Northbridge Community Foundation")
    programme = Programme.objects.filter(funders=funder).order_by("id").first()
    assert programme is not None
    warehouse = Location.objects.filter(kind=Location.Kind.WAREHOUSE).order_by("id").first()
    assert warehouse is not None
    site = school.locations.order_by("id").first() or Location.objects.create(
        organisation=school, name="Office"
    )
    manager = User.objects.get(email=demo_email("manager"))
    technician = User.objects.get(email=demo_email("technician"))

    device = device_register(
        programme=programme,
        spec=DeviceSpec(  # what the demo programme's specification asks to know
            manufacturer="Dell",
            model="Latitude 5490",
            serial_number="E2EAUDIENCE1",
            cpu_model="Intel Core i5-8350U",
            ram_bytes=8 * 1024**3,
            storage_bytes=256 * 10**9,
            storage_kind=StorageKind.SSD,
        ),
        by=None,
        donor=donor,
    )
    device = move(device, DeviceState.RECEIVED, location=warehouse)
    device = move(device, DeviceState.SANITISED, location=warehouse)
    repair_record(device=device, by=technician, fault=FAULT, action="Hinge replaced", cost=COST)
    device = move(Device.objects.get(pk=device.pk), DeviceState.READY, location=warehouse)
    device = device_transition(device=device, to=DeviceState.IN_TRANSIT, by=manager, reason=STAFF_NOTE)
    return device_transition(
        device=device,
        to=DeviceState.WITH_RECIPIENT,
        by=manager,
        location=site,
        custodian=school,
        handover_kind="gift",
    )


@pytest.mark.parametrize("persona", ["donor", "school", "funder"])
def test_an_outsider_reads_the_milestones_with_no_staff_note_cost_or_person(
    handed_over: Device,
    persona: str,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    axe: Callable[[Any], None],
) -> None:
    sign_in(page, demo_email(persona), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/devices/{handed_over.asset_tag}/")
    axe(page)
    timeline = page.locator(".app-timeline")
    expect(timeline.get_by_text("In transit → with recipient")).to_be_visible()
    expect(timeline.get_by_text("Handover: Gift")).to_be_visible()
    body = page.content()
    for hidden in (
        STAFF_NOTE,
        "Jane Doe",
        FAULT,
        COST,
        "Morgan Manager",
        "Tariq Technician",
        "Repair recorded",
    ):
        assert hidden not in body, f"{persona} sees {hidden!r}"


def test_the_programme_manager_reads_the_same_device_with_the_note_and_who_acted(
    handed_over: Device,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    axe: Callable[[Any], None],
) -> None:
    sign_in(page, demo_email("manager"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/devices/{handed_over.asset_tag}/")
    axe(page)
    timeline = page.locator(".app-timeline")
    expect(timeline.get_by_text(STAFF_NOTE)).to_be_visible()
    expect(timeline.get_by_text("Repair recorded")).to_be_visible()
    expect(timeline.get_by_text("by Morgan Manager").first).to_be_visible()
