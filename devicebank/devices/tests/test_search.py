"""Prefix search (asset tags and serials) answers for every code point, on every page that offers it."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from devicebank.conftest import World
from devicebank.devices.models import Device
from devicebank.devices.selectors import DeviceFilters, device_list, prefix_upper_bound

LAST = chr(0x10FFFF)


@given(prefix=st.text(min_size=1, max_size=8), rest=st.text(max_size=8))
def test_the_bound_is_above_every_string_with_the_prefix_and_not_itself_one(prefix: str, rest: str) -> None:
    bound = prefix_upper_bound(prefix)
    if bound is None:
        assert set(prefix) == {LAST}
        return
    assert prefix + rest < bound
    assert not bound.startswith(prefix)
    assert not any(0xD800 <= ord(ch) < 0xE000 for ch in bound[-1:])


def test_the_last_code_point_and_the_one_before_the_surrogates_have_bounds() -> None:
    assert prefix_upper_bound("A" + LAST) == "B"
    assert prefix_upper_bound(LAST * 3) is None
    assert prefix_upper_bound("\ud7ff") == "\ue000"


@pytest.mark.parametrize("term", [LAST, "5CG" + LAST, LAST * 2, "\ud7ff", "SCH-" + LAST])
def test_searching_for_any_code_point_lists_nothing_rather_than_failing(world: World, term: str) -> None:
    assert list(device_list(user=world.user("admin"), filters=DeviceFilters(q=term))) == []


def test_a_term_of_last_code_points_still_finds_a_tag_that_starts_with_the_rest(world: World) -> None:
    tag = world.device.asset_tag
    Device.objects.filter(pk=world.device.pk).update(asset_tag=tag[:-1] + LAST)
    found = device_list(user=world.user("admin"), filters=DeviceFilters(q=tag[:-1] + LAST))
    assert [d.pk for d in found] == [world.device.pk]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/devices/?q=%F4%8F%BF%BF",
        "/devices/?q=%F4%8F%BF%BF",
        "/devices/?q=ABC%F4%8F%BF%BF%F4%8F%BF%BF",
        "/api/v1/devices/?q=%ED%9F%BF",
    ],
)
def test_the_list_page_and_the_api_answer_a_search_for_the_last_code_point(world: World, url: str) -> None:
    client = Client()
    client.force_login(world.user("manager"))
    response = client.get(url)
    assert response.status_code == 200
    if url.startswith("/api/"):
        assert response.json()["results"] == []


def test_the_workbench_code_box_says_no_single_device_for_the_last_code_point(world: World) -> None:
    client = Client()
    client.force_login(world.user("technician"))
    response = client.get("/refurbishment/", {"code": LAST})
    assert response.status_code == 404
    assert "No single device" in response.content.decode()
