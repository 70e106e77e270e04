"""The workbench API: every action's twin, the same rules, one error shape, and no secret in any response for
roles without the right."""

from __future__ import annotations

from typing import Any

from django.test import Client

from devicebank.conftest import World
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.refurbishment.models import DeviceSecret, Part, Specification
from devicebank.refurbishment.services import device_secret_record
from devicebank.refurbishment.tests.conftest import bench_laptop, finish_bench_work

S = DeviceState
KEY = "VK7JG-NPHTM-C97JM-9MPGT-3V66T"


def _api(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.user(persona))
    return client


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def test_a_device_goes_to_ready_through_the_api(
    world: World, laptop_spec: Specification, laptop: Device
) -> None:
    client = _api(world, "technician")
    base = f"/api/v1/refurbishment/devices/{laptop.asset_tag}/"
    needs = client.get(base).json()
    assert needs["ready_to_finish"] is False
    assert "Tests: none recorded for this pass." in needs["reasons"]
    assert {rule["code"]: rule["status"] for rule in needs["specification"]}["battery"] == "not_known"
    keys = [item["key"] for item in needs["tests"]]
    tested = _post(
        client,
        base + "tests/",
        {
            "results": [{"key": key, "outcome": "pass"} for key in keys],
            "battery_health_percent": "91.0",
            "screen_inches": "14.0",
            "tpm_version": "2.0",
        },
    )
    assert tested.status_code == 201, tested.json()
    assert _post(client, base + "grade/", {"cosmetic": "B"}).status_code == 201
    os_body = {"os": "windows_11_pro", "licence_channel": "mar_citizenship", "licence_key": KEY}
    installed = _post(client, base + "os-installs/", os_body)
    assert installed.status_code == 201
    assert KEY not in installed.content.decode()
    ready = _post(client, base + "ready/", {"expected_state": "in_refurbishment"})
    assert ready.status_code == 200
    assert ready.json()["state"] == "ready"
    conflict = _post(client, base + "ready/", {"expected_state": "in_refurbishment"})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "conflict"


def test_refusals_use_the_error_shape_and_name_the_rule(world: World, laptop: Device) -> None:
    client = _api(world, "technician")
    base = f"/api/v1/refurbishment/devices/{laptop.asset_tag}/"
    grade = _post(client, base + "grade/", {"cosmetic": "A"})
    assert grade.status_code == 400
    assert grade.json()["error"]["fields"] == {"cosmetic": [grade.json()["error"]["message"]]}
    bad = _post(
        client,
        base + "os-installs/",
        {"os": "windows_11_pro", "licence_channel": "mar_citizenship", "licence_key": "ABCDE"},
    )
    assert bad.status_code == 400
    assert "licence_key" in bad.json()["error"]["fields"]
    assert "ABCDE" not in bad.content.decode()
    not_ready = _post(client, base + "ready/", {"expected_state": "sanitised"})
    assert not_ready.status_code == 400
    assert not_ready.json()["error"]["code"] == "invalid_transition"


def test_secrets_are_listed_without_values_and_hints_only_for_those_who_may_reveal(
    world: World, laptop: Device
) -> None:
    device = finish_bench_work(laptop)
    url = f"/api/v1/refurbishment/devices/{device.asset_tag}/secrets/"
    ciphertext = DeviceSecret.objects.get(device=device).ciphertext
    for persona, hint in (
        ("technician", "•••••-3V66T"),
        ("manager", "•••••-3V66T"),
        ("warehouse", None),
        ("admin", None),
    ):
        body = _api(world, persona).get(url)
        assert body.status_code == 200
        assert body.json()[0]["hint"] == hint, persona
        assert KEY not in body.content.decode()
        assert ciphertext not in body.content.decode()
    assert (
        _api(world, "donor")
        .get(f"/api/v1/refurbishment/devices/{world.device.asset_tag}/secrets/")
        .status_code
        == 403
    )


def test_a_reveal_through_the_api_is_for_technicians_and_managers_and_is_logged(
    world: World, laptop: Device
) -> None:
    secret = device_secret_record(device=laptop, by=None, kind="admin_password", value="S3cret-admin!")
    url = f"/api/v1/refurbishment/devices/{laptop.asset_tag}/secrets/{secret.pk}/reveal/"
    shown = _post(_api(world, "technician"), url, {})
    assert shown.status_code == 200
    assert shown.json()["value"] == "S3cret-admin!"
    assert shown["Cache-Control"] == "no-store"
    for persona in ("warehouse", "admin"):
        assert _post(_api(world, persona), url, {}).status_code == 403
    assert Event.objects.filter(kind=EventKind.SECRET_VIEWED).count() == 1


