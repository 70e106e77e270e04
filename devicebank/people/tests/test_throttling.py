"""Rate limits: the API (anonymous and per user, bearer tokens included), sign-in and the public verify page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from devicebank.people.services import api_token_create
from devicebank.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RATES = {"anon": "5/min", "user": "60/min", "sign-in": "20/min", "verify": "3/min"}


@pytest.fixture(autouse=True)
def _rates_on() -> Iterator[None]:
    cache.clear()
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": RATES}):
        yield
    cache.clear()


def test_a_token_user_is_throttled_past_the_user_rate_with_the_api_error_shape() -> None:
    user = UserFactory()
    _, token = api_token_create(user=user, name="script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    statuses = [client.get("/api/v1/me/").status_code for _ in range(70)]
    assert statuses[:60] == [200] * 60
    assert set(statuses[60:]) == {429}
    response = client.get("/api/v1/me/")
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_one_users_requests_do_not_use_up_anothers() -> None:
    first, second = UserFactory(), UserFactory()
    _, first_token = api_token_create(user=first, name="a")
    _, second_token = api_token_create(user=second, name="b")
    busy = Client(HTTP_AUTHORIZATION=f"Bearer {first_token}")
    for _ in range(61):
        busy.get("/api/v1/me/")
    assert busy.get("/api/v1/me/").status_code == 429
    assert Client(HTTP_AUTHORIZATION=f"Bearer {second_token}").get("/api/v1/me/").status_code == 200


def test_anonymous_api_requests_are_throttled_by_client_address() -> None:
    client = Client(REMOTE_ADDR="192.0.2.30")
    statuses = [client.get("/api/schema/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert Client(REMOTE_ADDR="192.0.2.31").get("/api/schema/").status_code == 200


def test_sign_in_posts_are_limited_per_client_address_and_say_when_to_retry() -> None:
    client = Client(REMOTE_ADDR="192.0.2.40")
    for _ in range(20):
        client.post("/sign-in/", {"username": "someone@example.org", "password": "x"})
    response = client.post("/sign-in/", {"username": "someone@example.org", "password": "x"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many requests" in response.content.decode()
    assert client.get("/sign-in/").status_code == 200  # reading the form costs nothing


def test_the_public_verify_page_is_limited_per_client_address() -> None:
    client = Client(REMOTE_ADDR="192.0.2.50")
    statuses = [client.get(f"/verify/SC-2026-{n:06d}/").status_code for n in range(1, 5)]
    assert statuses == [404, 404, 404, 429]
    assert Client(REMOTE_ADDR="192.0.2.51").get("/verify/SC-2026-000001/").status_code == 404
