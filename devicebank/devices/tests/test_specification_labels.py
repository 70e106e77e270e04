"""The device page shows a specification as people read it: names, sizes as sold, the exact bytes beside them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from devicebank.conftest import World
from devicebank.devices.models import Device, DeviceType, StorageKind
from devicebank.devices.tests.factories import make_device

pytestmark = pytest.mark.django_db


def summary(html: str) -> dict[str, str]:
    """The device page's summary list as {key: value text}."""
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt><dd class="govuk-summary-list__value">(.*?)</dd>',
        html,
        re.S,
    )
    return {key: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value)).strip() for key, value in rows}


def test_the_device_page_shows_memory_and_storage_as_sold_with_the_exact_bytes(
    world: World, client: Client
) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, device_type=DeviceType.TABLET)
    Device.objects.filter(pk=device.pk).update(
        ram_bytes=4_120_000_000, storage_bytes=62_537_072_640, storage_kind=StorageKind.EMMC
    )
    client.force_login(world.user("manager"))
    page = client.get(f"/devices/{device.asset_tag}/")
    assert page.status_code == 200
    rows = summary(page.content.decode())
    assert rows["Memory"] == "4 GB 4,120,000,000 bytes"
    assert rows["Storage"] == "64 GB eMMC 62,537,072,640 bytes"
    assert rows["Type"] == "Tablet"


def test_a_device_with_no_make_or_sizes_reads_not_known_without_stray_punctuation(
    world: World, client: Client
) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, manufacturer="", model="")
    Device.objects.filter(pk=device.pk).update(ram_bytes=None, storage_bytes=None, storage_kind="")
    client.force_login(world.user("manager"))
    rows = summary(client.get(f"/devices/{device.asset_tag}/").content.decode())
    assert rows["Make and model"] == "Not known"
    assert rows["Memory"] == "Not known"
    assert rows["Storage"] == "Not known"
    assert not any(re.search(r"(^|\s)[,;]|[,;]\s*[,;]|[,;]$", value) for value in rows.values()), rows
