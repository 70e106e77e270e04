from __future__ import annotations

from django.test import Client

from devicebank.conftest import World


def test_each_queue_links_to_the_devices_it_counts(world: World) -> None:
    client = Client()
    client.force_login(world.user("manager"))
    home = client.get("/")
    assert home.status_code == 200
    assert "/devices/?state=received&amp;state=returned" in home.content.decode()
    listed = client.get("/devices/?state=ready&state=with_recipient")
    tags = {world.device.asset_tag, world.school_device.asset_tag}
    assert all(tag in listed.content.decode() for tag in tags)
    assert "2 devices" in listed.content.decode()


def test_a_school_sees_its_own_devices_and_a_funder_only_figures(world: World) -> None:
    client = Client()
    client.force_login(world.user("school"))
    page = client.get("/").content.decode()
    assert world.school_device.asset_tag in page
    assert world.device.asset_tag not in page
    client.force_login(world.user("funder"))
    page = client.get("/").content.decode()
    assert "Aggregate figures only" in page
    assert world.device.asset_tag not in page
