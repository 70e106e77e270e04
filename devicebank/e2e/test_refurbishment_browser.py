"""The workbench by keyboard alone: scan a sanitised laptop, test it, grade it, record Windows 11 with its key,
mark it ready and land on the scan box for the next device. axe-core on every page; no mouse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.devices.models import Device, DeviceType, StorageKind
from devicebank.devices.services import DeviceSpec, device_register
from devicebank.devices.states import DeviceState
from devicebank.e2e.conftest import enrol_if_needed
from devicebank.people.models import Location, User
from devicebank.people.tests.helpers import fresh_code
from devicebank.people.two_factor import authenticator_for
from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo
from devicebank.programmes.models import Programme
from devicebank.refurbishment.checklists import default_checklist
from devicebank.refurbishment.models import DeviceSecret, OsInstall
from devicebank.sanitisation.demo import sanitise_for_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KEY = "VK7JG-NPHTM-C97JM-9MPGT-3V66T"


@pytest.fixture
def sanitised_laptop(transactional_db: None) -> Device:
    seed_demo(devices=20)
    technician = User.objects.get(email=demo_email("technician"))
    device = device_register(
        programme=Programme.objects.get(slug="northbridge-tech-lending"),
        spec=DeviceSpec(
            device_type=DeviceType.LAPTOP,
            manufacturer="Dell",
            model="Latitude 5490",
            serial_number="KBD5490X1",
            cpu_model="Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz",
            ram_bytes=8 * 1024**3,
            storage_bytes=256 * 10**9,
            storage_kind=StorageKind.SSD,
        ),
        by=technician,
        state=DeviceState.RECEIVED,
        location=Location.objects.get(name="Circuit Renew workshop"),
    )
    return sanitise_for_demo(device, by=technician)


def _focused(page: Any) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))


def _sign_in_by_keyboard(page: Any, url: str) -> None:
    enrol_if_needed(demo_email("technician"))
    page.goto(f"{url}/sign-in/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")  # to the main content
    page.keyboard.press("Tab")
    assert _focused(page) == "id_username" or "email" in _focused(page).lower()
    page.keyboard.type(demo_email("technician"))
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/sign-in/code/**")
    # The code step by keyboard too: the field has the focus after the skip link and main content.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page) == "id_code"
    technician = User.objects.get(email=demo_email("technician"))
    device = authenticator_for(technician)
    assert device is not None
    page.keyboard.type(fresh_code(device))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/")


def test_a_technician_takes_a_laptop_from_sanitised_to_ready_by_keyboard_alone(
    sanitised_laptop: Device, page: Any, live_server: Any, axe: Callable[[Any], None]
) -> None:
    device = sanitised_laptop
    tag = device.asset_tag
    _sign_in_by_keyboard(page, live_server.url)

    # Scan: the box has the focus; a barcode scanner types the tag and Enter.
    page.goto(f"{live_server.url}/refurbishment/")
    axe(page)
    assert _focused(page) == "id_code"
    page.keyboard.type(tag.lower())
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/refurbishment/devices/{tag}/")
    axe(page)
    expect(page.get_by_text("Tests: none recorded for this pass.")).to_be_visible()

    # The next step is focused: Enter opens the tests.
    assert _focused(page) == "Next: Tests"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/refurbishment/devices/{tag}/tests/**")
    axe(page)
    for _item in default_checklist(DeviceType.LAPTOP):
        page.keyboard.press("Space")  # the group's first radio, "Pass", has the focus
        page.keyboard.press("Tab")  # its note
        page.keyboard.press("Tab")  # the next check
    assert _focused(page) == "id_battery_health_percent"
    page.keyboard.type("88")
    page.keyboard.press("Tab")
    page.keyboard.type("14")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # TPM: from "Not checked" to "TPM 2.0"
    page.keyboard.press("Tab")  # notes
    page.keyboard.press("Tab")  # Save results
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/refurbishment/devices/{tag}/")
    axe(page)
    expect(page.get_by_text(f"Test results recorded for {tag}.")).to_be_visible()

    assert _focused(page) == "Next: Grade"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/refurbishment/devices/{tag}/grade/**")
    axe(page)
    page.keyboard.press("ArrowDown")  # cosmetic grade B
    page.keyboard.press("Tab")  # notes
    page.keyboard.type("Light scratches on the lid")
    page.keyboard.press("Tab")  # Save grade
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/refurbishment/devices/{tag}/")
    axe(page)

    assert _focused(page) == "Next: Operating system"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/refurbishment/devices/{tag}/os/**")
    axe(page)
    page.keyboard.press("Space")  # Windows 11 Pro
    page.keyboard.press("Tab")
    page.keyboard.type("Northbridge Win11 Pro")
    page.keyboard.press("Tab")
    page.keyboard.type("24H2")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # refurbisher licence: citizenship
    page.keyboard.press("Tab")
    page.keyboard.type(KEY.lower())
    page.keyboard.press("Enter")  # Enter in a text box submits the form
    page.wait_for_url(f"**/refurbishment/devices/{tag}/")
    axe(page)
    expect(page.get_by_text("Windows 11 Pro recorded")).to_be_visible()

    assert _focused(page) == "Mark as ready"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/refurbishment/")
    axe(page)
    expect(page.get_by_text(f"{tag} is now ready. Scan the next device.")).to_be_visible()
    assert _focused(page) == "id_code"  # ready for the next device

    device.refresh_from_db()
    assert device.state == DeviceState.READY
    install = OsInstall.objects.get(device=device)
    assert (install.os, install.image_name) == ("windows_11_pro", "Northbridge Win11 Pro")
    assert DeviceSecret.objects.get(device=device).hint == "3V66T"
    assert device.grades.get().cosmetic == "B"