def test_the_device_timeline_and_device_api_carry_no_secret(world: World, laptop: Device) -> None:
    device = finish_bench_work(laptop, by=world.user("technician"))
    ciphertext = DeviceSecret.objects.get(device=device).ciphertext
    for url in (f"/api/v1/devices/{device.asset_tag}/events/", f"/api/v1/devices/{device.asset_tag}/"):
        body = _api(world, "technician").get(url).content.decode()
        assert KEY not in body
        assert "3V66T" not in body
        assert ciphertext not in body
    kinds = [
        e["kind"]
        for e in _api(world, "technician")
        .get(f"/api/v1/devices/{device.asset_tag}/events/")
        .json()["results"]
    ]
    assert {"device_tested", "device_graded", "os_installed"} <= set(kinds)


def test_repairs_and_parts_through_the_api(world: World, laptop: Device) -> None:
    client = _api(world, "technician")
    made = _post(
        client,
        "/api/v1/refurbishment/parts/",
        {"programme": "scheme", "kind": "battery", "description": "Latitude 5490 battery", "quantity": 1},
    )
    assert made.status_code == 201
    part = made.json()["id"]
    base = f"/api/v1/refurbishment/devices/{laptop.asset_tag}/"
    too_many = _post(
        client,
        base + "repairs/",
        {"fault": "Battery dead", "action": "Replaced", "parts": [{"part": part, "quantity": 2}]},
    )
    assert too_many.status_code == 400
    assert "1 in stock, 2 needed" in too_many.json()["error"]["message"]
    assert Part.objects.get(pk=part).quantity == 1
    repaired = _post(
        client,
        base + "repairs/",
        {
            "fault": "Battery dead",
            "action": "Replaced",
            "minutes": 10,
            "cost": "35.00",
            "parts": [{"part": part, "quantity": 1}],
        },
    )
    assert repaired.status_code == 201
    assert Part.objects.get(pk=part).quantity == 0
    harvested = _post(client, base + "harvest/", {"parts": [{"part": part, "quantity": 1}]})
    assert harvested.status_code == 200
    assert harvested.json()[0]["quantity"] == 1
    below_zero = _post(
        client, f"/api/v1/refurbishment/parts/{part}/adjust/", {"delta": -5, "reason": "Stocktake"}
    )
    assert below_zero.status_code == 400
    assert Part.objects.get(pk=part).quantity == 1


def test_decision_and_recycling_through_the_api(
    world: World, laptop_spec: Specification, laptop: Device
) -> None:
    client = _api(world, "technician")
    base = f"/api/v1/refurbishment/devices/{laptop.asset_tag}/"
    decided = _post(
        client,
        base + "decision/",
        {
            "estimated_parts_cost": "200.00",
            "estimated_minutes": 90,
            "decision": "recycle",
            "reason": "Board fault",
        },
    )
    assert decided.status_code == 201
    assert decided.json()["decision"]["recommendation"] == "recycle"
    recycled = _post(
        client,
        base + "recycle/",
        {
            "recycler": "Northbridge WEEE Ltd",
            "consignment_note": "WTN-1",
            "weight_kg": "2.20",
            "handed_over_on": "2026-01-05",
        },
    )
    assert recycled.status_code == 201
    assert recycled.json()["state"] == "recycled"
    figures = _api(world, "manager").get("/api/v1/refurbishment/throughput/").json()
    assert figures["recycled_devices"] == 1
    assert figures["landfill_diverted_kg"] == "2.20"
    assert _api(world, "technician").get("/api/v1/refurbishment/throughput/").status_code == 403


def test_bulk_through_the_api_reports_each_device(world: World) -> None:
    pallet = [bench_laptop(world) for _ in range(2)]
    client = _api(world, "technician")
    body = {
        "asset_tags": [d.asset_tag for d in pallet],
        "action": "tests_passed",
        "not_applicable": ["webcam"],
    }
    done = _post(client, "/api/v1/refurbishment/bulk/", body)
    assert done.status_code == 200
    assert [o["ok"] for o in done.json()] == [True, True]
    graded = _post(
        client,
        "/api/v1/refurbishment/bulk/",
        {"asset_tags": [pallet[0].asset_tag, world.device.asset_tag], "action": "grade", "cosmetic": "A"},
    )
    assert [o["ok"] for o in graded.json()] == [True, False]
    unknown = _post(client, "/api/v1/refurbishment/bulk/", {"asset_tags": ["NOPE-1"], "action": "ready"})
    assert unknown.status_code == 400


def test_specifications_through_the_api(world: World) -> None:
    body = {
        "programme": "scheme",
        "device_type": "laptop",
        "min_ram_bytes": 4_000_000_000,
        "os_targets": ["linux"],
        "working_value": "120.00",
    }
    assert _post(_api(world, "technician"), "/api/v1/refurbishment/specifications/", body).status_code == 403
    saved = _post(_api(world, "manager"), "/api/v1/refurbishment/specifications/", body)
    assert saved.status_code == 200
    assert saved.json()["working_value"] == "120.00"
    listed = _api(world, "technician").get("/api/v1/refurbishment/specifications/").json()
    assert [spec["device_type"] for spec in listed] == ["laptop"]
    assert _api(world, "outsider").get("/api/v1/refurbishment/specifications/").json() == []
