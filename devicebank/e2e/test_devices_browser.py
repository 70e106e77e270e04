"""A person signs in, finds a device and reads its timeline; forms show GOV.UK errors; the CSP holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.e2e.conftest import enrol_if_needed, enter_code_if_asked
from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo(devices=60)


def test_a_technician_signs_in_finds_a_device_and_reads_its_timeline(
    demo: None, page: Any, live_server: Any, sign_in: Callable[..., None], axe: Callable[[Any], None]
) -> None:
    device = Device.objects.filter(state=DeviceState.WITH_RECIPIENT).order_by("id").first()
    assert device is not None
    sign_in(page, demo_email("technician"), DEMO_PASSWORD)
    axe(page)  # home: work queues
    expect(page.get_by_role("heading", name="Work queues")).to_be_visible()

    page.get_by_role("link", name="Devices").first.click()
    page.wait_for_url("**/devices/")
    axe(page)
    page.get_by_label("Asset tag or serial number").fill(device.serial_number.lower())
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=device.asset_tag).click()
    page.wait_for_url(f"**/devices/{device.asset_tag}/")
    axe(page)
    timeline = page.locator(".app-timeline")
    expect(timeline.get_by_text("In transit → with recipient")).to_be_visible()
    expect(timeline.get_by_text("Registered as pledged")).to_be_visible()


def test_the_register_form_shows_a_gov_uk_error_summary_and_keeps_what_was_typed(
    demo: None, page: Any, live_server: Any, sign_in: Callable[..., None], axe: Callable[[Any], None]
) -> None:
    sign_in(page, demo_email("warehouse"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/devices/register/")
    axe(page)
    page.get_by_label("Model").fill("Latitude 5490")
    page.get_by_role("button", name="Register").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("Model").input_value() == "Latitude 5490"
    assert page.title().startswith("Error: ")
    axe(page)


def test_a_warehouse_person_moves_a_device_by_keyboard(
    demo: None, page: Any, live_server: Any, sign_in: Callable[..., None], axe: Callable[[Any], None]
) -> None:
    device = Device.objects.filter(state=DeviceState.READY).order_by("id").first()
    assert device is not None
    sign_in(page, demo_email("warehouse"), DEMO_PASSWORD)
    page.goto(f"{live_server.url}/devices/{device.asset_tag}/state/")
    axe(page)
    page.get_by_label("Reserved").check()
    page.get_by_label("Why (optional)").fill("For Riverside Primary")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Save").press("Enter")
    page.wait_for_url(f"**/devices/{device.asset_tag}/")
    axe(page)
    expect(page.get_by_text(f"{device.asset_tag} is now reserved.")).to_be_visible()
    device.refresh_from_db()
    assert device.state == DeviceState.RESERVED


@pytest.fixture
def strict_page(browser: Any) -> Any:
    context = browser.new_context(bypass_csp=False)
    yield context.new_page()
    context.close()


def test_pages_work_under_the_content_security_policy(demo: None, strict_page: Any, live_server: Any) -> None:
    problems: list[str] = []
    strict_page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    enrol_if_needed(demo_email("manager"))
    strict_page.goto(f"{live_server.url}/sign-in/")
    strict_page.get_by_label("Email address").fill(demo_email("manager"))
    strict_page.get_by_label("Password").fill(DEMO_PASSWORD)
    strict_page.get_by_role("button", name="Sign in").click()
    enter_code_if_asked(strict_page, live_server.url, demo_email("manager"))
    strict_page.wait_for_url(f"{live_server.url}/")
    strict_page.goto(f"{live_server.url}/devices/")
    # GOV.UK Frontend's script ran (it marks the body), and nothing was blocked.
    assert strict_page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    # The API documentation (Swagger UI) renders under the same policy.
    strict_page.goto(f"{live_server.url}/api/docs/")
    expect(strict_page.get_by_text("/api/v1/devices/").first).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
