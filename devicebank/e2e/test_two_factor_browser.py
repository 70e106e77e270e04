"""A programme manager sets up two-factor sign-in, then signs in with a code and with a recovery code."""

from __future__ import annotations

import re
from base64 import b32decode
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from devicebank.people.models import User
from devicebank.people.roles import OrganisationKind, Role
from devicebank.people.services import membership_grant
from devicebank.people.tests.factories import OrganisationFactory, UserFactory
from devicebank.people.tests.helpers import fresh_code
from devicebank.people.two_factor import authenticator_for, current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "morgan@example.org"
PASSWORD = "correct-horse-battery"  # noqa: S105 - the test factory's password


@pytest.fixture
def manager(transactional_db: None) -> User:
    user = UserFactory(email=EMAIL, full_name="Morgan Manager")
    council = OrganisationFactory(name="Northbridge Borough Council", kind=OrganisationKind.PROGRAMME_OWNER)
    membership_grant(user=user, organisation=council, role=Role.PROGRAMME_MANAGER, by=None)
    return user


def _password(page: Any, url: str, axe: Callable[[Any], None]) -> None:
    page.goto(f"{url}/sign-in/")
    axe(page)
    page.get_by_label("Email address").fill(EMAIL.upper())  # any case
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url("**/sign-in/")


def test_a_manager_sets_up_two_factor_sign_in_and_signs_in_with_a_code(
    manager: User, page: Any, live_server: Any, axe: Callable[[Any], None]
) -> None:
    url = live_server.url
    _password(page, url, axe)

    # First sign-in: the only way on is to set up an authenticator app.
    page.wait_for_url(f"{url}/account/two-factor/**")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code that adds devicebank to an authenticator app")
    ).to_be_visible()
    axe(page)
    page.goto(f"{url}/devices/")
    page.wait_for_url(f"{url}/account/two-factor/**")  # nothing else opens yet

    key_text = page.locator("#totp-key").inner_text().replace(" ", "")
    key_hex = b32decode(key_text + "=" * (-len(key_text) % 8)).hex()
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the 6 digits your authenticator app shows"
    )
    assert page.get_by_label("Code from your authenticator app").input_value() == "12345"
    axe(page)

    page.get_by_label("Code from your authenticator app").fill(current_code(key_hex))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is set up")).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    axe(page)
    page.get_by_role("link", name="I have saved my codes: continue").click()
    page.wait_for_url(f"{url}/devices/")  # where they were going when they were sent to set up
    axe(page)

    # Next time: password, then the code the app shows.
    _sign_out(page)
    _password(page, url, axe)
    page.wait_for_url(f"{url}/sign-in/code/**")
    axe(page)
    device = authenticator_for(manager)
    assert device is not None
    page.get_by_label("Security code").fill(fresh_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{url}/")
    expect(page.get_by_role("heading", name="Hello, Morgan")).to_be_visible()

    # Without the phone: a recovery code, once.
    _sign_out(page)
    _password(page, url, axe)
    page.wait_for_url(f"{url}/sign-in/code/**")
    page.get_by_text("I cannot use my authenticator app").click()
    axe(page)
    page.get_by_label("Security code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{url}/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have 9 left")
    axe(page)

    # The account page offers a new set of codes, shown once.
    page.get_by_role("link", name=re.compile(r"^Morgan Manager.*your account$")).click()
    page.wait_for_url(f"{url}/account/")
    axe(page)
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.get_by_role("heading", name="New recovery codes")).to_be_visible()
    assert len(page.locator("#recovery-codes code").all_inner_texts()) == 10
    axe(page)
