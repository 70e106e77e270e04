"""Intake in the browser: record a donation, upload its register, confirm columns, import, scan devices in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = (
    "Asset register: Harbour Logistics laptop refresh\n"
    "\n"
    "S/N,Vendor,Product,Asset No,RAM (GB),Storage,Colour\n"
    "HLX00001,Dell Inc.,Latitude 5490,HL-1001,8,256GB SSD,Black\n"
    "HLX00002,HP,EliteBook 840 G5,HL-1002,16,512 GB NVMe,Silver\n"
    "To Be Filled By O.E.M.,Lenovo,ThinkPad T480,,8,256GB SSD,Black\n"
)


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo(devices=20)


def test_a_register_goes_from_upload_through_mapping_and_progress_to_result(
    demo: None,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    axe: Callable[[Any], None],
    tmp_path: Path,
) -> None:
    register = tmp_path / "harbour-register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    sign_in(page, demo_email("warehouse"), DEMO_PASSWORD)

    page.get_by_role("link", name="Donations").first.click()
    axe(page)
    page.get_by_role("link", name="Record a donation").click()
    axe(page)
    page.get_by_label("Donor").select_option(label="Harbour Logistics Ltd")
    page.get_by_label("Description (optional)").fill("Laptop refresh")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("recorded").first).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Upload the asset register").click()
    axe(page)
    page.get_by_label("Upload the asset register").set_input_files(str(register))
    page.get_by_role("button", name="Upload and check").click()
    # The Colour column is not a register field: the person is asked about it.
    expect(page.get_by_role("heading", name="Check the columns")).to_be_visible()
    axe(page)
    page.get_by_label("Colour").select_option(label="Ignore this column")
    page.get_by_role("button", name="Check the rows").click()
    expect(page.get_by_role("heading", name="Check the result")).to_be_visible()
    axe(page)
    page.get_by_label("Import the valid rows and report the rest").check()
    page.get_by_role("button", name="Import").click()
    # Tasks run in-process here, so the progress page has already moved to the result.
    expect(page.get_by_role("heading", name="Register imported")).to_be_visible()
    axe(page)
    status = page.request.get(page.url + "status/").json()
    assert (status["status"], status["progress_percent"], status["devices_created"]) == ("completed", 100, 2)
    report = page.request.get(page.url + "rejected.csv")
    assert "serial" in report.text().lower()  # the placeholder-serial row, with its reason

    assert (
        Device.objects.filter(serial_number__in=["HLX00001", "HLX00002"], state=DeviceState.PLEDGED).count()
        == 2
    )


def test_devices_are_scanned_in_one_after_another_with_the_keyboard(
    demo: None,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    axe: Callable[[Any], None],
) -> None:
    from devicebank.donations.models import Donation
    from devicebank.donations.services import donation_create, register_import_queue, register_import_start
    from devicebank.people.models import Organisation, User
    from devicebank.programmes.models import Programme

    warehouse = User.objects.get(email=demo_email("warehouse"))
    donation = donation_create(
        programme=Programme.objects.get(),
        by=warehouse,
        donor=Organisation.objects.get(name="Kestrel Insurance plc"),
    )
    imp, _ = register_import_start(
        donation=donation,
        file_name="k.csv",
        by=warehouse,
        data=b"Serial,Make\nKST00001,Dell\nKST00002,Dell\n",
    )
    register_import_queue(imp=imp, mode="all_or_nothing", by=warehouse)
    assert Donation.objects.get(pk=donation.pk).devices.count() == 2

    sign_in(page, demo_email("warehouse"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/donations/{donation.pk}/receive/")
    axe(page)
    scan = page.get_by_label("Scan or type an asset tag or serial number")
    assert scan.evaluate("el => el === document.activeElement")  # ready for the scanner
    scan.type("kst00001")
    page.keyboard.press("Enter")
    expect(page.get_by_text("received at").first).to_be_visible()
    axe(page)
    page.get_by_label("Scan or type an asset tag or serial number").type("NOTONREGISTER9")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Add it to this donation")).to_be_visible()
    axe(page)
    page.get_by_label("Manufacturer").fill("Acer")
    page.get_by_role("button", name="Add and receive").click()
    expect(page.get_by_text("not on the register").first).to_be_visible()
    page.goto(f"{live_server.url}/donations/{donation.pk}/")
    axe(page)
    expect(page.locator(".app-queue-list")).to_contain_text("1 missing")
    states = dict(Device.objects.filter(donation=donation).values_list("serial_number", "state"))
    assert states == {"KST00001": "received", "KST00002": "pledged", "NOTONREGISTER9": "received"}
