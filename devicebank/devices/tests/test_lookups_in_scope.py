"""Lookups by serial, asset tag or donor asset number run inside the caller's scope (issue 8, item 2).

Outside the scope is "no match": no asset tag, donation reference or hint that the device exists, in answers,
dry runs, errors and reports. A serial that clashes with a device the caller may not see still refuses the write,
with a message that names nothing. Custody goes only to organisations the programme works with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from devicebank.conftest import World
from devicebank.core.errors import DomainError
from devicebank.core.evidence import evidence_read
from devicebank.core.models import Event
from devicebank.devices.models import Device
from devicebank.devices.selectors import device_find
from devicebank.devices.services import SERIAL_NOT_REGISTRABLE, DeviceSpec, device_register, device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.access import SYSTEM_SCOPE, scope_for

ROOT = Path(__file__).resolve().parents[2]
T480 = ROOT / "hardware" / "tests" / "fixtures" / "thinkpad-t480-nvme-usb-stick.lshw.json"
T480_SERIAL = "PF1HXK2Q"
EREUSE = ROOT / "sanitisation" / "tests" / "fixtures" / "ereuse-workbench-11-events-two-hdds.json"
EREUSE_SERIAL = "CZC0123ABC"


def _give_serial(device: Device, serial: str, maker: str = "Lenovo") -> Device:
    """Make another scheme's device carry the serial a fixture report names."""
    from devicebank.devices.identity import manufacturer_key, serial_key

    Device.objects.filter(pk=device.pk).update(
        serial_number=serial,
        serial_key=serial_key(serial),
        manufacturer=maker,
        manufacturer_key=manufacturer_key(maker),
    )
    device.refresh_from_db()
    return device


def _writes() -> tuple[int, int]:
    return Device.objects.count(), Event.objects.count()


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.user(persona))
    return client


def _reveals(text: str, world: World) -> list[str]:
    """What of another scheme's device a text gives away."""
    other = world.other_device
    leaks = [other.asset_tag, "OTH-", "Other council", "Other depot"]
    return [leak for leak in leaks if leak in text]


# -- the selector ---------------------------------------------------------------------------------------------


def test_the_selector_finds_a_device_by_tag_serial_or_donor_number_only_inside_the_scope(
    world: World,
) -> None:
    manager = scope_for(world.user("manager"))
    mine, other = world.device, world.other_device
    assert device_find(scope=manager, code=mine.asset_tag.lower()) == mine
    assert device_find(scope=manager, code=mine.serial_number) == mine
    assert device_find(scope=manager, code=other.asset_tag) is None
    assert device_find(scope=manager, code=other.serial_number) is None
    outsider = scope_for(world.user("outsider"))
    assert device_find(scope=outsider, code=other.asset_tag) == other
    assert device_find(scope=outsider, code=mine.serial_number) is None
    assert device_find(scope=SYSTEM_SCOPE, code=other.serial_number) == other


def test_a_donor_asset_number_names_a_device_only_within_its_donation(world: World) -> None:
    from devicebank.donations.services import donation_create

    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    Device.objects.filter(pk=world.device.pk).update(donation=donation, donor_asset_tag="BAR-00101")
    Device.objects.filter(pk=world.other_device.pk).update(donor_asset_tag="BAR-00101")
    manager = scope_for(world.user("manager"))
    assert device_find(scope=manager, code="bar-00101", donation_id=donation.pk) == world.device
    assert device_find(scope=manager, code="BAR-00101") is None  # without its donation it names nothing


def test_the_same_serial_in_scope_and_out_of_it_finds_only_the_one_in_scope(world: World) -> None:
    mine = _give_serial(world.device, "SHARED123", maker="Dell")
    _give_serial(world.other_device, "SHARED123", maker="HP")
    assert device_find(scope=scope_for(world.user("manager")), code="SHARED123") == mine
    assert device_find(scope=SYSTEM_SCOPE, code="SHARED123") is None  # two makers: not one device


