"""Uploading hardware reports in the browser: results per file, bad files named, axe-core on each page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.devices.models import Device
from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "hardware" / "tests" / "fixtures"


def test_a_technician_uploads_reports_and_sees_what_each_said(
    transactional_db: None,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    axe: Callable[[Any], None],
    tmp_path: Path,
) -> None:
    seed_demo(devices=10)
    junk = tmp_path / "holiday.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    sign_in(page, demo_email("technician"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/devices/")
    page.get_by_role("link", name="Upload hardware reports").click()
    axe(page)
    page.get_by_label("Hardware reports").set_input_files(
        [str(FIXTURES / "thinkpad-t480-nvme-usb-stick.lshw.json"), str(junk)]
    )
    page.get_by_label("Programme for devices not yet registered").select_option(
        label="Northbridge Tech Lending"
    )
    page.get_by_label("Where new devices were received").select_option(
        label="Circuit Renew workshop (Circuit Renew CIC)"
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.get_by_text("holiday.png: ")).to_be_visible()
    # The drive reads as sold ("256 GB NVMe SSD") with its exact size under it.
    expect(page.get_by_text("256,060,514,304 bytes")).to_be_visible()
    axe(page)
    device = Device.objects.get(serial_number="PF1HXK2Q")
    page.get_by_role("link", name=device.asset_tag).click()
    expect(page.get_by_role("heading", name="Hardware reports")).to_be_visible()
    axe(page)


def test_a_report_for_another_model_is_held_and_a_technician_attaches_it_with_a_reason(
    transactional_db: None,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    axe: Callable[[Any], None],
) -> None:
    seed_demo(devices=10)
    device = Device.objects.filter(device_type="laptop").exclude(model__icontains="E7240").first()
    assert device is not None
    sign_in(page, demo_email("technician"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/hardware/upload/")
    page.get_by_label("Hardware reports").set_input_files(
        [str(FIXTURES / "ereuse-workbench-script-latitude-e7240.json")]
    )
    page.get_by_label("Asset tag (optional)").fill(device.asset_tag)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Held for a decision")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Compare and decide").click()
    expect(page.get_by_role("heading", name="This report waits for a decision")).to_be_visible()
    expect(page.get_by_role("cell", name="Latitude E7240").first).to_be_visible()
    axe(page)
    page.get_by_label("Attach it to this device anyway").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(
        page.get_by_role("link", name="Say why the report belongs to this device although it disagrees.")
    ).to_be_visible()
    axe(page)
    page.get_by_label("Why (needed to attach it anyway)").fill("The donor replaced the motherboard")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("heading", name="Hardware report")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=f"Back to {device.asset_tag}").click()
    expect(page.get_by_role("heading", name="Hardware reports")).to_be_visible()
    axe(page)
