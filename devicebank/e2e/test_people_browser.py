"""A programme manager gives a colleague a role and takes it away again, with axe on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.people.models import Membership, User
from devicebank.portal.demo import DEMO_PASSWORD, demo_email, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo(devices=10)


def test_a_manager_gives_and_removes_a_role(
    demo: None, page: Any, live_server: Any, sign_in: Callable[..., None], axe: Callable[[Any], None]
) -> None:
    colleague = User.objects.create_user("new.technician@demo.devicebank.test", None, full_name="Nia New")
    sign_in(page, demo_email("manager"), DEMO_PASSWORD)
    page.get_by_role("link", name="People").click()
    page.wait_for_url(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", name="People and roles")).to_be_visible()
    axe(page)

    page.get_by_role("button", name="Give role").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's email address")
    axe(page)

    page.get_by_label("Email address of the person").fill("NEW.technician@demo.devicebank.test")
    page.get_by_label("Organisation").select_option(label="Circuit Renew CIC")
    page.get_by_label("Role").select_option(label="Technician")
    page.get_by_role("button", name="Give role").click()
    page.wait_for_url(f"{live_server.url}/people/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Nia New is now technician at Circuit Renew"
    )
    axe(page)
    assert Membership.objects.filter(user=colleague, role="technician").exists()

    page.get_by_role("button", name="Remove technician role of Nia New at Circuit Renew CIC").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Nia New is no longer technician")
    axe(page)
    assert not Membership.objects.filter(user=colleague).exists()
