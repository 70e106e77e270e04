"""Signing in: email in any case, lockout by email+address and by address alone, and no hint of who exists."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, override_settings

from devicebank.people.models import User
from devicebank.people.tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
ATTACKER = "192.0.2.10"  # TEST-NET-1: documentation addresses, only ever strings in these requests
OFFICE = "192.0.2.20"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _axes_on() -> Iterator[None]:
    cache.clear()
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, DEVICEBANK_SIGN_IN_IP_FAILURE_LIMIT=20):
        yield
    cache.clear()


def _sign_in(email: str, password: str, address: str = OFFICE) -> tuple[Client, int, str]:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/sign-in/", {"username": email, "password": password})
    return client, response.status_code, response.content.decode()


def _without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_an_email_address_typed_in_any_case_signs_in() -> None:
    user = UserFactory(email="Sam.Jones@Example.org")
    assert user.email == "sam.jones@example.org"
    _, status, _ = _sign_in("SAM.JONES@example.ORG ", PASSWORD)
    assert status == 302


def test_an_account_stored_before_addresses_were_lower_cased_still_signs_in_in_any_case() -> None:
    user = UserFactory(email="legacy@example.org")
    User.objects.filter(pk=user.pk).update(email="Legacy@Example.ORG")  # as an old row, bypassing save()
    _, status, _ = _sign_in("legacy@example.org", PASSWORD)
    assert status == 302


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer() -> None:
    UserFactory(email="known@example.org")
    _, known_status, known_page = _sign_in("known@example.org", "wrong-password-1")
    _, unknown_status, unknown_page = _sign_in("nobody@example.org", "wrong-password-1")
    assert known_status == unknown_status == 200
    assert "Enter a correct email address and password." in known_page
    assert _without_tokens(known_page.replace("known@", "X@")) == _without_tokens(
        unknown_page.replace("nobody@", "X@")
    )


def test_five_failures_lock_one_address_from_one_client_even_with_the_right_password() -> None:
    UserFactory(email="target@example.org")
    for _ in range(5):
        _sign_in("target@example.org", "guess", ATTACKER)
    _, status, page = _sign_in("target@example.org", PASSWORD, ATTACKER)
    assert status == 429
    assert "You have tried to sign in too many times" in page
    # The same person from elsewhere is not locked out by someone else's guessing.
    _, status, _ = _sign_in("target@example.org", PASSWORD, OFFICE)
    assert status == 302


def test_changing_the_case_of_the_address_does_not_reset_the_count() -> None:
    UserFactory(email="target@example.org")
    for variant in ["target@example.org", "TARGET@example.org", "Target@Example.org", "tArGeT@example.org"]:
        _sign_in(variant, "guess", ATTACKER)
    _sign_in("TARGET@EXAMPLE.ORG", "guess", ATTACKER)
    _, status, _ = _sign_in("target@example.org", PASSWORD, ATTACKER)
    assert status == 429


def test_an_unknown_address_is_locked_exactly_like_a_known_one() -> None:
    UserFactory(email="known@example.org")
    pages = {}
    for email in ["known@example.org", "nobody@example.org"]:
        for _ in range(5):
            _sign_in(email, "guess", ATTACKER)
        _, status, pages[email] = _sign_in(email, "guess", ATTACKER)
        assert status == 429
    assert _without_tokens(pages["known@example.org"]) == _without_tokens(pages["nobody@example.org"])


def test_one_password_sprayed_over_many_accounts_from_one_client_is_locked() -> None:
    victim = UserFactory(email="victim@example.org")
    for n in range(19):  # one try per account: the per-account limit never triggers
        _, status, _ = _sign_in(f"person{n}@example.org", "Summer2026!", ATTACKER)
        assert status == 200
    _, status, _ = _sign_in("person19@example.org", "Summer2026!", ATTACKER)
    assert status == 429  # the 20th failure from one address locks it
    _, status, _ = _sign_in(victim.email, PASSWORD, ATTACKER)
    assert status == 429
    _, status, _ = _sign_in(victim.email, PASSWORD, OFFICE)
    assert status == 302


def test_signing_into_ones_own_account_does_not_clear_the_count_for_the_client_address() -> None:
    UserFactory(email="attacker@example.org")
    UserFactory(email="victim@example.org")
    for n in range(19):
        _sign_in(f"person{n}@example.org", "Summer2026!", ATTACKER)
    _, status, _ = _sign_in("attacker@example.org", PASSWORD, ATTACKER)
    assert status == 302
    _sign_in("person99@example.org", "Summer2026!", ATTACKER)
    _, status, _ = _sign_in("victim@example.org", PASSWORD, ATTACKER)
    assert status == 429


def test_a_successful_sign_in_clears_that_persons_own_failures() -> None:
    UserFactory(email="forgetful@example.org")
    for _ in range(4):
        _sign_in("forgetful@example.org", "wrong", OFFICE)
    _, status, _ = _sign_in("forgetful@example.org", PASSWORD, OFFICE)
    assert status == 302
    assert not AccessAttempt.objects.filter(username="forgetful@example.org").exists()


@override_settings(DEVICEBANK_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw() -> None:
    UserFactory(email="target@example.org")
    proxy = "192.0.2.1"
    for _ in range(5):
        Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.7, {ATTACKER}").post(
            "/sign-in/", {"username": "target@example.org", "password": "guess"}
        )
    # A client cannot dodge the count by making up the left-hand entries...
    locked = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"203.0.113.9, {ATTACKER}").post(
        "/sign-in/", {"username": "target@example.org", "password": PASSWORD}
    )
    assert locked.status_code == 429
    # ...and another client behind the same proxy is not locked out with it.
    other = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=OFFICE).post(
        "/sign-in/", {"username": "target@example.org", "password": PASSWORD}
    )
    assert other.status_code == 302


def test_a_disabled_account_with_its_right_password_gets_the_same_answer_as_an_unknown_address() -> None:
    UserFactory(email="gone@example.org", is_active=False)
    _, status, page = _sign_in("gone@example.org", PASSWORD)
    _, unknown_status, unknown_page = _sign_in("nobody@example.org", PASSWORD)
    assert status == unknown_status == 200
    assert _without_tokens(page.replace("gone@", "X@")) == _without_tokens(
        unknown_page.replace("nobody@", "X@")
    )
