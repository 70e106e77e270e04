"""Requests no view should see (NUL characters) and how refusals are logged."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from devicebank.conftest import World


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/refurbishment/parts/?programme=%00",
        "/api/v1/devices/?q=%00",
        "/api/v1/devices/?%00=1",
        "/api/v1/devices/SCH%00/",
        "/devices/?q=%00",
        "/devices/%00/",
        "/donations/?programme=%00",
        "/verify/%00/",
    ],
)
def test_a_nul_character_in_the_address_is_a_400_that_says_so(world: World, url: str) -> None:
    client = Client()
    client.force_login(world.user("manager"))
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert "NUL" in response.json()["error"]["message"]
    else:
        assert "NUL character" in response.content.decode()


def test_a_nul_character_in_the_session_cookie_is_a_400_not_a_failed_session_lookup(world: World) -> None:
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/devices/").status_code == 400
    assert client.get("/api/v1/me/").status_code == 400


def test_an_ordinary_query_still_reaches_its_view(world: World) -> None:
    client = Client()
    client.force_login(world.user("manager"))
    assert client.get("/api/v1/devices/", {"q": "SCH"}).status_code == 200


def test_a_refused_page_is_logged_once_on_one_line_without_a_traceback(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.force_login(world.user("warehouse"))  # may not sanitise: the queue answers 403
    with caplog.at_level(logging.INFO):
        response = client.get("/sanitisation/")
    assert response.status_code == 403
    refusals = [
        r
        for r in caplog.records
        if "403" in str(getattr(r, "status_code", "")) or "Forbidden" in r.getMessage()
    ]
    assert len(refusals) == 1
    record = refusals[0]
    assert record.exc_info is None
    assert "\n" not in record.getMessage()
    assert "Traceback" not in caplog.text


def test_a_refused_api_request_is_logged_once_without_a_traceback(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    client.force_login(world.user("technician"))  # sees the device, may not reserve it
    with caplog.at_level(logging.INFO):
        response = client.post(
            f"/api/v1/devices/{world.device.asset_tag}/transitions/",
            {"to": "reserved"},
            content_type="application/json",
        )
    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    assert refusals[0].exc_info is None
    assert "Traceback" not in caplog.text
