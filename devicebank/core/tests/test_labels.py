"""People-facing labels (core/templatetags/labels.py): sizes as sold, names for codes, lists without stray commas."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from devicebank.core.templatetags.labels import (
    GB,
    GIB,
    MARKETED_STORAGE_GB,
    exact_bytes,
    label_for,
    listing,
    memory_as_sold,
    storage_as_sold,
)

SHOWN = re.compile(r"^(?P<number>\d[\d,]*(\.\d)?) (?P<unit>MB|GB|TB)$")
UNIT = {"MB": 10**6, "GB": GB, "TB": 10**12}


def shown_bytes(text: str, *, binary: bool = False) -> Decimal:
    match = SHOWN.match(text)
    assert match, f"{text!r} is not a size as sold"
    number = Decimal(match["number"].replace(",", ""))
    if binary:
        return number * (GIB if match["unit"] == "GB" else 2**20)
    return number * UNIT[match["unit"]]


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (256_060_514_304, "256 GB"),  # a "256 GB" SSD
        (500_107_862_016, "500 GB"),
        (512_110_190_592, "512 GB"),
        (120_034_123_776, "120 GB"),
        (128_035_676_160, "128 GB"),
        (62_537_072_640, "64 GB"),  # a "64 GB" eMMC as Linux sees it
        (31_268_536_320, "32 GB"),
        (960_197_124_096, "960 GB"),
        (1_000_204_886_016, "1 TB"),
        (2_000_398_934_016, "2 TB"),
        (73_400_000_000, "73 GB"),  # no drive is sold at this size: the decimal size, whole
        (1_540_000_000, "1.5 GB"),
        (500_000_000, "500 MB"),
    ],
)
def test_storage_is_shown_as_the_drive_is_sold(size: int, shown: str) -> None:
    assert storage_as_sold(size) == shown


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (8 * GIB, "8 GB"),
        (8_268_000_000, "8 GB"),  # 7.7 GiB usable of an 8 GB module
        (4 * GIB - 300 * 2**20, "4 GB"),
        (24 * GIB, "24 GB"),
        (512 * 2**20, "512 MB"),
    ],
)
def test_memory_is_shown_in_the_nearest_binary_gigabyte(size: int, shown: str) -> None:
    assert memory_as_sold(size) == shown


@pytest.mark.parametrize("value", [None, "", "lots", -5, True])
def test_an_unknown_size_reads_not_known(value: object) -> None:
    assert storage_as_sold(value) == "Not known"
    assert memory_as_sold(value) == "Not known"
    assert exact_bytes(value) == ""


@given(st.integers(min_value=10**6, max_value=10**15))
def test_storage_as_sold_is_never_more_than_a_label_s_margin_from_the_exact_size(size: int) -> None:
    shown = shown_bytes(storage_as_sold(size))
    # A marketed size is at most 7.5% above or 2% below the exact size; a plain rounding (whole from 10 up, one
    # decimal place below) is at most 5% either way.
    assert Decimal(size) * Decimal("0.95") <= shown
    assert shown <= Decimal(size) / Decimal("0.93")


@given(st.integers(min_value=10**6, max_value=10**15), st.integers(min_value=10**6, max_value=10**15))
def test_a_larger_drive_never_reads_smaller(a: int, b: int) -> None:
    small, large = sorted((a, b))
    assert shown_bytes(storage_as_sold(small)) <= shown_bytes(storage_as_sold(large))


@given(st.integers(min_value=GIB, max_value=2**45))
def test_memory_as_sold_is_the_nearest_whole_binary_gigabyte(size: int) -> None:
    shown = shown_bytes(memory_as_sold(size), binary=True)
    assert shown % GIB == 0
    assert abs(shown - size) <= GIB / 2


@given(st.integers(min_value=0, max_value=10**15))
def test_the_exact_size_keeps_every_byte(size: int) -> None:
    assert int(exact_bytes(size).split(" ")[0].replace(",", "")) == size


def test_every_marketed_storage_size_reads_as_itself() -> None:
    assert [storage_as_sold(gb * GB) for gb in MARKETED_STORAGE_GB] == [
        f"{gb} GB" for gb in MARKETED_STORAGE_GB
    ]


def test_codes_read_as_names_from_the_apps_enums() -> None:
    assert label_for("windows_11", "OsTarget") == "Windows 11"
    assert label_for("nvme", "StorageKind") == "NVMe SSD"
    assert label_for("erased_unverified", "ErasureResult") != "erased_unverified"
    assert label_for("some_new_code") == "Some new code"
    assert label_for("") == ""


def test_a_list_with_empty_values_has_no_stray_punctuation() -> None:
    assert listing(["Dell", "", None, " ", "Latitude 5490"]) == "Dell, Latitude 5490"
    assert listing([], "; ") == ""


def test_the_as_sold_tag_shows_the_size_and_kind_with_the_exact_bytes_beside() -> None:
    template = Template('{% load labels %}{% as_sold size "storage" kind=kind %}|{% as_sold ram "memory" %}')
    html = template.render(Context({"size": 256_060_514_304, "kind": "ssd", "ram": None}))
    shown, memory = html.split("|")
    assert shown.startswith("256 GB SSD<br>")
    assert "256,060,514,304 bytes" in shown
    assert memory == "Not known"
    kind_only = Template('{% load labels %}{% as_sold None "storage" kind="emmc" %}').render(Context())
    assert kind_only == "eMMC, size not known"
