"""Hand corrections through PATCH /api/v1/devices/<tag>/ and the form on the device page."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient

from devicebank.conftest import World
from devicebank.core.events import subject_type_of
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device


def _api(world: World, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(persona))
    return client


def _page(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.user(persona))
    return client


def _corrections(device: Device) -> list[list[str]]:
    """The fields each correction event of the device changed, in order."""
    events = Event.objects.filter(
        subject_type=subject_type_of(device), subject_id=device.pk, kind=EventKind.DEVICE_DETAILS_CHANGED
    ).order_by("id")
    return [sorted(event.data["new"]) for event in events]


def test_a_technician_corrects_details_through_the_api(world: World) -> None:
    url = f"/api/v1/devices/{world.device.asset_tag}/"
    response = _api(world, "technician").patch(
        url,
        {"cpu_model": "Intel Core i5-6300U", "storage_kind": "ssd", "reason": "Checked in the BIOS"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["cpu_model"], response.json()["storage_kind"]) == ("Intel Core i5-6300U", "ssd")
    assert _corrections(world.device) == [["cpu_model", "storage_kind"]]


def test_the_api_answers_400_with_reasons_and_changes_nothing(world: World) -> None:
    client = _api(world, "manager")
    url = f"/api/v1/devices/{world.device.asset_tag}/"
    cases = [
        ({"model": "X1"}, "reason"),
        ({"reason": "nothing to change"}, None),
        ({"ram_bytes": -1, "reason": "typo"}, "ram_bytes"),
        ({"device_type": "toaster", "reason": "typo"}, "device_type"),
        ({"storage_kind": "floppy", "model": "X1", "reason": "typo"}, "storage_kind"),
        (
            {"serial_number": world.school_device.serial_number, "model": "X1", "reason": "typo"},
            "serial_number",
        ),
    ]
    for body, field in cases:
        response = client.patch(url, body, format="json")
        assert response.status_code == 400, body
        error = response.json()["error"]
        assert error["message"]
        if field:
            assert field in error["fields"], (body, error)
    world.device.refresh_from_db()
    assert world.device.model != "X1"
    assert _corrections(world.device) == []


def test_the_api_refuses_people_who_may_not_correct_and_hides_other_schemes_devices(world: World) -> None:
    url = f"/api/v1/devices/{world.device.asset_tag}/"
    body = {"model": "X1", "reason": "typo"}
    assert _api(world, "warehouse").patch(url, body, format="json").status_code == 403
    assert _api(world, "donor").patch(url, body, format="json").status_code == 403
    assert _api(world, "outsider").patch(url, body, format="json").status_code == 404
    assert _api(world, "school").patch(url, body, format="json").status_code == 404


def test_the_refusal_of_a_shared_serial_names_no_device_the_caller_cannot_see(world: World) -> None:
    hidden = world.other_device
    response = _api(world, "manager").patch(
        f"/api/v1/devices/{world.device.asset_tag}/",
        {"manufacturer": hidden.manufacturer, "serial_number": hidden.serial_number, "reason": "typo"},
        format="json",
    )
    assert response.status_code == 400
    assert hidden.asset_tag not in response.content.decode()


def test_the_device_page_links_to_the_form_for_those_who_may_correct(world: World) -> None:
    url = f"/devices/{world.device.asset_tag}/details/"
    assert url in _page(world, "technician").get(f"/devices/{world.device.asset_tag}/").content.decode()
    assert url not in _page(world, "warehouse").get(f"/devices/{world.device.asset_tag}/").content.decode()
    assert _page(world, "warehouse").get(url).status_code == 403


def test_the_form_shows_the_recorded_details_and_saves_only_what_was_changed(world: World) -> None:
    device = world.device
    Device.objects.filter(pk=device.pk).update(ram_bytes=8 * 1024**3)
    client = _page(world, "technician")
    url = f"/devices/{device.asset_tag}/details/"
    page = client.get(url).content.decode()
    assert 'value="8.6"' in page
    assert device.model in page
    response = client.post(
        url,
        {
            "device_type": device.device_type,
            "manufacturer": device.manufacturer,
            "model": "Latitude E7470",
            "serial_number": device.serial_number,
            "cpu_model": "",
            "ram_gb": "8.6",
            "storage_gb": "256",
            "storage_kind": "ssd",
            "reason": "Read from the label",
        },
    )
    assert response.status_code == 302
    device.refresh_from_db()
    # memory shown rounded and sent back unchanged keeps its exact bytes
    assert (device.model, device.ram_bytes, device.storage_bytes) == (
        "Latitude E7470",
        8 * 1024**3,
        256 * 10**9,
    )
    assert _corrections(device) == [["model", "storage_bytes", "storage_kind"]]


def test_the_form_keeps_what_was_typed_when_it_is_refused(world: World) -> None:
    device = world.device
    response = _page(world, "manager").post(
        f"/devices/{device.asset_tag}/details/",
        {
            "device_type": device.device_type,
            "manufacturer": device.manufacturer,
            "model": "Typed model",
            "serial_number": world.school_device.serial_number,
            "reason": "Typed reason",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "already registered" in page
    assert world.school_device.asset_tag in page
    assert 'value="Typed model"' in page
    assert "Typed reason" in page
    device.refresh_from_db()
    assert device.model != "Typed model"
    assert _corrections(device) == []