# -- hardware reports -----------------------------------------------------------------------------------------


def _lshw_upload(**fields: Any) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("t480.json", T480.read_bytes()), **fields}


@pytest.mark.parametrize("persona", ["donor", "technician", "warehouse", "manager"])
def test_a_hardware_dry_run_with_another_schemes_serial_finds_nothing_and_names_nothing(
    world: World, persona: str
) -> None:
    _give_serial(world.other_device, T480_SERIAL)
    before = _writes()
    response = _client(world, persona).post("/api/v1/hardware-reports/", _lshw_upload(dry_run="true"))
    assert response.status_code == 200, response.content
    [result] = response.json()
    assert result["device"] is None
    assert result["outcome"] == "would_register"
    assert not _reveals(response.content.decode(), world)
    assert _writes() == before


def test_filing_a_report_whose_serial_another_scheme_holds_is_refused_naming_nothing(world: World) -> None:
    _give_serial(world.other_device, T480_SERIAL)
    before = _writes()
    response = _client(world, "technician").post(
        "/api/v1/hardware-reports/", _lshw_upload(programme="scheme", location=world.warehouse.pk)
    )
    assert response.status_code == 400
    [result] = response.json()
    assert "cannot be registered here" in result["error"]
    assert not _reveals(response.content.decode(), world)
    assert _writes() == before


def test_a_report_without_a_programme_says_no_device_you_can_see_has_the_serial(world: World) -> None:
    _give_serial(world.other_device, T480_SERIAL)
    response = _client(world, "technician").post("/api/v1/hardware-reports/", _lshw_upload())
    [result] = response.json()
    assert f"no device you can see has serial {T480_SERIAL}" in result["error"]
    assert not _reveals(response.content.decode(), world)


def test_the_hardware_page_dry_run_names_nothing_of_another_scheme(world: World) -> None:
    _give_serial(world.other_device, T480_SERIAL)
    response = _client(world, "technician").post(
        "/hardware/upload/",
        {
            "reports": SimpleUploadedFile("t480.json", T480.read_bytes()),
            "programme": world.programme.pk,
            "location": world.warehouse.pk,
            "dry_run": "on",
        },
    )
    assert response.status_code == 200
    assert not _reveals(response.content.decode(), world)


# -- erasure reports ------------------------------------------------------------------------------------------


def test_an_erasure_dry_run_returns_no_device_outside_the_scope(world: World) -> None:
    _give_serial(world.other_device, EREUSE_SERIAL, maker="HP")
    before = _writes()
    response = _client(world, "technician").post(
        "/api/v1/erasure-reports/",
        {"file": SimpleUploadedFile("snap.json", EREUSE.read_bytes()), "dry_run": "true"},
    )
    assert response.status_code == 200, response.content
    assert {row["device"] for row in response.json()["drives"]} == {None}
    assert not _reveals(response.content.decode(), world)
    assert _writes() == before


def test_an_erasure_report_for_another_schemes_device_says_no_device_matches(world: World) -> None:
    _give_serial(world.other_device, EREUSE_SERIAL, maker="HP")
    response = _client(world, "technician").post(
        "/api/v1/erasure-reports/", {"file": SimpleUploadedFile("snap.json", EREUSE.read_bytes())}
    )
    assert response.status_code == 400
    assert "no device matches this report" in response.content.decode()
    assert not _reveals(response.content.decode(), world)


def test_an_erasure_dry_run_still_finds_a_device_in_scope(world: World) -> None:
    _give_serial(world.device, EREUSE_SERIAL, maker="HP")
    response = _client(world, "technician").post(
        "/api/v1/erasure-reports/",
        {"file": SimpleUploadedFile("snap.json", EREUSE.read_bytes()), "dry_run": "true"},
    )
    assert {row["device"] for row in response.json()["drives"]} == {world.device.asset_tag}


