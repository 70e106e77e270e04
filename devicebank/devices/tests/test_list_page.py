from __future__ import annotations

from django.test import Client

from devicebank.conftest import World
from devicebank.core.pagination import CappedPaginator
from devicebank.devices.models import Device


def test_a_huge_list_says_more_than_rather_than_counting_every_row(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    client = Client()
    client.force_login(world.user("admin"))
    page = client.get("/devices/").content.decode()
    assert "More than 10,000 devices" in page
    monkeypatch.setattr(CappedPaginator, "cap", 10_000)
    page = client.get("/devices/").content.decode()
    assert f"{Device.objects.count()} devices" in page


def test_search_finds_a_serial_or_tag_by_prefix_and_nothing_else(world: World) -> None:
    client = Client()
    client.force_login(world.user("manager"))
    serial = world.device.serial_number
    for term in (serial, serial[:-1].lower(), world.device.asset_tag, world.device.asset_tag[:-2]):
        page = client.get("/devices/", {"q": term}).content.decode()
        assert world.device.asset_tag in page, term
    page = client.get("/devices/", {"q": "ZZZNOPE"}).content.decode()
    assert "No devices match" in page
