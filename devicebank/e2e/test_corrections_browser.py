"""A technician corrects a device's details by hand from its page: refused first (a serial another device has,
what was typed kept), then saved; axe-core on each page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo(devices=60)


def test_a_technician_corrects_a_devices_details_by_hand(
    demo: None, page: Any, live_server: Any, sign_in: Callable[..., None], axe: Callable[[Any], None]
) -> None:
    device = Device.objects.filter(state=DeviceState.RECEIVED).exclude(serial_number=None).order_by("id")[0]
    # a serial is unique per maker: the clash is with another device of the same maker
    other = (
        Device.objects.filter(manufacturer_key=device.manufacturer_key)
        .exclude(pk=device.pk)
        .exclude(serial_number=None)
        .order_by("id")[0]
    )
    sign_in(page, demo_email("technician"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/devices/{device.asset_tag}/")
    page.get_by_role("link", name="Correct the details").click()
    page.wait_for_url(f"**/devices/{device.asset_tag}/details/")
    axe(page)
    assert page.get_by_label("Serial number").input_value() == device.serial_number

    page.get_by_label("Model").fill("Latitude E7470")
    page.get_by_label("Serial number").fill(other.serial_number)
    page.get_by_label("Why are you correcting it?").fill("Read from the label on the base")
    page.get_by_role("button", name="Save the correction").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("There is a problem")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Model").input_value() == "Latitude E7470"
    assert page.get_by_label("Why are you correcting it?").input_value() == "Read from the label on the base"
    axe(page)

    page.get_by_label("Serial number").fill(device.serial_number)
    page.get_by_role("button", name="Save the correction").click()
    page.wait_for_url(f"**/devices/{device.asset_tag}/")
    expect(page.get_by_text(f"The details of {device.asset_tag} are corrected.")).to_be_visible()
    expect(page.locator(".app-timeline").get_by_text("Details corrected").first).to_be_visible()
    axe(page)
    device.refresh_from_db()
    assert device.model == "Latitude E7470"