# -- registering devices --------------------------------------------------------------------------------------


def test_registering_another_schemes_serial_is_refused_without_naming_its_tag(world: World) -> None:
    other = world.other_device
    before = _writes()
    response = _client(world, "warehouse").post(
        "/api/v1/devices/",
        {
            "programme": "scheme",
            "manufacturer": other.manufacturer,
            "serial_number": other.serial_number,
            "state": "pledged",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == SERIAL_NOT_REGISTRABLE
    assert not _reveals(response.content.decode(), world)
    assert _writes() == before


def test_the_register_page_refuses_another_schemes_serial_naming_nothing(world: World) -> None:
    other = world.other_device
    before = _writes()
    response = _client(world, "warehouse").post(
        "/devices/register/",
        {
            "programme": world.programme.pk,
            "device_type": "laptop",
            "manufacturer": other.manufacturer,
            "serial_number": other.serial_number,
            "location": world.warehouse.pk,
        },
    )
    assert response.status_code == 400
    assert "cannot be registered here" in response.content.decode()
    assert not _reveals(response.content.decode(), world)
    assert _writes() == before


def test_a_serial_clash_inside_the_scope_still_names_the_device(world: World) -> None:
    with pytest.raises(DomainError, match=f"already registered as {world.device.asset_tag}"):
        device_register(
            programme=world.programme,
            by=world.user("warehouse"),
            spec=DeviceSpec(manufacturer=world.device.manufacturer, serial_number=world.device.serial_number),
        )


# -- register imports -----------------------------------------------------------------------------------------


def _register(world: World, data: bytes) -> Any:
    from devicebank.donations.services import donation_create, register_import_start

    donation = donation_create(programme=world.programme, donor=world.donor, by=world.user("warehouse"))
    imp, _ = register_import_start(
        donation=donation, file_name="r.csv", data=data, by=world.user("warehouse")
    )
    return imp


def test_the_rejected_rows_of_a_register_name_nothing_of_another_scheme(world: World) -> None:
    other = world.other_device
    imp = _register(
        world, f"Serial,Manufacturer\n{other.serial_number},{other.manufacturer}\nNEW12345,Dell\n".encode()
    )
    assert (imp.rows_valid, imp.rows_rejected) == (1, 1)
    for persona in ("warehouse", "donor"):
        client = _client(world, persona)
        csv = _body(client.get(f"/donations/{imp.donation_id}/register/{imp.pk}/rejected.csv")).decode(
            "utf-8-sig"
        )
        api = _body(client.get(f"/api/v1/register-imports/{imp.pk}/rejected-rows/")).decode()
        detail = client.get(f"/api/v1/register-imports/{imp.pk}/").content.decode()
        for text in (csv, api, detail):
            assert "cannot be registered here" in text or "rejected" in text
            assert not _reveals(text, world), persona
        assert "cannot be registered here" in csv


def test_a_register_row_that_clashes_with_the_same_donors_device_names_it(world: World) -> None:
    mine = world.device  # ours, donated by world.donor
    imp = _register(world, f"Serial,Manufacturer\n{mine.serial_number},{mine.manufacturer}\n".encode())
    report = evidence_read(imp.report_file, imp.report_sha256)
    assert f"already registered as {mine.asset_tag}" in report.decode("utf-8-sig")


def _body(response: Any) -> bytes:
    """A download's bytes: files stream from evidence storage (core/evidence.py)."""
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


# -- scan to receive ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["tag", "serial"])
def test_scanning_another_schemes_device_is_unknown_with_no_tag_or_donation(world: World, code: str) -> None:
    from devicebank.donations.services import donation_create

    other = world.other_device
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    scanned = other.asset_tag if code == "tag" else other.serial_number
    before = _writes()
    response = _client(world, "warehouse").post(
        f"/api/v1/donations/{donation.pk}/receive/",
        {"code": scanned, "location": world.warehouse.pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "unknown"
    assert "DON-" not in body["message"]
    assert not _reveals(response.content.decode().replace(scanned, "<scanned>"), world)
    if code == "serial":
        assert other.asset_tag not in response.content.decode()
    assert _writes() == before


def test_a_donor_asset_number_scanned_into_its_donation_receives_the_device(world: World) -> None:
    from devicebank.donations.services import donation_create, donation_receive_scan

    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    pledged = device_register(
        programme=world.programme,
        by=None,
        donor=world.donor,
        donation=donation,
        spec=DeviceSpec(manufacturer="Dell", serial_number=None),
    )
    Device.objects.filter(pk=pledged.pk).update(donor_asset_tag="BAR-7")
    result = donation_receive_scan(
        donation=donation, code="bar-7", location=world.warehouse, by=world.user("warehouse")
    )
    assert result.outcome == "received"


# -- custody --------------------------------------------------------------------------------------------------


def test_custody_cannot_go_to_another_schemes_council_and_its_name_is_not_echoed(world: World) -> None:
    other_council = world.other_programme.owner
    before = _writes()
    response = _client(world, "warehouse").post(
        f"/api/v1/devices/{world.device.asset_tag}/transitions/",
        {"to": "reserved", "custodian": other_council.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "No such organisation in this programme" in response.content.decode()
    assert "Other council" not in response.content.decode()
    world.device.refresh_from_db()
    assert world.device.custodian_id != other_council.pk
    assert _writes() == before


def test_the_service_refuses_custody_or_a_location_outside_the_programme_for_anyone(world: World) -> None:
    before = _writes()
    with pytest.raises(DomainError, match="does not work in this programme") as refused:
        device_transition(
            device=world.device, to=DeviceState.RESERVED, by=None, custodian=world.other_programme.owner
        )
    assert "Other council" not in refused.value.message
    with pytest.raises(DomainError, match="outside this programme") as refused:
        device_transition(device=world.device, to=DeviceState.RESERVED, by=None, location=world.other_site)
    assert "Other depot" not in refused.value.message
    with pytest.raises(DomainError, match="outside this programme"):
        device_register(
            programme=world.programme,
            by=None,
            state=DeviceState.RECEIVED,
            location=world.other_site,
            spec=DeviceSpec(manufacturer="Dell", serial_number="FRESH1234"),
        )
    assert _writes() == before


def test_custody_may_go_to_the_programmes_partners_and_the_schools_under_them(world: World) -> None:
    device = device_transition(device=world.device, to=DeviceState.RESERVED, by=None, custodian=world.trust)
    assert device.custodian == world.trust
    device = device_transition(device=device, to=DeviceState.IN_TRANSIT, by=None, custodian=world.school)
    assert device.custodian == world.school


def test_a_donation_for_an_organisation_that_is_not_a_donor_does_not_echo_its_name(world: World) -> None:
    from devicebank.donations.services import donation_create

    with pytest.raises(DomainError) as refused:
        donation_create(programme=world.programme, donor=world.other_programme.owner, by=None)
    assert "Other council" not in refused.value.message


def test_the_state_page_offers_only_the_programmes_locations_to_someone_working_in_two(world: World) -> None:
    from devicebank.programmes.services import programme_partner_add

    programme_partner_add(programme=world.other_programme, organisation=world.refurbisher, by=None)
    client = _client(world, "warehouse")  # now partner in both schemes: sees both councils' sites
    page = client.get(f"/devices/{world.device.asset_tag}/state/").content.decode()
    assert world.warehouse.name in page
    assert "Other depot" not in page
    before = _writes()
    response = client.post(
        f"/devices/{world.device.asset_tag}/state/",
        {"to": "reserved", "expected_state": "ready", "location": world.other_site.pk},
    )
    assert response.status_code == 400
    assert "Other depot" not in response.content.decode()
    assert _writes() == before
