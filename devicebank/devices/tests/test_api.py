"""The device API: filters, scoping, transitions and clear 400s."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from devicebank.conftest import World
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.people.services import api_token_create


def _client(world: World, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(persona))
    return client


def _tags(response: Any) -> set[str]:
    return {row["asset_tag"] for row in response.json()["results"]}


def test_the_list_is_scoped_to_what_the_caller_may_see(world: World) -> None:
    assert _tags(_client(world, "manager").get("/api/v1/devices/")) == {
        world.device.asset_tag,
        world.school_device.asset_tag,
    }
    assert _tags(_client(world, "school").get("/api/v1/devices/")) == {world.school_device.asset_tag}
    assert _tags(_client(world, "donor").get("/api/v1/devices/")) == {world.device.asset_tag}
    assert _tags(_client(world, "funder").get("/api/v1/devices/")) == set()
    assert _tags(_client(world, "outsider").get("/api/v1/devices/")) == {world.other_device.asset_tag}
    assert len(_tags(_client(world, "admin").get("/api/v1/devices/"))) == 3


def test_the_list_filters_by_state_type_and_search(world: World) -> None:
    client = _client(world, "manager")
    assert _tags(client.get("/api/v1/devices/?state=ready")) == {world.device.asset_tag}
    assert _tags(client.get("/api/v1/devices/?state=ready,with_recipient")) == {
        world.device.asset_tag,
        world.school_device.asset_tag,
    }
    assert _tags(client.get("/api/v1/devices/?state=ready&state=with_recipient")) == {
        world.device.asset_tag,
        world.school_device.asset_tag,
    }
    assert _tags(client.get("/api/v1/devices/?device_type=tablet")) == set()
    assert _tags(client.get(f"/api/v1/devices/?q={world.device.serial_number.lower()}")) == {
        world.device.asset_tag
    }
    assert _tags(client.get(f"/api/v1/devices/?q={world.device.asset_tag}")) == {world.device.asset_tag}
    assert _tags(client.get(f"/api/v1/devices/?custodian={world.school.pk}")) == {
        world.school_device.asset_tag
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("state=shiny", "state"),
        ("state=", "state"),
        ("programme=abc", "programme"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("page_size=100000", "page_size"),
        ("location=-1", "location"),
    ],
)
def test_bad_filters_get_a_400_that_names_the_field(world: World, query: str, field: str) -> None:
    response = _client(world, "manager").get(f"/api/v1/devices/?{query}")
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_the_list_does_not_query_per_device(world: World) -> None:
    client = _client(world, "admin")
    client.get("/api/v1/devices/")  # the caller's scope is built once per user
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/devices/")
    for _ in range(15):
        make_device(programme=world.programme, location=world.warehouse, state=DeviceState.READY)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/api/v1/devices/")
    assert response.json()["count"] == 18
    assert len(many) == len(few)


def test_a_transition_through_the_api_answers_with_the_device(world: World) -> None:
    client = _client(world, "warehouse")
    response = client.post(
        f"/api/v1/devices/{world.device.asset_tag}/transitions/",
        {"to": "reserved", "reason": "For Riverside"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "reserved"
    events = client.get(f"/api/v1/devices/{world.device.asset_tag}/events/").json()["results"]
    assert events[-1]["data"]["new"] == "reserved"
    assert events[-1]["reason"] == "For Riverside"
    assert events[-1]["actor"] == "Warehouse"


def test_a_forbidden_transition_says_why(world: World) -> None:
    response = _client(world, "manager").post(
        f"/api/v1/devices/{world.device.asset_tag}/transitions/", {"to": "pledged"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert "ready device cannot become pledged" in error["message"]


def test_a_stale_expected_state_is_a_conflict(world: World) -> None:
    response = _client(world, "manager").post(
        f"/api/v1/devices/{world.device.asset_tag}/transitions/",
        {"to": "reserved", "expected_state": "in_refurbishment"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"to": "nope"},
        {"to": 5},
        {"to": "reserved", "location": "x"},
        {"to": "reserved", "location": 999999},
        {"to": "with_recipient", "handover_kind": "swap"},
        [],
        "text",
    ],
)
def test_bad_transition_bodies_get_a_400(world: World, body: Any) -> None:
    response = _client(world, "manager").post(
        f"/api/v1/devices/{world.device.asset_tag}/transitions/", body, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_malformed_json_gets_a_400(world: World) -> None:
    response = _client(world, "manager").post(
        f"/api/v1/devices/{world.device.asset_tag}/transitions/",
        b"{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_registering_refuses_a_duplicate_serial_and_a_placeholder_serial_is_none(world: World) -> None:
    client = _client(world, "warehouse")
    dup = client.post(
        "/api/v1/devices/",
        {
            "programme": "scheme",
            "manufacturer": "DELL",
            "serial_number": world.device.serial_number,
            "state": "pledged",
        },
        format="json",
    )
    assert dup.status_code == 400
    assert dup.json()["error"]["code"] == "duplicate_device"
    assert world.device.asset_tag in dup.json()["error"]["message"]

    created = client.post(
        "/api/v1/devices/",
        {
            "programme": "scheme",
            "manufacturer": "Dell Inc.",
            "serial_number": "To Be Filled By O.E.M.",
            "state": "received",
            "location": world.warehouse.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["serial_number"] is None
    assert created.json()["manufacturer"] == "Dell"
    assert created.json()["asset_tag"].startswith("SCH-")


def test_an_api_token_authenticates_and_a_revoked_or_wrong_one_does_not(world: World) -> None:
    row, token = api_token_create(user=world.user("school"), name="script")
    client = APIClient()
    ok = client.get("/api/v1/devices/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert ok.status_code == 200
    assert _tags(ok) == {world.school_device.asset_tag}
    bad = client.get("/api/v1/devices/", HTTP_AUTHORIZATION=f"Bearer {token[:-2]}xx")
    assert bad.status_code == 401
    junk = client.get("/api/v1/devices/", HTTP_AUTHORIZATION="Bearer nonsense")
    assert junk.status_code == 401
    from devicebank.people.services import api_token_revoke

    api_token_revoke(token=row, by=world.user("school"))
    assert client.get("/api/v1/devices/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_the_token_is_stored_only_as_a_hash(world: World) -> None:
    row, token = api_token_create(user=world.user("school"), name="script")
    row.refresh_from_db()
    assert token not in (row.key_hash, row.prefix)
    assert len(row.key_hash) == 64


def test_labels_come_as_a_pdf_sheet_or_zpl_and_bad_options_get_a_400(world: World) -> None:
    client = _client(world, "warehouse")
    pdf = client.get(f"/api/v1/devices/{world.device.asset_tag}/label/?format=pdf&layout=a4-24")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    zpl = client.get(f"/api/v1/devices/{world.device.asset_tag}/label/?format=zpl")
    assert zpl.content.decode().count("^XA") == 1
    assert world.device.asset_tag in zpl.content.decode()
    for bad in ("format=docx", "layout=a3-99", "skip=-1", "skip=x"):
        response = client.get(f"/api/v1/devices/{world.device.asset_tag}/label/?{bad}")
        assert response.status_code == 400, bad
        assert "Cannot make these labels" in response.json()["error"]["message"]
