"""Sanitisation in the browser: the queue, importing an nwipe log, marking sanitised, a certificate, verifying it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo
from devicebank.sanitisation.models import DriveErasure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOG = (
    Path(__file__).resolve().parents[1]
    / "sanitisation"
    / "tests"
    / "fixtures"
    / "nwipe-0.33-zero-verified.log"
)


def test_a_technician_wipes_a_device_certifies_it_and_anyone_can_verify(
    transactional_db: None,
    page: Any,
    browser: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    axe: Callable[[Any], None],
) -> None:
    seed_demo(devices=30)
    device = Device.objects.filter(state=DeviceState.RECEIVED, device_type="laptop").order_by("id").first()
    assert device is not None
    sign_in(page, demo_email("technician"), DEMO_PASSWORD)
    page.get_by_role("link", name="Sanitisation").first.click()
    expect(page.get_by_role("heading", name="Awaiting sanitisation")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=device.asset_tag).click()
    expect(page.get_by_role("heading", name="Sanitisation")).to_be_visible()
    axe(page)

    page.get_by_label("Erasure report").set_input_files(str(LOG))
    page.get_by_role("button", name="Upload erasure report").click()
    expect(page.get_by_text("1 drive records; 1 flagged for a look")).to_be_visible()
    axe(page)
    # The loop device nwipe wiped here has no serial: a person looks, and says why it can be trusted.
    page.get_by_label("Why can this record be trusted?").fill("Single drive, serial checked on the label")
    page.get_by_role("button", name="Accept after review").click()
    expect(page.get_by_text("Review recorded")).to_be_visible()
    page.get_by_role("link", name="Mark it as sanitised").click()
    axe(page)
    page.get_by_role("button", name="Mark as sanitised").click()
    expect(page.get_by_text(f"{device.asset_tag} is now sanitised")).to_be_visible()
    record = DriveErasure.objects.get(device=device)
    assert (record.result, record.review_note) == ("erased", "Single drive, serial checked on the label")

    page.goto(f"{live_server.url}/sanitisation/devices/{device.asset_tag}/")
    page.get_by_role("button", name="Issue a certificate").click()
    expect(page.get_by_text("Certificate SC-")).to_be_visible()
    axe(page)
    certificate = device.certificates.get()
    pdf = page.request.get(f"{live_server.url}/sanitisation/certificates/{certificate.number}/pdf/")
    assert pdf.body().startswith(b"%PDF")

    visitor = browser.new_context(bypass_csp=True).new_page()  # anyone, not signed in, from the QR code
    visitor.goto(f"{live_server.url}/verify/{certificate.verification_code}/")
    expect(visitor.get_by_role("heading", name=certificate.number)).to_be_visible()
    expect(visitor.get_by_text("Current")).to_be_visible()
    axe(visitor)

    # typed from paper, in groups: the form finds it; an old number-only QR code gets the plain "no certificate" page
    visitor.goto(f"{live_server.url}/verify/{certificate.number}/")
    expect(visitor.get_by_role("heading", name="No certificate with that code")).to_be_visible()
    axe(visitor)
    code = certificate.verification_code
    visitor.get_by_label("Verification code").fill(" ".join(code[i : i + 4] for i in range(0, 24, 4)).upper())
    visitor.get_by_role("button", name="Check the certificate").click()
    expect(visitor.get_by_role("heading", name=certificate.number)).to_be_visible()
