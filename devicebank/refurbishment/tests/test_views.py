"""The workbench in HTML: scan, see what is needed, record each step, mark ready; secrets hidden from the wrong
roles on pages and in the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from devicebank.conftest import World
from devicebank.core.models import Event, EventKind, RecordView
from devicebank.core.viewlog import record_views_for
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.refurbishment.models import DeviceSecret, Specification
from devicebank.refurbishment.services import device_secret_record, os_install_record
from devicebank.refurbishment.tests.conftest import finish_bench_work

S = DeviceState
KEY = "VK7JG-NPHTM-C97JM-9MPGT-3V66T"


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.user(persona))
    return client


def test_a_scan_opens_the_devices_workbench_page(world: World, laptop: Device) -> None:
    client = _client(world, "technician")
    page = client.get("/refurbishment/")
    assert b"autofocus" in page.content
    assert laptop.asset_tag.encode() in page.content
    found = client.get("/refurbishment/", {"code": laptop.serial_number.lower()})
    assert found.status_code == 302
    assert found["Location"] == f"/refurbishment/devices/{laptop.asset_tag}/"
    missing = client.get("/refurbishment/", {"code": "NOPE123"})
    assert missing.status_code == 404
    assert b"No single device" in missing.content


def test_a_device_goes_from_sanitised_to_ready_through_the_pages(
    world: World, laptop_spec: Specification, laptop: Device
) -> None:
    client = _client(world, "technician")
    tag = laptop.asset_tag
    page = client.get(f"/refurbishment/devices/{tag}/")
    assert b"Next: Tests" in page.content
    assert b"Tests: none recorded for this pass." in page.content
    tests = client.get(f"/refurbishment/devices/{tag}/tests/")
    assert tests.status_code == 200
    assert b'name="result_keyboard"' in tests.content
    saved = client.post(
        f"/refurbishment/devices/{tag}/tests/",
        {"all_pass": "1", "battery_health_percent": "88", "screen_inches": "14", "tpm_version": "2.0"},
    )
    assert saved.status_code == 302
    assert client.post(f"/refurbishment/devices/{tag}/grade/", {"cosmetic": "A"}).status_code == 302
    os_saved = client.post(
        f"/refurbishment/devices/{tag}/os/",
        {
            "os": "windows_11_pro",
            "licence_channel": "mar_citizenship",
            "licence_key": KEY,
            "image_name": "Win11",
        },
    )
    assert os_saved.status_code == 302
    page = client.get(f"/refurbishment/devices/{tag}/")
    assert b"Mark as ready" in page.content
    assert b"Kept encrypted" not in page.content
    assert b"3V66T" in page.content
    assert KEY.encode() not in page.content
    done = client.post(f"/refurbishment/devices/{tag}/ready/", {"expected_state": "in_refurbishment"})
    assert done.status_code == 302
    assert done["Location"] == "/refurbishment/"
    assert b"is now ready. Scan the next device." in client.get("/refurbishment/").content
    assert Device.objects.get(pk=laptop.pk).state == S.READY
    again = client.post(f"/refurbishment/devices/{tag}/ready/", {"expected_state": "in_refurbishment"})
    assert again.status_code == 409
    assert b"someone changed it" in again.content


def test_refusals_name_the_rule_on_the_form(world: World, laptop: Device) -> None:
    client = _client(world, "technician")
    tag = laptop.asset_tag
    grade = client.post(f"/refurbishment/devices/{tag}/grade/", {"cosmetic": "A"})
    assert grade.status_code == 400
    assert b"test it before grading" in grade.content
    bad_key = client.post(
        f"/refurbishment/devices/{tag}/os/",
        {"os": "windows_11_pro", "licence_channel": "mar_citizenship", "licence_key": "AAAAA-BBBBB"},
    )
    assert bad_key.status_code == 400
    assert b"five groups of five" in bad_key.content
    refused = client.post(f"/refurbishment/devices/{tag}/ready/", {"expected_state": "sanitised"})
    assert refused.status_code == 400
    assert b"cannot become ready" in refused.content


def test_warehouse_staff_see_what_is_needed_but_no_secrets_and_no_step_forms(
    world: World, laptop: Device
) -> None:
    device = finish_bench_work(laptop)
    client = _client(world, "warehouse")
    page = client.get(f"/refurbishment/devices/{device.asset_tag}/")
    assert page.status_code == 200
    assert b"Kept encrypted" in page.content
    assert b"3V66T" not in page.content
    assert b"Reveal" not in page.content
    assert client.get(f"/refurbishment/devices/{device.asset_tag}/tests/").status_code == 403
    secret = DeviceSecret.objects.get(device=device)
    assert (
        client.post(f"/refurbishment/devices/{device.asset_tag}/secrets/{secret.pk}/reveal/").status_code
        == 403
    )


def test_a_reveal_shows_the_value_once_and_logs_it(world: World, laptop: Device) -> None:
    secret = device_secret_record(device=laptop, by=None, kind="bios_password", value="firmware-pass-42")
    client = _client(world, "manager")
    shown = client.post(f"/refurbishment/devices/{laptop.asset_tag}/secrets/{secret.pk}/reveal/")
    assert shown.status_code == 200
    assert b"firmware-pass-42" in shown.content
    assert "no-store" in shown["Cache-Control"] or "no-cache" in shown["Cache-Control"]
    assert Event.objects.filter(kind=EventKind.SECRET_VIEWED, actor=world.user("manager")).count() == 1
    assert (
        client.get(f"/refurbishment/devices/{laptop.asset_tag}/secrets/{secret.pk}/reveal/").status_code
        == 405
    )


def test_the_workbench_page_says_who_revealed_a_devices_secrets_to_those_who_may_reveal_them(
    world: World, laptop: Device
) -> None:
    secret = device_secret_record(device=laptop, by=None, kind="bios_password", value="firmware-pass-42")
    page = f"/refurbishment/devices/{laptop.asset_tag}/"
    technician = _client(world, "technician")
    assert "Who revealed them" not in technician.get(page).content.decode()
    technician.post(f"/refurbishment/devices/{laptop.asset_tag}/secrets/{secret.pk}/reveal/")

    view = RecordView.objects.get()
    assert view.viewer == world.user("technician")
    assert (view.subject_type, view.subject_id, view.what) == (
        "devices.device",
        laptop.pk,
        "secret_bios_password",
    )
    assert list(record_views_for(laptop)) == [view]
    body = _client(world, "manager").get(page).content.decode()
    assert "Who revealed them" in body
    assert str(world.user("technician")) in body
    assert "Who revealed them" not in _client(world, "warehouse").get(page).content.decode()


def test_the_admin_never_shows_ciphertext_hints_or_values(world: World, laptop: Device) -> None:
    os_install_record(
        device=laptop, by=None, os="windows_11_pro", licence_channel="mar_citizenship", licence_key=KEY
    )
    secret = DeviceSecret.objects.get(device=laptop)
    admin = world.user("admin")
    admin.is_staff = admin.is_superuser = True  # as the demo's platform admin
    admin.save(update_fields=["is_staff", "is_superuser"])
    client = _client(world, "admin")
    for url in (
        "/admin/refurbishment/devicesecret/",
        f"/admin/refurbishment/devicesecret/{secret.pk}/change/",
    ):
        page = client.get(url)
        assert page.status_code == 200
        for leak in (KEY, "3V66T", secret.ciphertext[:20]):
            assert leak.encode() not in page.content, url


def test_the_device_page_panel_says_what_is_needed_to_those_who_work_on_it(
    world: World, laptop: Device
) -> None:
    tech = _client(world, "technician").get(f"/devices/{laptop.asset_tag}/")
    assert b"Before it can be ready it still needs" in tech.content
    assert b"Work on it at the workbench" in tech.content
    donor = _client(world, "donor").get(f"/devices/{world.device.asset_tag}/")
    assert donor.status_code == 200
    assert b"Refurbishment</h2>" not in donor.content


def test_a_manager_edits_a_specification_and_the_checklist(world: World) -> None:
    client = _client(world, "manager")
    url = "/refurbishment/specifications/scheme/laptop/"
    assert client.get(url).status_code == 200
    saved = client.post(
        url,
        {
            "min_ram_gb": "4",
            "min_storage_gb": "64",
            "require_ssd": "on",
            "min_intel_generation": "8",
            "os_targets": ["windows_11", "linux"],
            "require_os_install": "on",
            "items": ["power_on", "screen", "keyboard"],
            "required_items": ["power_on"],
            "extra_items": "Stylus present",
            "working_value": "150",
            "labour_rate": "25",
        },
    )
    assert saved.status_code == 302
    spec = Specification.objects.get(programme=world.programme, device_type="laptop")
    assert spec.min_ram_bytes == 4_000_000_000
    assert spec.working_value == Decimal("150.00")
    assert [i["key"] for i in spec.checklist] == ["power_on", "screen", "keyboard", "stylus_present"]
    assert _client(world, "technician").get(url).status_code == 403


def test_throughput_is_for_programme_managers(world: World) -> None:
    assert _client(world, "manager").get("/refurbishment/throughput/").status_code == 200
    assert _client(world, "technician").get("/refurbishment/throughput/").status_code == 403


@pytest.mark.parametrize("persona", ["donor", "school", "funder", "referrer"])
def test_the_workbench_is_closed_to_those_who_do_not_work_in_a_programme(world: World, persona: str) -> None:
    assert _client(world, persona).get("/refurbishment/").status_code == 403
